import { runCli } from '../cli-in-process.js'
import { testdir } from '../helpers.js'

/** One gate's result as `wf check --json` prints it. */
export interface PresetGateResult {
  name: string
  status: string
  message: string
  hint?: string
  locations?: { file: string; line?: number; column?: number; message?: string }[]
}

/** Runs `wf check --json` (in-process) on a repository of `files` whose plan is `extends: builtin:PRESET`: its gate results by name. */
export async function checkPreset(preset: string, files: Record<string, string | Buffer>) {
  const cwd = testdir({
    'phases/wf.yaml': `version: 1\nphases:\n  - id: p\n    extends: builtin:${preset}\n`,
    ...files,
  })
  const result = await runCli(['check', '--json'], { cwd })
  const gates: PresetGateResult[] = JSON.parse(result.stdout).phases[0].gates
  return { code: result.code, gates, byName: Object.fromEntries(gates.map((g) => [g.name, g])) }
}
