import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generateTemplate } from '../../src/app/generate-template.js'
import { planEdit } from '../../src/gates/fix-edits.js'
import { Workspace } from '../../src/lib/workspace.js'
import { BUILTIN_PHASES } from '../../src/plan/builtin-phases.js'
import type { Fix } from '../../src/plan/plan.generated.js'
import { runCli } from '../cli-in-process.js'
import { git, gitRepo } from '../helpers.js'

const VARS = { license: 'MIT' }

/** A repository that fails what the presets' offline fixes repair: no CI or a workflow without permissions, JavaScript without a header, a Dockerfile without .dockerignore. */
function repository(preset: string, workflow: boolean): string {
  const cwd = gitRepo({
    'phases/wf.yaml': `version: 1\nvars: ${JSON.stringify(VARS)}\nphases:\n  - id: p\n    extends: builtin:${preset}\n`,
    ...(workflow && {
      '.github/workflows/build.yml':
        'name: build\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n',
    }),
    'src/cli.js': '#!/usr/bin/env node\nconsole.log("hi")\n',
    Dockerfile: 'FROM scratch\nCOPY app /app\n',
  })
  git(cwd, 'remote', 'add', 'origin', 'https://github.com/acme/widgets.git')
  return cwd
}

async function check(cwd: string): Promise<Map<string, string>> {
  const result = await runCli(['check', '--json'], { cwd })
  const gates: { name: string; status: string }[] = JSON.parse(result.stdout).phases[0].gates
  return new Map(gates.map((g) => [g.name, g.status]))
}

/** Applies one offline fix the way `wf fix` does: renders its template, or writes the files its edit plans. */
async function apply(cwd: string, fix: Fix): Promise<void> {
  if (fix.template) {
    await generateTemplate({
      cwd,
      template: fix.template,
      to: fix.to,
      vars: fix.vars ?? {},
      lockTimeoutMs: 10_000,
      argv: ['generate', 'template', fix.template],
    })
    return
  }
  const workspace = new Workspace(cwd)
  try {
    for (const change of await planEdit(fix.edit!, { root: cwd, workspace, vars: VARS })) {
      mkdirSync(dirname(join(cwd, change.path)), { recursive: true })
      writeFileSync(join(cwd, change.path), change.after)
    }
  } finally {
    workspace.close()
  }
}

const offline = (fix: Fix) => fix.template !== undefined || fix.edit !== undefined

describe('the presets’ offline fixes', () => {
  it('each template and edit fix, applied to a repository where its check fails, makes the check pass', async () => {
    // A check shared by several presets is tried once.
    const repaired = new Set<string>()
    for (const [id, preset, workflow] of Object.entries(BUILTIN_PHASES).flatMap(([id, p]) => [
      [id, p, true] as const,
      [id, p, false] as const,
    ])) {
      if (!preset.gates.some((g) => offline(g.fix) && !repaired.has(JSON.stringify(g)))) continue
      const cwd = repository(id, workflow)
      const before = await check(cwd)
      const failing = preset.gates.filter((g) => offline(g.fix) && before.get(g.name) !== 'passed')
      for (const gate of failing) await apply(cwd, gate.fix)
      const after = await check(cwd)
      for (const gate of failing) {
        expect(after.get(gate.name), `${id}: ${gate.name}`).toBe('passed')
        repaired.add(JSON.stringify(gate))
      }
    }
    // Every check of the library with an offline fix was seen failing, then repaired.
    const all = Object.values(BUILTIN_PHASES).flatMap((p) => p.gates.filter((g) => offline(g.fix)))
    expect(all.filter((g) => !repaired.has(JSON.stringify(g))).map((g) => g.name)).toEqual([])
  })
})
