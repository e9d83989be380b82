// TypeScript names and module paths for schema files (`OrderIntent@1.2.json` → `OrderIntentV1_2` in `OrderIntent-v1_2.ts`).
import { posix } from 'node:path'

/** A schema file's name without folder, extension and a `.schema` suffix. */
export function schemaStem(rel: string): string {
  return posix
    .basename(rel)
    .replace(/\.(json|ya?ml)$/i, '')
    .replace(/\.schema$/i, '')
}

/** PascalCase of any text, a valid TypeScript identifier. */
export function pascalName(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean)
  const name = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')
  if (name === '') return 'Schema'
  return /^[0-9]/.test(name) ? `T${name}` : name
}

/** The type name of a schema file: its stem in PascalCase, with a version after `@` as `V1_2`. */
export function typeNameFor(rel: string): string {
  const [name, version] = splitVersion(schemaStem(rel))
  return pascalName(name) + (version ? `V${version.replace(/[^A-Za-z0-9]+/g, '_')}` : '')
}

/** The generated module of a schema file, relative to `out` and without extension. */
export function modulePathFor(rel: string, base: string): string {
  const inside = base === '.' ? rel : posix.relative(base, rel)
  const dir = posix.dirname(inside)
  const [name, version] = splitVersion(schemaStem(rel))
  const file = name.replace(/[^A-Za-z0-9_-]+/g, '-') + (version ? `-v${version.replace(/[^A-Za-z0-9]+/g, '_')}` : '')
  return dir === '.' ? file : `${dir}/${file}`
}

/** An import specifier from one generated module to another (`./x.js`, `../a/y.js`). */
export function importSpecifier(fromModule: string, toModule: string): string {
  const rel = posix.relative(posix.dirname(fromModule), toModule)
  return `${rel.startsWith('.') ? rel : `./${rel}`}.js`
}

function splitVersion(stem: string): [string, string | undefined] {
  const at = stem.lastIndexOf('@')
  return at > 0 ? [stem.slice(0, at), stem.slice(at + 1)] : [stem, undefined]
}
