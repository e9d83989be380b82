#!/usr/bin/env node
// Generates TypeScript types and standalone ajv validators from the JSON Schemas in contracts/:
//   contracts/plan.schema.json   → src/plan/plan.generated.ts,     src/plan/validate-plan.generated.js
//   contracts/ledger.schema.json → src/ledger/ledger.generated.ts, src/ledger/validate-ledger.generated.js
// `node scripts/gen-contracts.js --check` exits 1 when a generated file is stale.
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const CONTRACTS = [
  {
    schema: 'contracts/plan.schema.json',
    name: 'Plan',
    types: 'src/plan/plan.generated.ts',
    validator: 'src/plan/validate-plan.generated.js',
  },
  {
    schema: 'contracts/ledger.schema.json',
    name: 'Ledger',
    types: 'src/ledger/ledger.generated.ts',
    validator: 'src/ledger/validate-ledger.generated.js',
  },
]
const header = (kind, schemaPath) =>
  `// ${kind} generated from ${schemaPath} by scripts/gen-contracts.js. Do not edit: run \`npm run gen:contracts\`.\n`

/** Renders every generated file; returns [path, content] pairs. */
export async function renderContractArtifacts() {
  const out = []
  for (const contract of CONTRACTS) out.push(...(await renderContract(contract)))
  return out
}

async function renderContract({ schema: schemaPath, name, types: typesPath, validator: validatorPath }) {
  const schema = JSON.parse(readFileSync(root + schemaPath, 'utf8'))
  const { compile } = await import('json-schema-to-typescript')
  const types = await compile(structuredClone(schema), name, {
    bannerComment: header('Types', schemaPath),
    additionalProperties: false,
    strictIndexSignatures: true,
    unreachableDefinitions: true,
    style: { singleQuote: true, semi: false, printWidth: 110 },
  })

  const { default: Ajv } = await import('ajv')
  const { default: standalone } = await import('ajv/dist/standalone/index.js')
  // Only valid/invalid is decided here (explain-schema-errors.ts words the errors), so no allErrors;
  // `unicode: false` keeps the code free of runtime require()s (every minLength in the schema is 1).
  const ajv = new Ajv({
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
    inlineRefs: false,
    unicode: false,
    logger: false,
    code: { source: true, esm: true, lines: false },
  })
  const validate = ajv.compile(stripDocs(schema))
  const code = standalone(ajv, validate)
  if (code.includes('require('))
    throw new Error('the standalone validator needs a runtime require(); adjust the schema or ajv options')
  const validator = `${header('Validator', schemaPath)}// @ts-nocheck\n${code}\n`
  return [
    [typesPath, types],
    [validatorPath, validator],
  ]
}

/** The schema without the words meant for people (they only bloat the generated code). */
function stripDocs(node) {
  if (Array.isArray(node)) return node.map(stripDocs)
  if (node === null || typeof node !== 'object') return node
  const out = {}
  for (const [key, value] of Object.entries(node)) {
    if (key === 'description' || key === 'title' || key === 'examples') continue
    out[key] =
      key === 'properties' || key === 'definitions'
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripDocs(v)]))
        : stripDocs(value)
  }
  return out
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check')
  let stale = 0
  for (const [path, content] of await renderContractArtifacts()) {
    let current = ''
    try {
      current = readFileSync(root + path, 'utf8')
    } catch {}
    if (current === content) continue
    if (check) {
      console.error(`${path} is stale: run \`npm run gen:contracts\``)
      stale++
    } else {
      writeFileSync(root + path, content)
      console.log(`wrote ${path}`)
    }
  }
  process.exitCode = stale ? 1 : 0
}
