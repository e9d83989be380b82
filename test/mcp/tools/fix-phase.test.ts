import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ElicitRequest } from '@modelcontextprotocol/sdk/types.js'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../cli-in-process.js'
import { FIX_PLAN, fixRepo } from '../../fix-repo.js'
import { git, repoRoot } from '../../helpers.js'
import { call, connectMcp, data, errorOf } from '../mcp-client.js'

const PLAN = FIX_PLAN
const repo = () => fixRepo()
const statuses = (gates: { gate: string; status: string }[]) => Object.fromEntries(gates.map((g) => [g.gate, g.status]))
const accept =
  (content: Record<string, boolean>, asked: ElicitRequest[] = []) =>
  (request: ElicitRequest) => {
    asked.push(request)
    return { action: 'accept' as const, content }
  }

describe('wf mcp fix_phase', () => {
  it('is not offered without --allow-write or --allow-run', async () => {
    const cwd = repo()
    const mcp = await connectMcp(cwd, { onElicit: accept({ confirm: true }) })
    try {
      expect((await mcp.client.listTools()).tools.map((t) => t.name)).not.toContain('fix_phase')
      const result = await call(mcp, 'fix_phase', { phase: 'gov' })
      expect(JSON.stringify(result.content)).toMatch(/fix_phase not found/)
      expect(existsSync(join(cwd, 'SECURITY.md'))).toBe(false)
    } finally {
      await mcp.close()
    }
  })

  it('refuses a client without elicitation, and changes nothing when the user declines', async () => {
    const cwd = repo()
    const plain = await connectMcp(cwd, { allowWrite: true })
    try {
      expect((await plain.client.listTools()).tools.map((t) => t.name)).toContain('fix_phase')
      expect(errorOf(await call(plain, 'fix_phase', { phase: 'gov' })).code).toBe('WF_NEEDS_ELICITATION')
    } finally {
      await plain.close()
    }
    const asked: ElicitRequest[] = []
    const mcp = await connectMcp(cwd, {
      allowRun: true,
      onElicit: (request) => {
        asked.push(request)
        return { action: 'decline' }
      },
    })
    try {
      const declined = await data(mcp, 'fix_phase', { phase: 'gov' })
      expect(declined).toMatchObject({ status: 'declined', applied: false })
      expect(statuses(declined.gates)).toEqual({ 'security policy': 'planned', notes: 'planned', pinned: 'manual' })
      expect(asked).toHaveLength(1)
      const message = (asked[0]!.params as { message: string }).message
      expect(message).toContain('security policy: write SECURITY.md from builtin:security-policy')
      expect(message).toContain('+# Security policy')
      expect(message).toContain('notes: run `echo noted > NOTES.txt` (runs `echo noted > NOTES.txt`)')
      expect(git(cwd, 'status', '--porcelain')).toBe('')
      expect(existsSync(join(cwd, '.wf'))).toBe(false)
    } finally {
      await mcp.close()
    }
  })

  it('applies a template fix and a run fix when the user confirms, reports progress per gate, and a following check passes them', async () => {
    const cwd = repo()
    const mcp = await connectMcp(cwd, { allowRun: true, onElicit: accept({ confirm: true }) })
    try {
      const progress: { message?: string }[] = []
      const result = await mcp.client.callTool({ name: 'fix_phase', arguments: { phase: 'gov' } }, undefined, {
        onprogress: (p) => progress.push(p),
      })
      const fixed = result.structuredContent as {
        status: string
        applied: boolean
        gates: { gate: string; status: string }[]
      }
      expect(fixed).toMatchObject({ status: 'failed', applied: true })
      expect(statuses(fixed.gates)).toEqual({ 'security policy': 'fixed', notes: 'fixed', pinned: 'manual' })
      expect(progress.map((p) => p.message)).toEqual([
        'gov: gate security policy fixed',
        'gov: gate notes fixed',
        'gov: gate pinned manual',
      ])
      expect(readFileSync(join(cwd, 'SECURITY.md'), 'utf8')).toContain('by email to **sec@acme.dev**')
      expect(readFileSync(join(cwd, 'NOTES.txt'), 'utf8')).toBe('noted\n')
      const check = await runCli(['check', '--json'], { cwd })
      expect(
        JSON.parse(check.stdout).phases[0].gates.map((g: { name: string; status: string }) => [g.name, g.status]),
      ).toEqual([
        ['security policy', 'passed'],
        ['notes', 'passed'],
        ['pinned', 'failed'],
      ])
    } finally {
      await mcp.close()
    }
  })

  it('with --allow-write only writes files: a run fix is refused', async () => {
    const cwd = repo()
    const mcp = await connectMcp(cwd, { allowWrite: true, onElicit: accept({ confirm: true }) })
    try {
      const fixed = await data(mcp, 'fix_phase', { phase: 'gov' })
      expect(statuses(fixed.gates)).toEqual({ 'security policy': 'fixed', notes: 'refused', pinned: 'manual' })
      expect(existsSync(join(cwd, 'SECURITY.md'))).toBe(true)
      expect(existsSync(join(cwd, 'NOTES.txt'))).toBe(false)
    } finally {
      await mcp.close()
    }
  })

  it('writes over uncommitted changes only when the user allows it in the same form', async () => {
    const cwd = repo()
    writeFileSync(join(cwd, 'SECURITY.md'), '')
    const plan = PLAN.replace('files-exist: [SECURITY.md]', 'file-contains: { in: SECURITY.md, text: Security }')
    writeFileSync(join(cwd, 'phases/gov.yaml'), plan)
    const asked: ElicitRequest[] = []
    const keep = await connectMcp(cwd, { allowWrite: true, onElicit: accept({ confirm: true }, asked) })
    try {
      const kept = await data(keep, 'fix_phase', { phase: 'gov', gate: 'security policy' })
      expect(statuses(kept.gates)).toEqual({ 'security policy': 'refused' })
      const schema = (asked[0]!.params as { requestedSchema: { properties: object } }).requestedSchema
      expect(Object.keys(schema.properties)).toEqual(['confirm', 'overwrite'])
      expect(readFileSync(join(cwd, 'SECURITY.md'), 'utf8')).toBe('')
    } finally {
      await keep.close()
    }
    const mcp = await connectMcp(cwd, { allowWrite: true, onElicit: accept({ confirm: true, overwrite: true }) })
    try {
      const fixed = await data(mcp, 'fix_phase', { phase: 'gov', gate: 'security policy' })
      expect(statuses(fixed.gates)).toEqual({ 'security policy': 'fixed' })
      expect(readFileSync(join(cwd, 'SECURITY.md'), 'utf8')).toContain('# Security policy')
    } finally {
      await mcp.close()
    }
  })
})

describe('wf mcp next_phase fixes', () => {
  it("lists the plan's fixes of the failing gates, and writes nothing", async () => {
    const cwd = repo()
    const mcp = await connectMcp(cwd)
    try {
      const next = await data(mcp, 'next_phase')
      expect(next.fixes).toEqual([
        {
          gate: 'security policy',
          kind: 'template',
          description: 'write SECURITY.md from builtin:security-policy',
          files: ['SECURITY.md'],
        },
        { gate: 'notes', kind: 'run', description: 'run `echo noted > NOTES.txt`' },
        {
          gate: 'pinned',
          kind: 'manual',
          description: 'cannot be fixed offline',
          manual: "pinning needs the tag's commit: look it up and pin it by hand",
        },
      ])
      expect(next.steps[0]).toBe(
        'The plan fixes `security policy`, `notes` itself: ask the user to run `wf fix gov` (this server was started without --allow-write), or make the changes below.',
      )
      expect(next.steps).toContain(
        "Gate `pinned` needs a fix by hand: pinning needs the tag's commit: look it up and pin it by hand.",
      )
      expect(git(cwd, 'status', '--porcelain')).toBe('')
    } finally {
      await mcp.close()
    }
  })
})

describe('wf mcp --help', () => {
  it('names --allow-write and fix_phase', async () => {
    const { code, stdout } = await runCli(['mcp', '--help'], { cwd: repoRoot })
    expect(code).toBe(0)
    expect(stdout).toMatch(/--allow-write\s+Offer fix_phase/)
  })
})
