// ajv standalone validation code as an ES module that needs no ajv at runtime.

type AjvInstance = import('ajv').default

/** A deep equality used by `const`, `enum` and `uniqueItems` on objects (what ajv's runtime `equal` does). */
const EQUAL = `function __wfEqual(a, b) {
  if (a === b) return true
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    if (Array.isArray(a) !== Array.isArray(b)) return false
    if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => __wfEqual(x, b[i]))
    const keys = Object.keys(a)
    return keys.length === Object.keys(b).length && keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && __wfEqual(a[k], b[k]))
  }
  return a !== a && b !== b
}
`

/**
 * The standalone code of the given schemas (already added to `ajv`), exported under the guards'
 * names. ajv's runtime helpers are replaced by inline code or ES imports: deep equality is inlined;
 * formats checked by a function (date, uri…) import ajv-formats, which consumers then need.
 */
export async function standaloneModule(ajv: AjvInstance, guards: Array<{ name: string; id: string }>): Promise<string> {
  const { default: standalone } = (await import('ajv/dist/standalone/index.js')) as unknown as {
    default: (ajv: AjvInstance, refs: Record<string, string>) => string
  }
  const mapping = Object.fromEntries(guards.map((g) => [g.name, g.id]))
  let code = standalone(ajv, mapping)
  const imports: string[] = []
  let equal = false
  const modules = new Map<string, string>()
  code = code.replace(/require\("([^"]+)"\)(\.default)?/g, (_match, spec: string, dflt: string | undefined) => {
    if (spec === 'ajv/dist/runtime/equal') {
      equal = true
      return '__wfEqual'
    }
    let binding = modules.get(spec)
    if (!binding) {
      binding = `__wfImport${modules.size}`
      modules.set(spec, binding)
      imports.push(`import ${binding} from '${/\.[cm]?js$/.test(spec) || !spec.includes('/') ? spec : `${spec}.js`}'`)
    }
    return dflt ? `${binding}.default` : binding
  })
  code = code.replace(/^"use strict";\s*/, '')
  return `${imports.length ? `${imports.join('\n')}\n` : ''}${equal ? EQUAL : ''}${code.trimEnd()}\n`
}
