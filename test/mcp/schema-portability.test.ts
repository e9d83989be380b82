import { describe, expect, it } from 'vitest'
import { gitRepo } from '../helpers.js'
import { connectMcp } from './mcp-client.js'

/** Keywords that say nothing about the value: a schema made of these alone accepts anything. */
const ANNOTATIONS = new Set(['description', 'title', 'default', 'examples', '$comment', 'deprecated'])

/** Where a schema leaves the subset every MCP client accepts (the checks of MCP Inspector's --strict mode). */
function portabilityProblems(schema: unknown, path: string, problems: string[] = []): string[] {
  if (schema === null || typeof schema !== 'object') return problems
  if (Array.isArray(schema)) {
    for (const [i, item] of schema.entries()) portabilityProblems(item, `${path}[${i}]`, problems)
    return problems
  }
  const node = schema as Record<string, unknown>
  if (Object.keys(node).every((key) => ANNOTATIONS.has(key))) problems.push(`${path}: an empty schema accepts anything`)
  if (Array.isArray(node.type)) problems.push(`${path}: a type array ${JSON.stringify(node.type)}`)
  if ('$ref' in node) problems.push(`${path}: a $ref`)
  for (const key of ['properties', 'definitions', '$defs', 'patternProperties'])
    for (const [name, sub] of Object.entries((node[key] as Record<string, unknown>) ?? {}))
      portabilityProblems(sub, `${path}.${key}.${name}`, problems)
  for (const key of ['items', 'additionalProperties', 'propertyNames', 'not', 'anyOf', 'oneOf', 'allOf'])
    if (key in node && typeof node[key] === 'object') portabilityProblems(node[key], `${path}.${key}`, problems)
  return problems
}

describe('wf mcp tool schemas', () => {
  it('stay in the portable subset: no empty schema, no type array, no $ref, in any input or output schema', async () => {
    const cwd = gitRepo({ 'phases/plan.yaml': 'version: 1\nphases:\n  - id: a\n    tasks: [{ run: "true" }]\n' })
    const mcp = await connectMcp(cwd, { allowRun: true })
    try {
      const { tools } = await mcp.client.listTools()
      expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['get_phase', 'get_status', 'run_phase']))
      const problems = tools.flatMap((tool) => [
        ...portabilityProblems(tool.inputSchema, `${tool.name}.inputSchema`),
        ...(tool.outputSchema ? portabilityProblems(tool.outputSchema, `${tool.name}.outputSchema`) : []),
      ])
      expect(problems).toEqual([])
      // The checker does see what it looks for.
      expect(portabilityProblems({ properties: { a: {}, b: { type: ['string', 'null'] } } }, 's')).toHaveLength(2)
    } finally {
      await mcp.close()
    }
  })
})
