import { describe, expect, it } from 'vitest'
import { unifiedDiff } from '../../src/generate/outputs.js'

const numbered = (count: number, word: string) =>
  `${Array.from({ length: count }, (_, i) => `${word} line ${i}`).join('\n')}\n`

describe('unifiedDiff', () => {
  it('shows a line diff for a small change in a big file', async () => {
    const before = numbered(20_000, 'generated')
    const after = before.replace('generated line 10000\n', 'changed by the template\n')
    const diff = await unifiedDiff('big.txt', before, after)
    expect(diff.split('\n')).toEqual([
      '--- a/big.txt',
      '+++ b/big.txt',
      '@@ -9998,7 +9998,7 @@',
      ' generated line 9997',
      ' generated line 9998',
      ' generated line 9999',
      '-generated line 10000',
      '+changed by the template',
      ' generated line 10001',
      ' generated line 10002',
      ' generated line 10003',
    ])
  })

  it('summarizes a rewritten big file instead of diffing it line by line', async () => {
    const before = numbered(20_000, 'old')
    const after = `${numbered(19_000, 'new')}old line 5\n`
    const diff = await unifiedDiff('big.txt', before, after)
    expect(diff.split('\n')).toEqual([
      '--- a/big.txt',
      '+++ b/big.txt',
      'file rewritten: 38999 lines changed (-19999 +19000; 20000 lines before, 19001 after), too many changes to show line by line',
    ])
  })

  it('diffs a new file, and nothing for an unchanged one', async () => {
    expect(await unifiedDiff('new.txt', undefined, 'a\nb\n')).toBe(
      '--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1,2 @@\n+a\n+b',
    )
    expect(await unifiedDiff('same.txt', 'a\n', 'a\n')).toBe('')
  })
})
