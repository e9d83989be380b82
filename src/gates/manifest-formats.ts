import { lazyImport } from '../lib/memo.js'
import { loadYaml } from '../plan/yaml.js'

/** The manifest formats wf reads, by file name. */
export type ManifestFormat = 'package.json' | 'pyproject.toml' | 'Cargo.toml' | 'go.mod' | 'pom.xml'

const FORMATS: readonly ManifestFormat[] = ['package.json', 'pyproject.toml', 'Cargo.toml', 'go.mod', 'pom.xml']

/** The format of a manifest path, from its file name; undefined for a name wf does not read. */
export function manifestFormat(file: string): ManifestFormat | undefined {
  const name = file.slice(file.lastIndexOf('/') + 1)
  return FORMATS.find((f) => f === name)
}

/** A manifest read into data, with the lines its keys are on. */
export interface ParsedManifest {
  format: ManifestFormat
  data: Record<string, unknown>
  lines: string[]
  /** The line of a dotted key: of the key itself (`exact`), else of its deepest present parent (or 1). */
  lineOf(path: readonly string[]): { line: number; exact: boolean }
}

/** Where a manifest does not parse. */
export interface ManifestParseError {
  problem: string
  line: number
  col?: number
}

const loadToml = lazyImport(() => import('smol-toml'))
const loadXml = lazyImport(() => import('fast-xml-parser'))

/** Parses a manifest's text by its format, or says where it does not parse. */
export async function parseManifest(
  format: ManifestFormat,
  text: string,
): Promise<ParsedManifest | ManifestParseError> {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text
  const lines = body.split(/\r?\n/)
  switch (format) {
    case 'package.json':
      return parseJson(body, lines)
    case 'pyproject.toml':
    case 'Cargo.toml':
      return parseToml(format, body, lines)
    case 'go.mod':
      return parseGoMod(lines)
    case 'pom.xml':
      return parseXml(body, lines)
  }
}

// Keys are located this deep at most: manifests nest a few levels, and a hostile one must not cost quadratic time.
const MAX_DEPTH = 16

/** A line finder over a table of dotted keys and the first line each is on. */
function lineFinder(keys: Map<string, number>, top = 1): ParsedManifest['lineOf'] {
  return (path) => {
    for (let n = path.length; n > 0; n--) {
      const line = keys.get(path.slice(0, n).join('.'))
      if (line !== undefined) return { line, exact: n === path.length }
    }
    return { line: top, exact: false }
  }
}

/** Line and column of character offsets in a text . */
function lineIndex(text: string): (offset: number) => { line: number; col: number } {
  const starts = [0]
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
  return (offset) => {
    let low = 0
    let high = starts.length - 1
    while (low < high) {
      const mid = (low + high + 1) >> 1
      if (starts[mid]! <= offset) low = mid
      else high = mid - 1
    }
    return { line: low + 1, col: offset - starts[low]! + 1 }
  }
}

async function parseJson(text: string, lines: string[]): Promise<ParsedManifest | ManifestParseError> {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    const message = (error as Error).message
    const position = / at position (\d+)/.exec(message)?.[1]
    const at = position === undefined ? { line: 1, col: 1 } : lineIndex(text)(Number(position))
    const problem = message.replace(/ in JSON at position \d+.*$/s, '').replace(/, ".*" is not valid JSON$/s, '')
    return { problem: `does not parse as JSON: ${problem}`, ...at }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return { problem: 'is not a JSON object', line: 1, col: 1 }
  const { LineCounter, parseDocument, isMap, isScalar } = await loadYaml()
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter })
  const keys = new Map<string, number>()
  const walk = (node: unknown, prefix: string, depth = 1) => {
    if (!isMap(node) || depth > MAX_DEPTH) return
    for (const pair of node.items) {
      if (!isScalar(pair.key) || !pair.key.range) continue
      const key = prefix + String(pair.key.value)
      if (!keys.has(key)) keys.set(key, lineCounter.linePos(pair.key.range[0]).line)
      walk(pair.value, `${key}.`, depth + 1)
    }
  }
  walk(doc.contents, '')
  return { format: 'package.json', data: data as Record<string, unknown>, lines, lineOf: lineFinder(keys) }
}

const unquote = (key: string) => key.trim().replace(/^"(.*)"$|^'(.*)'$/, '$1$2')
// A TOML dotted key, splitting on dots outside quotes.
const splitKey = (key: string) => (key.match(/"[^"]*"|'[^']*'|[^.]+/g) ?? []).map(unquote).filter(Boolean)

// A key (bare or quoted parts joined by dots, spaces allowed around a dot) and its value; no two parts can match the same text.
const TOML_PART = `(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)`
const TOML_ASSIGNMENT = new RegExp(String.raw`^(${TOML_PART}(?:[ \t]*\.[ \t]*${TOML_PART})*)[ \t]*=[ \t]*(.*)$`)

async function parseToml(
  format: ManifestFormat,
  text: string,
  lines: string[],
): Promise<ParsedManifest | ManifestParseError> {
  const { parse, TomlError } = await loadToml()
  let data: Record<string, unknown>
  try {
    data = parse(text) as Record<string, unknown>
  } catch (error) {
    if (!(error instanceof TomlError)) throw error
    const problem = error.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '')
    return { problem: `does not parse as TOML: ${problem}`, line: error.line, col: error.column }
  }
  // smol-toml gives no positions: a line scan finds table headers and keys (a multi-line string's lines are skipped).
  const keys = new Map<string, number>()
  let table: string[] = []
  let inString: string | undefined
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim()
    if (inString) {
      if (line.includes(inString)) inString = undefined
      continue
    }
    const header = /^\[\[?([^\]]+)\]\]?\s*(?:#.*)?$/.exec(line)
    if (header) {
      table = splitKey(header[1]!)
      const key = table.join('.')
      if (!keys.has(key)) keys.set(key, i + 1)
      continue
    }
    const assignment = TOML_ASSIGNMENT.exec(line)
    if (!assignment) continue
    const path = [...table, ...splitKey(assignment[1]!)]
    if (path.length > MAX_DEPTH) continue
    for (let n = table.length + 1; n <= path.length; n++) {
      const key = path.slice(0, n).join('.')
      if (!keys.has(key)) keys.set(key, i + 1)
    }
    const value = assignment[2]!
    for (const quote of ['"""', "'''"]) if (value.startsWith(quote) && !value.slice(3).includes(quote)) inString = quote
  }
  return { format, data, lines, lineOf: lineFinder(keys) }
}

/** go.mod: `module`, `go`, `toolchain` and the `require`d modules (a line format; other directives are kept by name). */
function parseGoMod(lines: string[]): ParsedManifest | ManifestParseError {
  const data: Record<string, unknown> = {}
  const keys = new Map<string, number>()
  let block: { name: string; line: number } | undefined
  const add = (name: string, value: string, line: number) => {
    if (!keys.has(name)) keys.set(name, line)
    if (name === 'module' || name === 'go' || name === 'toolchain') data[name] = value.replace(/^"(.*)"$/, '$1')
    else if (value) {
      data[name] ??= []
      ;(data[name] as string[]).push(value)
    }
  }
  for (const [i, raw] of lines.entries()) {
    const line = raw.replace(/\/\/.*$/, '').trim()
    if (!line) continue
    if (block) {
      if (line === ')') block = undefined
      else add(block.name, line, i + 1)
      continue
    }
    const directive = /^([a-z]+)\b\s*(.*)$/.exec(line)
    if (!directive) return { problem: `does not parse: unexpected \`${line}\``, line: i + 1, col: 1 }
    const [, name, rest] = directive as unknown as [string, string, string]
    if (rest === '(') {
      block = { name, line: i + 1 }
      if (!keys.has(name)) keys.set(name, i + 1)
      data[name] ??= []
    } else add(name, rest, i + 1)
  }
  if (block) return { problem: `does not parse: the \`${block.name} (\` block is not closed`, line: block.line, col: 1 }
  return { format: 'go.mod', data, lines, lineOf: lineFinder(keys) }
}

const XML_TOKEN =
  /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<![A-Za-z][^>]*>|<(\/?)([A-Za-z_][\w.:-]*)(?:\s[^>]*?)?(\/?)>/g

async function parseXml(text: string, lines: string[]): Promise<ParsedManifest | ManifestParseError> {
  const { XMLParser, XMLValidator } = await loadXml()
  const valid = XMLValidator.validate(text)
  if (valid !== true)
    return { problem: `does not parse as XML: ${valid.err.msg}`, line: valid.err.line, col: valid.err.col }
  let parsed: Record<string, unknown>
  try {
    parsed = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true }).parse(text)
  } catch (error) {
    // What the validator lets through and the parser still refuses (nesting too deep, say) has no position.
    return { problem: `does not parse as XML: ${(error as Error).message}`, line: 1 }
  }
  const rootName = Object.keys(parsed).find((k) => !k.startsWith('?'))
  const root = rootName === undefined ? undefined : parsed[rootName]
  const data = typeof root === 'object' && root !== null ? (root as Record<string, unknown>) : {}
  // Element paths below the root element, and the line each first opens on.
  const keys = new Map<string, number>()
  const stack: string[] = []
  let top: number | undefined
  const lineAt = lineIndex(text)
  for (const match of text.matchAll(XML_TOKEN)) {
    const [, closing, name, selfClosing] = match
    if (name === undefined) continue
    if (closing) {
      stack.pop()
      continue
    }
    if (stack.length === 0) top ??= lineAt(match.index).line
    else if (stack.length <= MAX_DEPTH) {
      const path = [...stack.slice(1), name].join('.')
      if (!keys.has(path)) keys.set(path, lineAt(match.index).line)
    }
    if (!selfClosing) stack.push(name)
  }
  return { format: 'pom.xml', data, lines, lineOf: lineFinder(keys, top) }
}
