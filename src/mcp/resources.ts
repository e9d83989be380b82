import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { McpError } from '@modelcontextprotocol/sdk/types.js'
import { WfError } from '../lib/errors.js'
import { loadYaml } from '../plan/yaml.js'
import { describePhase } from './phase-definition.js'
import type { McpContext } from './tool-kit.js'
import { readPhase } from './tools/get-phase.js'
import { readPreset } from './tools/list-presets.js'
import { findPresets } from '../app/find-presets.js'
import { PRESET_CATEGORIES } from '../plan/presets/preset.js'

/** The JSON-RPC error code the MCP specification gives a resource that does not exist. */
const RESOURCE_NOT_FOUND = -32002

/** Reads a resource, answering an unknown phase or preset id with a not-found error that names the likely one. */
async function found<T>(uri: URL, read: () => T | Promise<T>, listedBy: string): Promise<T> {
  try {
    return await read()
  } catch (error) {
    if (!(error instanceof WfError) || error.code !== 'WF_UNKNOWN_PHASE') throw error
    const named = /did you mean/.test(error.message)
    const hint = named ? '' : error.hint?.startsWith('did you mean') ? `; ${error.hint}` : `; ${listedBy} lists them`
    throw new McpError(RESOURCE_NOT_FOUND, `${error.message}${hint}`, { uri: uri.href, code: error.code })
  }
}

const json = (uri: URL, data: unknown) => ({
  contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(data, null, 1) }],
})

/** `wf://ledger`, `wf://plan`, `wf://phases/{id}` (ids complete from the plan), `wf://presets` and `wf://presets/{id}`. */
export function registerResources(server: McpServer, context: McpContext): void {
  server.registerResource(
    'ledger',
    'wf://ledger',
    {
      title: 'wf ledger',
      description:
        'The ledger (.wf/ledger.json): the latest result of every phase, what each last passed with, and the last runs.',
      mimeType: 'application/json',
    },
    async (uri) => json(uri, await context.repo.ledger()),
  )

  server.registerResource(
    'plan',
    'wf://plan',
    {
      title: 'wf plan',
      description:
        'The resolved plan: every phase in run order with its needs, inputs, tasks and gates (extends applied).',
      mimeType: 'application/json',
    },
    async (uri) => {
      const plan = await context.repo.plan()
      await loadYaml()
      return json(uri, { files: plan.files, phases: plan.phases.map(describePhase) })
    },
  )

  const ids = async () => (await context.repo.plan()).phases.map((p) => p.id)
  server.registerResource(
    'phase',
    new ResourceTemplate('wf://phases/{id}', {
      list: async () => ({
        resources: (await context.repo.plan()).phases.map((p) => ({
          uri: `wf://phases/${p.id}`,
          name: p.id,
          title: p.name,
          mimeType: 'application/json',
        })),
      }),
      complete: {
        id: async (value) =>
          (await ids().catch(() => [] as string[])).filter((id) => id.startsWith(value)).slice(0, 100),
      },
    }),
    {
      title: 'wf phase',
      description:
        'One phase: its definition, whether it is up to date and why not, and its latest result (as get_phase returns it).',
      mimeType: 'application/json',
    },
    async (uri, variables) => {
      const id = Array.isArray(variables.id) ? variables.id[0] : variables.id
      return json(uri, await found(uri, () => readPhase(context, decodeURIComponent(String(id ?? ''))), 'wf://plan'))
    },
  )
  registerPresetResources(server)
}

/** `wf://presets` (the library) and `wf://presets/{id}` (one preset's checks; ids complete). */
function registerPresetResources(server: McpServer): void {
  server.registerResource(
    'presets',
    'wf://presets',
    {
      title: 'wf presets',
      description:
        'The built-in preset library: every preset a phase can reuse with `extends: builtin:ID`, with its category, tags, why it matters and how many checks it has.',
      mimeType: 'application/json',
    },
    async (uri) => json(uri, { categories: PRESET_CATEGORIES, presets: findPresets() }),
  )

  server.registerResource(
    'preset',
    new ResourceTemplate('wf://presets/{id}', {
      list: async () => ({
        resources: findPresets().map((p) => ({
          uri: `wf://presets/${p.id}`,
          name: p.id,
          title: p.name,
          description: p.description,
          mimeType: 'application/json',
        })),
      }),
      complete: {
        id: async (value) =>
          findPresets()
            .map((p) => p.id)
            .filter((id) => id.startsWith(value))
            .slice(0, 100),
      },
    }),
    {
      title: 'wf preset',
      description:
        'One built-in preset: why it matters, its condition, and every check with what it checks and the hint that says what to do when it fails.',
      mimeType: 'application/json',
    },
    async (uri, variables) => {
      const id = Array.isArray(variables.id) ? variables.id[0] : variables.id
      return json(uri, await found(uri, () => readPreset(decodeURIComponent(String(id ?? ''))), 'wf://presets'))
    },
  )
}
