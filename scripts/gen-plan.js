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
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, inlineRefs: false, code: { source: true, esm: true, lines: false } })
  const validate = ajv.compile(schema)
  // ajv's standalone code may require() its small runtime helpers, even in ESM output.
  const validator = header('Validator') + '// @ts-nocheck\n' +
    "import { createRequire } from 'node:module'\nconst require = createRequire(import.meta.url)\n" +
    standalone(ajv, validate) + '\n'
  return [
    ['src/plan/plan.generated.ts', types],
    ['src/plan/validate-plan.generated.js', validator],
  ]
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
