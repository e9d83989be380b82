import { describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { testdir } from '../helpers.js'
import { planWith, runGates } from './run-gates.js'

describe('large-files gate', () => {
  it('names each file over the limit with its size, largest first; `exclude` leaves files out', async () => {
    const cwd = testdir({
      'phases/p.yaml': planWith(
        ['      - large-files: 10KB', '      - large-files: { max: 10KB, exclude: "assets/**" }', ''].join('\n'),
      ),
      'assets/video.bin': Buffer.alloc(25_000),
      'data/dump.sql': 'x'.repeat(12_345),
      'small.txt': 'x'.repeat(10_000),
    })
    const { gates } = await runGates(cwd)
    expect(gates[0]).toMatchObject({
      status: 'failed',
      message: '2 files larger than 10 KB: assets/video.bin (25 KB), data/dump.sql (12.3 KB)',
      locations: [
        { file: 'assets/video.bin', message: '25 KB, over the limit of 10 KB' },
        { file: 'data/dump.sql', message: '12.3 KB, over the limit of 10 KB' },
      ],
    })
    expect(gates[1]!.locations).toEqual([{ file: 'data/dump.sql', message: '12.3 KB, over the limit of 10 KB' }])
  })

  it('does not count files Git LFS stores (git holds only a pointer)', async () => {
    const cwd = testdir({
      'phases/p.yaml': planWith('      - large-files: 10KB\n'),
      '.gitattributes': '*.psd filter=lfs diff=lfs merge=lfs -text\n',
      'design/cover.psd': Buffer.alloc(20_000),
      'design/cover.png': Buffer.alloc(20_000),
    })
    execFileSync('git', ['init', '-q'], { cwd })
    expect((await runGates(cwd)).gates[0]!.locations).toEqual([
      { file: 'design/cover.png', message: '20 KB, over the limit of 10 KB' },
    ])
  })

  it('passes when every file is within the limit', async () => {
    const cwd = testdir({ 'phases/p.yaml': planWith('      - large-files: 1MiB\n'), 'a.txt': 'x'.repeat(1024 * 1024) })
    expect((await runGates(cwd)).gates[0]).toMatchObject({ status: 'passed' })
  })
})
