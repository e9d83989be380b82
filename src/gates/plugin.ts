import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { redact } from '../lib/environment.js'
import { WfError } from '../lib/errors.js'
import type { ResultLocation } from '../ledger/ledger.js'
import { isInside } from '../lib/paths.js'
import type { PluginGate } from '../plan/plan.generated.js'
import type { GateContext, GateKind, GateOutcome } from './gate-kind.js'

/** What a plugin module exports (as `default` or as `gate`). */
export interface GatePlugin {
  name: string
  run(ctx: PluginContext): GateOutcome | Promise<GateOutcome>
}

/** What a plugin's `run` gets. */
export interface PluginContext {
  root: string
  options: Record<string, unknown>
  env: Record<string, string>
  signal: AbortSignal
  only?: string[]
}

const EXAMPLE =
  "export default { name: 'my-check', async run(ctx) { return { status: 'passed', message: 'all good' } } }"

/** `plugin:` — a local ES module's `run(ctx)` decides. */
export const pluginGate: GateKind<PluginGate> = {
  describe: (gate) => `plugin ${gate.plugin}`,
  executes: true,
  inputs: (gate) => [gate.plugin],
  paths: (gate) => [{ at: ['plugin'], value: gate.plugin, mustExist: 'file', what: 'plugin module' }],
  perFile: true,
  async check(gate, context) {
    const full = resolve(context.root, gate.plugin)
    if (!isInside(context.root, full))
      return {
        status: 'failed',
        message: `plugin ${gate.plugin} is outside the repository; plugins are local modules inside it`,
      }
    let real: string
    try {
      real = await context.workspace.boundary.resolve(full)
    } catch (error) {
      if (error instanceof WfError) return { status: 'failed', message: `${error.message}; ${error.hint}` }
      real = full
    }
    let module: Record<string, unknown>
    try {
      module = await importModule(pathToFileURL(real).href)
    } catch (error) {
      return {
        status: 'failed',
        message: `plugin ${gate.plugin} could not be loaded: ${firstLine(error)}; it must be an ES module (.mjs, or .js in a package with "type": "module") such as: ${EXAMPLE}`,
      }
    }
    const plugin = module.gate ?? module.default
    const wrong = shapeProblem(plugin)
    if (wrong)
      return {
        status: 'failed',
        message: `plugin ${gate.plugin} ${wrong}; export \`{ name: string, run(ctx) }\` as the default export or as \`gate\`, e.g. ${EXAMPLE}`,
      }
    context.workspace.filesChanged()
    try {
      return await runPlugin(gate, plugin as GatePlugin, context)
    } finally {
      context.workspace.filesChanged()
    }
  },
}

/** Imports a module by URL: through the importer bin/load-cli.js provides (the bundle runs in node:vm), else directly. */
function importModule(url: string): Promise<Record<string, unknown>> {
  const importer = (globalThis as { __wfImport?: (url: string) => Promise<Record<string, unknown>> }).__wfImport
  return importer ? importer(url) : import(url)
}

function shapeProblem(plugin: unknown): string | undefined {
  if (typeof plugin !== 'object' || plugin === null)
    return `exports ${plugin === undefined ? 'neither a default export nor `gate`' : `a ${plugin === null ? 'null' : typeof plugin} as its gate`}`
  const { name, run } = plugin as Partial<GatePlugin>
  if (typeof name !== 'string' || name === '') return 'exports a gate without a `name` string'
  if (typeof run !== 'function') return `exports gate \`${name}\` without a \`run\` function`
  return undefined
}

async function runPlugin(gate: PluginGate, plugin: GatePlugin, context: GateContext): Promise<GateOutcome> {
  const secrets = context.env.secrets
  let result: unknown
  try {
    result = await plugin.run({
      root: context.root,
      options: { ...gate.options },
      env: { ...context.env.vars },
      signal: context.signal,
      ...(context.only ? { only: [...context.only] } : {}),
    })
  } catch (error) {
    return {
      status: 'failed',
      message: redact(
        `plugin \`${plugin.name}\` (${gate.plugin}) threw: ${firstLine(error)}; fix the plugin so that run(ctx) returns { status: 'failed', message } instead of throwing`,
        secrets,
      ),
    }
  }
  const problem = resultProblem(result)
  if (problem)
    return {
      status: 'failed',
      message: `plugin \`${plugin.name}\` (${gate.plugin}) returned ${problem}; run(ctx) must return { status: 'passed' | 'failed', message: string, locations?: [{ file, line?, col?, message? }] }`,
    }
  const outcome = result as GateOutcome
  const locations = (outcome.locations ?? []).map((l) => cleanLocation(l, secrets))
  return {
    status: outcome.status,
    message: redact(outcome.message, secrets),
    ...(locations.length ? { locations } : {}),
  }
}

const isPositiveInt = (value: unknown) => value === undefined || (Number.isInteger(value) && (value as number) >= 1)

function resultProblem(result: unknown): string | undefined {
  if (typeof result !== 'object' || result === null)
    return `${result === null ? 'null' : typeof result} instead of an object`
  const { status, message, locations } = result as Record<string, unknown>
  if (status !== 'passed' && status !== 'failed') return `status ${JSON.stringify(status)}, not 'passed' or 'failed'`
  if (typeof message !== 'string') return `a ${typeof message} message, not a string`
  if (locations === undefined) return undefined
  if (!Array.isArray(locations)) return 'locations that are not a list'
  const index = locations.findIndex((l) => {
    const { file, line, col, message: text } = (l ?? {}) as Record<string, unknown>
    return (
      typeof file !== 'string' ||
      !isPositiveInt(line) ||
      !isPositiveInt(col) ||
      (text !== undefined && typeof text !== 'string')
    )
  })
  return index < 0
    ? undefined
    : `an invalid locations[${index}] (file must be a string; line and col positive integers; message a string)`
}

function cleanLocation(location: ResultLocation, secrets: readonly string[]): ResultLocation {
  const { file, line, col, message } = location
  return {
    file,
    ...(line !== undefined ? { line } : {}),
    ...(col !== undefined ? { col } : {}),
    ...(message !== undefined ? { message: redact(message, secrets) } : {}),
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.replace(/\.$/, '')
}
