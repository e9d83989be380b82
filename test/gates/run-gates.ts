import { expect } from 'vitest'
import { runCli } from '../cli-in-process.js'

/** One gate's result as `wf run --json` prints it. */
export interface GateResult {
  name: string
  status: string
  message: string
  hint?: string
  locations?: { file: string; line?: number; col?: number; message?: string }[]
}

/** A plan of one phase, `check`, holding these gate lines (after the extra phase lines, if any). */
export const planWith = (gates: string, phaseExtra = '') =>
  `version: 1\nphases:\n  - id: check\n${phaseExtra}    gates:\n${gates}`

/** Runs `wf run --json ARGS` in `cwd` (in-process): exit code, output, and the first phase's gate results. */
export async function runGates(cwd: string, args: string[] = []) {
  const result = await runCli(['run', '--json', ...args], { cwd })
  const json = JSON.parse(result.stdout) as { phases: { id: string; gates: GateResult[] }[] }
  return { code: result.code, json, gates: json.phases[0]!.gates, result }
}

/** `wf validate` on a plan with bad gate options: exit 2 and the issue at file:line:col. */
export async function expectInvalid(cwd: string, at: string, message: string) {
  const result = await runCli(['validate'], { cwd })
  expect(result.code).toBe(2)
  expect(result.stdout + result.stderr).toContain(`${at}: error: ${message}`)
}
