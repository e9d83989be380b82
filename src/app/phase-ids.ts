import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { CORE_SCHEMA, load } from 'js-yaml'
import { findRoot, isInside } from '../lib/paths.js'

/** A phase id and its name, as shell completion offers it. */
export interface PhaseId {
  id: string
  name?: string
}

/** The phase ids of the plan files (`phases/*.y{a,}ml`, or `plan`, and what they include), read without validating: for completion, never throws. */
export function phaseIds(cwd: string, plan?: string): PhaseId[] {
  const root = findRoot(cwd)
  const found = new Map<string, PhaseId>()
  const seen = new Set<string>()
  const read = (file: string) => {
    if (seen.has(file) || !isInside(root, file) || !existsSync(file)) return
    seen.add(file)
    let doc: unknown
    try {
      doc = load(readFileSync(file, 'utf8'), { schema: CORE_SCHEMA })
    } catch {
      return
    }
    if (!doc || typeof doc !== 'object') return
    const { phases, include } = doc as { phases?: unknown; include?: unknown }
    for (const phase of Array.isArray(phases) ? phases : []) {
      const id = (phase as { id?: unknown } | null)?.id
      const name = (phase as { name?: unknown }).name
      if (typeof id === 'string' && !found.has(id)) found.set(id, { id, ...(typeof name === 'string' ? { name } : {}) })
    }
    for (const target of Array.isArray(include) ? include : [])
      if (typeof target === 'string' && !target.startsWith('npm:')) read(resolve(dirname(file), target))
  }
  if (plan) read(resolve(cwd, plan))
  else {
    const dir = join(root, 'phases')
    let names: string[] = []
    try {
      names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n))
    } catch {}
    for (const name of names.sort()) read(join(dir, name))
  }
  return [...found.values()]
}
