import type { RepoBoundary } from '../lib/inside-repo.js'
import { findFiles } from './file-options.js'

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const UNDERLINE = /^([=\-~^"'`#*+])\1{2,}\s*$/
const VERSION_LIKE = /\d+\.\d+/
const DEVELOPMENT = /^(\d+(?:\.\d+)*)(?:[.-]?dev(?:[.-]?\d+)?|-SNAPSHOT)$/i

/** A heading of a changelog: Markdown `#` or setext, or reStructuredText (a line underlined with `=`, `-`, `~`…). */
interface Heading {
  line: number
  text: string
}

function headings(lines: string[]): Heading[] {
  const found: Heading[] = []
  for (const [i, line] of lines.entries()) {
    if (/^#{1,6}\s/.test(line)) found.push({ line: i + 1, text: line.trim() })
    else if (line.trim() && !UNDERLINE.test(line) && UNDERLINE.test(lines[i + 1] ?? ''))
      found.push({ line: i + 1, text: line.trim() })
  }
  return found
}

/**
 * Why the changelog (the first file matching `pattern`, in any case) does not name `version`, or undefined when it
 * does: in a heading (`## 1.2.0`, `## [1.2.0] - 2024-05-01`, `Version 1.2.0` underlined) or as
 * `[1.2.0]` (a link reference), not as part of a longer version (`1.2.0-rc.1`, `11.2.0`); a development version
 * (`1.2.0.dev0`, `1.2.0-SNAPSHOT`) may be named by the release it leads to.
 */
export async function changelogProblem(
  root: string,
  boundary: RepoBoundary,
  pattern: string,
  version: string,
): Promise<string | undefined> {
  const file = (await findFiles(root, pattern, { nocase: true, exclude: [] }))[0]
  if (!file) return `has no changelog: no file matches ${pattern}`
  const lines = (await boundary.readFile(file, 'utf8')).split(/\r?\n/)
  const all = headings(lines)
  const bare = version.replace(/^v/, '')
  // A development version (`8.5.0.dev0`, `2.1.0-SNAPSHOT`) is never released: its entry is the release it leads to.
  const release = DEVELOPMENT.exec(bare)?.[1]
  if ([bare, ...(release ? [release] : [])].some((v) => named(lines, all, v))) return undefined
  const nor = release ? ` (nor is ${release}, the release it leads to)` : ''
  const latest = all.find((h) => VERSION_LIKE.test(h.text))
  return latest
    ? `is not in ${file}${nor}; its latest entry is ${JSON.stringify(latest.text)} (line ${latest.line})`
    : `is not in ${file}${nor}, which names no version yet`
}

function named(lines: string[], all: Heading[], bare: string): boolean {
  const token = new RegExp(`(?<![\\w.+-])v?${escapeRegExp(bare)}(?![\\w+-]|\\.\\w)`)
  if (all.some((h) => token.test(h.text))) return true
  const reference = new RegExp(`\\[v?${escapeRegExp(bare)}\\]`)
  return lines.some((line) => reference.test(line))
}
