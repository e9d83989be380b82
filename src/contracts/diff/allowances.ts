// `.wf-allow-breaking.yaml`: breaking changes accepted on purpose, each with a reason.
import { readFile } from 'node:fs/promises'
import { join, posix } from 'node:path'
import { WfError } from '../../lib/errors.js'
import type { ContractChange } from './kinds.js'

/** One accepted breaking change. */
export interface Allowance {
  schema: string
  pointer?: string
  change?: string
  reason: string
}

export const ALLOWANCE_FILES = ['.wf-allow-breaking.yaml', '.wf-allow-breaking.yml', '.wf-allow-breaking.json']

/** Reads the allowance file in a schema folder (none is fine); an invalid one is an error naming the place. */
export async function readAllowances(root: string, base: string): Promise<{ file?: string; allowances: Allowance[] }> {
  for (const name of ALLOWANCE_FILES) {
    const rel = base === '.' ? name : `${base}/${name}`
    const text = await readFile(join(root, rel), 'utf8').catch(() => undefined)
    if (text === undefined) continue
    let data: unknown
    try {
      const { CORE_SCHEMA, load } = await import('js-yaml')
      data = load(text, { schema: CORE_SCHEMA })
    } catch (error) {
      throw new WfError('WF_USAGE', `${rel} does not parse: ${(error as Error).message.split('\n')[0]}`, {
        hint: 'fix its YAML syntax',
      })
    }
    const problem = checkAllowances(data)
    if (problem)
      throw new WfError('WF_USAGE', `${rel} is invalid: ${problem}`, {
        hint: 'each entry of `allow:` needs `schema` and `reason`, and may name `pointer` and `change` (see contracts/allow-breaking.schema.json)',
      })
    return { file: rel, allowances: (data as { allow: Allowance[] }).allow }
  }
  return { allowances: [] }
}

function checkAllowances(data: unknown): string | undefined {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return 'it must hold an object with an `allow:` list'
  const allow = (data as { allow?: unknown }).allow
  if (!Array.isArray(allow)) return '`allow` must be a list'
  for (const [i, item] of allow.entries()) {
    if (!item || typeof item !== 'object') return `/allow/${i} must be an object`
    for (const key of Object.keys(item))
      if (!['schema', 'pointer', 'change', 'reason'].includes(key)) return `/allow/${i} has an unknown key \`${key}\``
    const entry = item as Record<string, unknown>
    if (typeof entry.schema !== 'string' || entry.schema === '') return `/allow/${i}/schema must name a schema file`
    if (typeof entry.reason !== 'string' || entry.reason.trim() === '')
      return `/allow/${i}/reason must say why the break is acceptable`
    if (entry.pointer !== undefined && (typeof entry.pointer !== 'string' || !/^(\/.*)?$/.test(entry.pointer)))
      return `/allow/${i}/pointer must be a JSON pointer such as /properties/name`
    if (entry.change !== undefined && typeof entry.change !== 'string')
      return `/allow/${i}/change must be a change kind such as property-removed`
  }
  return undefined
}

/** Marks the breaking changes an allowance covers. */
export function applyAllowances(
  changes: ContractChange[],
  allowances: readonly Allowance[],
  base: string,
  file: string,
): void {
  for (const change of changes) {
    if (change.breaks.length === 0) continue
    const inBase = base === '.' ? change.file : posix.relative(base, change.file)
    const previous =
      typeof change.before === 'string' && change.kind === 'schema-renamed'
        ? posix.relative(base, change.before)
        : undefined
    const match = allowances.find(
      (a) =>
        (posix.normalize(a.schema) === inBase || posix.normalize(a.schema) === previous) &&
        (a.pointer === undefined || a.pointer === change.pointer) &&
        (a.change === undefined || a.change === change.kind),
    )
    if (match) change.allowed = { reason: match.reason, by: file }
  }
}
