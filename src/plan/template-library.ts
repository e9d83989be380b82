import { once } from '../lib/memo.js'
// wf's built-in template library: templates/library.json in the package (schema:
// contracts/template-library.schema.json). Read by the plan loader and the template renderer alike.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from '../lib/package-root.js'

/** One variable a template uses. */
export interface TemplateVar {
  name: string
  description?: string
  /** A literal, or a string rendered against the facts (`{{ author.name }}`). */
  default?: unknown
}

/** A template wf can render. */
export interface TemplateInfo {
  /** `builtin:NAME`, or the repository-relative path. */
  name: string
  /** Absolute path of the template file. */
  file: string
  description?: string
  /** Where it is usually written. */
  to?: string
  vars: TemplateVar[]
}

interface LibraryEntry {
  file: string
  to: string
  description: string
  vars?: Record<string, { description?: string; default?: unknown }>
}

/** wf's built-in templates, by name (without `builtin:`). */
export const builtinTemplates: () => Map<string, TemplateInfo> = once(() => {
  const dir = join(packageRoot, 'templates')
  const manifest = JSON.parse(readFileSync(join(dir, 'library.json'), 'utf8')) as {
    templates: Record<string, LibraryEntry>
  }
  return new Map(
    Object.entries(manifest.templates).map(([name, entry]) => [
      name,
      {
        name: `builtin:${name}`,
        file: join(dir, entry.file),
        description: entry.description,
        to: entry.to,
        vars: Object.entries(entry.vars ?? {}).map(([varName, v]) => ({ name: varName, ...v })),
      },
    ]),
  )
})
