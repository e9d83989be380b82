import { cpSync, readdirSync, readFileSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readText } from '../../src/gates/read-text.js'
import { loadSecretScanner } from '../../src/gates/secret-detectors.js'
import { secretPool } from '../../src/gates/secret-pool.js'
import { repoRoot, runWf, testdir } from '../helpers.js'

// The fixture files, not the generated corpus: its seeded generator is shared by the test files of a worker.
const fixtures = join(repoRoot, 'test', 'fixtures', 'secrets')

// In-process tests run src/, which has no bundled worker: they use the one the test setup builds into dist/.
const workerFile = join(repoRoot, 'dist', 'secret-worker.cjs')

describe('the secret scan in worker threads', () => {
  it('finds what one thread finds, file by file, in the order asked', async () => {
    const tree: Record<string, string | Buffer> = {}
    for (const kind of ['leaked', 'lookalikes'])
      for (const name of readdirSync(join(fixtures, kind)))
        tree[`${kind}/${name}`] = readFileSync(join(fixtures, kind, name))
    tree['bin/blob.dat'] = Buffer.from([1, 0, 2, 3])
    tree['big/huge.txt'] = 'x'.repeat(1024 * 1024 + 1)
    const dir = testdir(tree)
    symlinkSync(join(dir, Object.keys(tree)[0]!), join(dir, 'link.txt'))
    const paths = [...Object.keys(tree), 'link.txt', 'missing.txt'].map((file) => join(dir, file))
    const scan = await loadSecretScanner()
    const here = await Promise.all(
      paths.map(async (path) => {
        const text = await readText(path)
        if (text === undefined) return undefined
        const detections = await scan(path, text)
        return { text: detections.length > 0 ? text : undefined, detections }
      }),
    )
    const pool = secretPool(2, false, workerFile)
    try {
      const spread = await Promise.all(paths.map((path) => pool.scan(path)))
      expect(spread).toEqual(here)
      expect(spread.filter((s) => s === undefined).length).toBe(4)
      expect(spread.filter((s) => s && s.detections.length > 0).length).toBe(19)
    } finally {
      await pool.close()
    }
  })

  it('hands back every text when asked, and fails the scan when a worker cannot start', async () => {
    const dir = testdir({ 'a.txt': 'plain text\n' })
    const pool = secretPool(1, true, workerFile)
    try {
      expect(await pool.scan(join(dir, 'a.txt'))).toEqual({ text: 'plain text\n', detections: [] })
    } finally {
      await pool.close()
    }
    const broken = secretPool(1, false, join(dir, 'no-such-worker.cjs'))
    try {
      await expect(broken.scan(join(dir, 'a.txt'))).rejects.toThrow()
    } finally {
      await broken.close()
    }
  })

  it('wf run: the gate spread over worker threads reports what one thread does, in the same order', async () => {
    const cwd = testdir({
      'phases/p.yaml':
        'version: 1\nphases:\n  - id: s\n    gates:\n      - forbid: { patterns: [secrets, "Fake[A-Z]"], exclude: phases }\n',
    })
    cpSync(join(fixtures, 'leaked'), cwd, { recursive: true })
    const gateOf = async (threads: string) => {
      const { code, stdout } = await runWf(['run', '--json'], { cwd, env: { WF_SCAN_THREADS: threads } })
      expect(code).toBe(1)
      const { status, message, locations } = JSON.parse(stdout).phases[0].gates[0]
      return { status, message, locations }
    }
    const one = await gateOf('0')
    const spread = await gateOf('2')
    expect(spread).toEqual(one)
    expect(one.locations.length).toBeGreaterThanOrEqual(30)
    expect(new Set(one.locations.map((l: { file: string }) => l.file)).size).toBe(19)
  })

  it('wf run: a scan that starts worker threads part way (over 2 MB) reports what one thread does', async () => {
    const filler = `${'const value = computeSomething(input, options) // plain code\n'.repeat(130)}`
    const leaked = readdirSync(join(fixtures, 'leaked')).map((name) =>
      readFileSync(join(fixtures, 'leaked', name), 'utf8'),
    )
    const tree: Record<string, string> = {
      'phases/p.yaml':
        'version: 1\nphases:\n  - id: s\n    gates:\n      - forbid: { patterns: [secrets], exclude: phases }\n',
    }
    for (let i = 0; i < 400; i++) {
      const planted = i % 20 === 7 ? leaked[((i / 20) | 0) % leaked.length]! : ''
      tree[`src/m${String(i).padStart(3, '0')}.txt`] = `${filler}${planted}\n${filler}`
    }
    const cwd = testdir(tree)
    const gateOf = async (env: Record<string, string>) => {
      const { code, stdout } = await runWf(['run', '--json'], { cwd, env })
      expect(code).toBe(1)
      const { status, message, locations } = JSON.parse(stdout).phases[0].gates[0]
      return { status, message, locations }
    }
    const one = await gateOf({ WF_SCAN_THREADS: '0' })
    expect(await gateOf({ WF_SCAN_THREADS: '' })).toEqual(one)
    expect(one.locations.length).toBeGreaterThanOrEqual(20)
  })
})
