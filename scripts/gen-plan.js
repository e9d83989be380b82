#!/usr/bin/env node
// Generates src/plan/plan.generated.ts (types) and src/plan/validate-plan.generated.js
// (a standalone ajv validator) from contracts/plan.schema.json.
// `node scripts/gen-plan.js --check` exits 1 when a generated file is stale.
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const schemaPath = 'contracts/plan.schema.json'
const header = (kind) =>
  `// ${kind} generated from ${schemaPath} by scripts/gen-plan.js. Do not edit: run \`npm run gen:plan\`.\n`

/** Renders both generated files; returns [path, content] pairs. */
export async function renderPlanArtifacts() {
  const schema = JSON.parse(readFileSync(root + schemaPath, 'utf8'))
  const { compile } = await import('json-schema-to-typescript')
  const types = await compile(structuredClone(schema), 'Plan', {
    bannerComment: header('Types'),
    additionalProperties: false,
    strictIndexSignatures: true,
    unreachableDefinitions: true,
    style: { singleQuote: true, semi: false, printWidth: 110 },
  })

  const { default: Ajv } = await import('ajv')
  const { default: standalone } = await import('ajv/dist/standalone/index.js')
  // Only valid/invalid is decided here (explain-schema-errors.ts words the errors), so no allErrors;
  // `unicode: false` keeps the code free of runtime require()s (every minLength in the schema is 1).
  const ajv = new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true, inlineRefs: false, unicode: false, logger: false, code: { source: true, esm: true, lines: false } })
  const validate = ajv.compile(stripDocs(schema))
  const code = standalone(ajv, validate)
  if (code.includes('require(')) throw new Error('the standalone validator needs a runtime require(); adjust the schema or ajv options')
  const validator = header('Validator') + '// @ts-nocheck\n' + code + '\n'
  return [
    ['src/plan/plan.generated.ts', types],
    ['src/plan/validate-plan.generated.js', validator],
  ]
}

/** The schema without the words meant for people (they only bloat the generated code). */
function stripDocs(node) {
  if (Array.isArray(node)) return node.map(stripDocs)
  if (node === null || typeof node !== 'object') return node
  const out = {}
  for (const [key, value] of Object.entries(node)) {
    if (key === 'description' || key === 'title' || key === 'examples') continue
    out[key] = key === 'properties' || key === 'definitions'
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripDocs(v)]))
      : stripDocs(value)
  }
  return out
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check')
  let stale = 0
  for (const [path, content] of await renderPlanArtifacts()) {
    let current = ''
    try { current = readFileSync(root + path, 'utf8') } catch {}
    if (current === content) continue
    if (check) { console.error(`${path} is stale: run \`npm run gen:plan\``); stale++ }
    else { writeFileSync(root + path, content); console.log(`wrote ${path}`) }
  }
  process.exitCode = stale ? 1 : 0
}
