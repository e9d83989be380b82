import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Document, Node, YAMLError } from 'yaml'
import type { PlanIssue } from '../lib/errors.js'
import { packageRoot } from '../lib/package-root.js'
import { explainSchemaErrors } from './explain-schema-errors.js'
import { locate, locateOffset, type Target, type YamlSource } from './locate.js'
import { planValidator } from './plan-validator.js'
import { yamlSync } from './yaml.js'
import { lazyImport } from '../lib/memo.js'

/** Builds a plan issue located at a data path of a file. */
export function issueAt(
  file: YamlSource,
  path: readonly (string | number)[],
  code: string,
  message: string,
  extra: { target?: Target; expected?: string; hint?: string } = {},
): PlanIssue {
  const { location, excerpt } = locate(file, path, extra.target)
  return { code, message, location, excerpt, expected: extra.expected, hint: extra.hint }
}

/** One issue per line with a YAML syntax error: later errors on a line mostly follow from the first. */
export function syntaxIssues(source: YamlSource): PlanIssue[] {
  const issues: PlanIssue[] = []
  const used = new Set<Node>()
  let lastLine: number | undefined
  for (const error of source.doc.errors) {
    const opening = unclosedOpening(source.doc, error, used)
    if (opening) used.add(opening.node)
    const [start, end] = opening ? [opening.node.range![0], opening.node.range![0] + 1] : error.pos
    const { location, excerpt } = locateOffset(source, start, end)
    if (location.line === lastLine) continue
    lastLine = location.line
    const message =
      error.code === 'RESOURCE_EXHAUSTION'
        ? 'collections nest too deeply to read'
        : `YAML syntax error: ${firstLine(error.message)}`
    issues.push({ code: 'WF_PLAN_SYNTAX', message, location, excerpt, hint: opening?.hint ?? yamlHint(error.code) })
  }
  return issues
}

// Constructs the parser reports as unterminated: how to name each, what closes it, which nodes are one.
const UNCLOSED: Record<string, { what: string; close: string; opens: (node: unknown) => boolean }> = {
  '"': {
    what: 'quoted string',
    close: '"',
    opens: (node) => yamlSync().isScalar(node) && node.type === 'QUOTE_DOUBLE',
  },
  "'": {
    what: 'quoted string',
    close: "'",
    opens: (node) => yamlSync().isScalar(node) && node.type === 'QUOTE_SINGLE',
  },
  sequence: { what: '`[`', close: ']', opens: (node) => yamlSync().isSeq(node) && node.flow === true },
  map: { what: '`{`', close: '}', opens: (node) => yamlSync().isMap(node) && node.flow === true },
}

/**
 * The quoted string or flow collection that a "missing closing quote/bracket" error is about.
 * The parser reports those where it gave up, often the end of the file; the opening is what to fix.
 */
function unclosedOpening(doc: Document, error: YAMLError, used: Set<Node>): { node: Node; hint: string } | undefined {
  const kind =
    /^Missing closing (["'])quote/.exec(error.message)?.[1] ??
    /^Flow (sequence|map) in block collection/.exec(error.message)?.[1]
  const unclosed = kind === undefined ? undefined : UNCLOSED[kind]
  if (!unclosed) return undefined
  let found: Node | undefined
  const { visit, isNode } = yamlSync()
  visit(doc, (_, node) => {
    if (isNode(node) && unclosed.opens(node) && node.range?.[1] === error.pos[0] && !used.has(node)) {
      found = node
      return visit.BREAK
    }
  })
  return (
    found && {
      node: found,
      hint: `the ${unclosed.what} opened here is never closed; add the missing \`${unclosed.close}\``,
    }
  )
}

/** The first line of a parser message, without its position (the issue carries that). */
export function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
}

export function yamlHint(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'each key may appear once in a mapping; remove or rename the repeated key'
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return 'check the indentation: nested keys are indented under their parent with spaces'
    case 'TAB_AS_INDENT':
      return 'indent with spaces, not tabs'
    case 'RESOURCE_EXHAUSTION':
      return 'a plan needs only a few levels of nesting; flatten the deeply nested value'
    case 'BLOCK_AS_IMPLICIT_KEY':
      return 'check the indentation of this line; a value that contains `: ` must be quoted'
    default:
      return 'fix the YAML syntax at this position'
  }
}

const planSchema = lazyImport(
  async (): Promise<object> => JSON.parse(await readFile(join(packageRoot, 'contracts', 'plan.schema.json'), 'utf8')),
)
/**
 * Explains schema violations (the slow path: only for invalid plans). `within`: the file holds only
 * the part of `data` at this path (an environment file), so locations drop it.
 */
export async function explainInvalid(
  source: YamlSource,
  data: unknown,
  within: readonly string[] = [],
): Promise<PlanIssue[]> {
  const inFile = (path: readonly (string | number)[]) =>
    within.every((key, i) => String(path[i]) === key) ? path.slice(within.length) : path
  // Messages name the path a value sits at; the part of it outside the file is left out.
  const outside = [...within]
    .reverse()
    .map((key) => ` in \`${key}\``)
    .join('')
  const inFileText = (message: string) => (outside ? message.replace(outside, '') : message)
  const findings = explainSchemaErrors(await planSchema(), data)
  if (findings.length === 0) {
    const errors = (await planValidator()).errors ?? []
    return errors.map((e) =>
      issueAt(
        source,
        inFile(e.instancePath.split('/').slice(1)),
        'WF_PLAN_INVALID',
        `${e.instancePath || 'plan'} ${e.message ?? 'is invalid'}`,
      ),
    )
  }
  return findings.map((f) => {
    const hint =
      f.hint ??
      (f.path.length === 0 && f.message.includes('`version`') ? 'add `version: 1` at the top of the file' : undefined)
    return issueAt(source, inFile(f.path), 'WF_PLAN_INVALID', inFileText(f.message), {
      target: f.target,
      expected: f.expected,
      hint,
    })
  })
}
