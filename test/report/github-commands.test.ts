import { describe, expect, it } from 'vitest'
import { annotation, createAnnotator, escapeData, escapeProperty } from '../../src/report/github-commands.js'
import { formatOutputs } from '../../src/report/github-summary.js'
import type { GateRecord } from '../../src/ledger/ledger.js'

describe('GitHub Actions workflow command escaping', () => {
  // The rules of @actions/core: data escapes %, CR and LF; property values also escape : and ,.
  it.each([
    ['plain text', 'plain text', 'plain text'],
    ['100%', '100%25', '100%25'],
    ['%0A is not a newline', '%250A is not a newline', '%250A is not a newline'],
    ['line 1\nline 2', 'line 1%0Aline 2', 'line 1%0Aline 2'],
    ['crlf\r\nend', 'crlf%0D%0Aend', 'crlf%0D%0Aend'],
    ['a: b', 'a: b', 'a%3A b'],
    ['x, y', 'x, y', 'x%2C y'],
    ['::error::', '::error::', '%3A%3Aerror%3A%3A'],
    ['src/a,b:c.ts', 'src/a,b:c.ts', 'src/a%2Cb%3Ac.ts'],
    ['%:,\r\n', '%25:,%0D%0A', '%25%3A%2C%0D%0A'],
  ])('%j → data %j, property %j', (input, data, property) => {
    expect(escapeData(input)).toBe(data)
    expect(escapeProperty(input)).toBe(property)
  })

  it('writes file, line, col and title, escaping each property and the message', () => {
    expect(
      annotation('error', 'missing: LICENSE\nadd it', {
        title: 'lint: files, exist',
        file: 'dir:x/a,b.ts',
        line: 3,
        col: 7,
      }),
    ).toBe('::error title=lint%3A files%2C exist,file=dir%3Ax/a%2Cb.ts,line=3,col=7::missing: LICENSE%0Aadd it')
    expect(annotation('warning', '50% done')).toBe('::warning::50%25 done')
  })

  it('emits at most the limit of each kind and holds the rest', () => {
    const annotator = createAnnotator(10)
    const errors = Array.from({ length: 13 }, (_, i) =>
      annotator.annotate('error', `e${i}`, { title: 't', file: 'a.ts', line: i + 1 }),
    )
    const warnings = Array.from({ length: 4 }, (_, i) => annotator.annotate('warning', `w${i}`, { title: 't' }))
    expect(errors.filter(Boolean)).toHaveLength(10)
    expect(warnings.filter(Boolean)).toHaveLength(4)
    expect(annotator.held.map((a) => a.message)).toEqual(['e10', 'e11', 'e12'])
    expect(annotator.held[0]).toMatchObject({ level: 'error', file: 'a.ts', line: 11 })
  })
})

describe('step outputs', () => {
  it('writes name=value lines, and a heredoc with a random delimiter for multi-line values', () => {
    const text = formatOutputs({ status: 'failed', list: 'a\nb' })
    const [first, second, ...rest] = text.split('\n')
    expect(first).toBe('status=failed')
    const delimiter = /^list<<(wf_[0-9a-f]{16})$/.exec(second!)?.[1]
    expect(delimiter).toBeDefined()
    expect(rest).toEqual(['a', 'b', delimiter, ''])
  })
})

describe('the GitHub reporter', () => {
  it('prints no line of wf text that the runner would read as a workflow command', async () => {
    const { createRunReporter } = await import('../../src/report/run-reporter.js')
    const { createStyle } = await import('../../src/report/style.js')
    let output = ''
    const report = createRunReporter('github', (text) => (output += text), createStyle({ isTTY: false } as never))
    const phase = { id: 'lint', name: 'Lint\n::add-mask::hidden', needs: [], tasks: [], gates: [] } as never
    await report({ type: 'phase-start', phase, reason: 'first run' })
    const gate: GateRecord = {
      name: 'no stray files',
      kind: 'files-absent',
      status: 'failed',
      message: 'found 1 file\n::warning::injected by a message',
      locations: [{ file: 'dir/\n::error::injected by a file name' }],
    }
    await report({ type: 'gate-end', phase: 'lint', gate })
    const record = { id: 'lint', status: 'failed', runId: '1-a', reason: 'a gate failed\n::notice::x' } as const
    await report({ type: 'phase-end', phase, record })
    const commands = output.split('\n').filter((line) => line.trimStart().startsWith('::'))
    expect(commands.length).toBeGreaterThan(2)
    for (const line of commands) expect(line).toMatch(/^::(group|endgroup|error|warning)[ :]/)
    expect(commands.join('\n')).not.toMatch(/^::(add-mask|notice|warning::injected|error::injected)/m)
    // The text is still there to read, behind a mark.
    expect(output).toContain('│ ::add-mask::hidden')
    expect(output).toContain('│ ::error::injected by a file name')
  })
})
