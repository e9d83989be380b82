import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { packageRoot } from './package-root.js'

/** How a license text was identified: its SPDX id (or expression), how sure, and how. */
export interface LicenseMatch {
  /** An SPDX id, or an SPDX expression when an `SPDX-License-Identifier:` line gives one. */
  id: string
  /** Other SPDX ids whose text is the same (`GPL-3.0-only`, `GPL-3.0-or-later`): a text cannot tell them apart. */
  equivalent: string[]
  /** Word-set similarity to the SPDX text, 0 to 1 (1 for an identifier line). */
  confidence: number
  method: 'text' | 'spdx-identifier'
}

/** The verdict on one license text: identified, or the closest SPDX license and how close it came. */
export type LicenseIdentification =
  | ({ identified: true } & LicenseMatch)
  | { identified: false; reason: string; closest?: { id: string; confidence: number } }

/** Texts at least this similar (Dice coefficient of their normalised word sets) are taken to be the license. */
export const LICENSE_THRESHOLD = 0.9

const IDENTIFIER_LINE = /SPDX-License-Identifier:[ \t]*([^\r\n]*)/i

interface Candidate {
  id: string
  words: Set<string>
  length: number
}

let texts: Promise<Record<string, string>> | undefined
const normalised = new Map<string, Candidate>()
let identifiers: Promise<ReadonlySet<string>> | undefined

/** Every SPDX license id of the bundled SPDX list (loaded on first use). */
export function spdxIds(): Promise<ReadonlySet<string>> {
  identifiers ??= import('spdx-license-list/simple.js').then((m) => (m.default ?? m) as ReadonlySet<string>)
  return identifiers
}

/** The SPDX license texts by id: the build writes them to dist/spdx-licenses.json.gz; from source, the SPDX package's own file. */
async function licenseTexts(): Promise<Record<string, string>> {
  const built = join(packageRoot, 'dist', 'spdx-licenses.json.gz')
  // zlib is loaded here, not at startup: only this gate and the license condition need it. (Through
  // require: the bundle runs in node:vm, where import() of a Node module has no loader.)
  const { gunzipSync } = createRequire(import.meta.url)('node:zlib') as typeof import('node:zlib')
  if (existsSync(built)) return JSON.parse(gunzipSync(await readFile(built)).toString('utf8')) as Record<string, string>
  const source = createRequire(import.meta.url).resolve('spdx-license-list/spdx-full.json')
  const list = JSON.parse(await readFile(source, 'utf8')) as Record<string, { licenseText: string }>
  return Object.fromEntries(Object.entries(list).map(([id, { licenseText }]) => [id, licenseText]))
}

/**
 * The SPDX texts near the given length (a quarter to four times as long: a text further off shares
 * too few words to come close), normalised once each on first use.
 */
async function candidatesNear(length: number): Promise<Candidate[]> {
  texts ??= licenseTexts()
  const all = await texts
  const near: Candidate[] = []
  for (const [id, text] of Object.entries(all)) {
    if (text.length * 4 < length || text.length > length * 4) continue
    let candidate = normalised.get(id)
    if (!candidate) {
      const words = normalisedWords(text)
      candidate = { id, words: new Set(words), length: words.length }
      normalised.set(id, candidate)
    }
    near.push(candidate)
  }
  return near
}

// What varies between copies of one license and says nothing about its terms (after licensee's normaliser).
const SPELLINGS: [RegExp, string][] = [
  [/\blicen[cs]e/g, 'license'],
  [/\backnowledg(e)?ment/g, 'acknowledgment'],
  [/\banalog(ue)?\b/g, 'analog'],
  [/\bcopyright[- ]?holder/g, 'copyright holder'],
  [/\bnon-?commercial/g, 'noncommercial'],
  [/\bsub-?license/g, 'sublicense'],
  [/\bwhile\b|\bwhilst\b/g, 'while'],
  [/\bper ?cent\b/g, 'percent'],
  [/\bor\s+otherwise\b/g, 'otherwise'],
]

// A copyright line names a year, a symbol or a capitalised holder after the word (not `copyright notice and …`, rewrapped).
const COPYRIGHT_LINE = /^[ \t]*(?:[Cc]opyright|COPYRIGHT|\([Cc]\)|\u00a9)[ \t:]*(?:\([Cc]\)|\u00a9|[0-9]|[A-Z<[{]).*$/gm

/** The words of a license text once case, punctuation, copyright lines, bullets, URLs, spellings and the closing appendix are set aside. */
export function normalisedWords(text: string): string[] {
  let t = text.replace(/\r\n?/g, '\n').replace(COPYRIGHT_LINE, ' ').toLowerCase()
  // The appendix (how to apply the license) is not part of the terms; many copies leave it out.
  const end = t.search(/end of terms and conditions/)
  if (end >= 0) t = t.slice(0, end)
  t = t
    .replace(/\ball rights reserved\b/g, ' ')
    .replace(/https?:\/\/\S+|www\.\S+/g, ' ')
    .replace(/<[^>\n]{1,80}>|\[[^\]\n]{1,80}\]/g, ' ')
    .replace(/^[ \t]*(?:#+|[-*\u2022]|\(?(?:[0-9]{1,2}|[a-z]|[ivx]{1,4})[.)])[ \t]+/gm, ' ')
  for (const [from, to] of SPELLINGS) t = t.replace(from, to)
  return t.split(/[^a-z0-9]+/).filter((w) => w !== '' && w !== 'the' && w !== 'a' && w !== 'an')
}

/** The SPDX id or expression an `SPDX-License-Identifier:` line names, if the text has one. */
export function identifierLine(text: string): string | undefined {
  const found = IDENTIFIER_LINE.exec(text)?.[1]
    ?.replace(/\s*(?:\*\/|-->|#\}|\*\)).*$/, '')
    .trim()
  return found ? found : undefined
}

/** The SPDX ids an expression names (`MIT OR Apache-2.0`, `GPL-2.0-only WITH Classpath-exception-2.0`), without exceptions. */
export function expressionIds(expression: string): string[] {
  const tokens = expression.replace(/[()]/g, ' ').split(/\s+/).filter(Boolean)
  return tokens.filter((t, i) => !/^(?:AND|OR|WITH)$/i.test(t) && !/^WITH$/i.test(tokens[i - 1] ?? ''))
}

/** True when an expression is satisfied by the `allow`ed ids: one alternative of an OR, every part of an AND. */
export function expressionAllowed(expression: string, allowed: (id: string) => boolean): boolean {
  const ids = expressionIds(expression)
  if (ids.length === 0) return false
  return /\sOR\s/i.test(expression) && !/\sAND\s/i.test(expression) ? ids.some(allowed) : ids.every(allowed)
}

/** Identifies a license text: by an `SPDX-License-Identifier:` line, else by word-set similarity to every SPDX license text. */
export async function identifyLicense(text: string): Promise<LicenseIdentification> {
  const line = identifierLine(text)
  if (line !== undefined) {
    const ids = await spdxIds()
    const known = (id: string) => ids.has(id.replace(/\+$/, '')) || /^LicenseRef-/.test(id)
    const unknown = expressionIds(line).filter((id) => !known(id))
    if (unknown.length === 0)
      return { identified: true, id: line, equivalent: [], confidence: 1, method: 'spdx-identifier' }
    return {
      identified: false,
      reason: `SPDX-License-Identifier names ${unknown.map((id) => `\`${id}\``).join(', ')}, not an SPDX license id`,
    }
  }
  const words = normalisedWords(text)
  if (words.length === 0) return { identified: false, reason: 'the file is empty' }
  const own = new Set(words)
  let best: { id: string; score: number; delta: number }[] = []
  for (const candidate of await candidatesNear(text.length)) {
    let shared = 0
    for (const w of own) if (candidate.words.has(w)) shared++
    const delta = Math.abs(candidate.length - words.length)
    const score = (2 * shared) / (own.size + candidate.words.size)
    const top = best[0]
    if (!top || score > top.score + 1e-9) best = [{ id: candidate.id, score, delta }]
    else if (Math.abs(score - top.score) <= 1e-9) best.push({ id: candidate.id, score, delta })
  }
  // Among equally similar texts the one closest in length wins; ids whose texts are the same are its equivalents.
  best.sort((a, b) => a.delta - b.delta || preference(a.id) - preference(b.id) || a.id.localeCompare(b.id))
  const [top, ...same] = best
  if (!top) return { identified: false, reason: 'no SPDX license texts are available' }
  const confidence = Math.round(top.score * 1000) / 1000
  if (top.score < LICENSE_THRESHOLD)
    return { identified: false, reason: 'the text matches no SPDX license', closest: { id: top.id, confidence } }
  return {
    identified: true,
    id: top.id,
    equivalent: same.filter((s) => s.delta === top.delta).map((s) => s.id),
    confidence,
    method: 'text',
  }
}

// Deprecated SPDX spellings (`GPL-3.0`, `GPL-3.0+`) share their text with the current ids: name a current one.
const preference = (id: string) => (id.endsWith('+') ? 2 : /^(?:A|L)?GPL-[0-9.]+$|^GFDL-[0-9.]+$/.test(id) ? 1 : 0)

/** Percent, for messages: `0.973` → `97%`. */
export const percent = (confidence: number) => `${Math.floor(confidence * 100)}%`
