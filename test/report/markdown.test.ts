import { describe, expect, it } from 'vitest'
import { htmlEscape } from '../../src/report/html.js'
import { xmlEscape } from '../../src/report/junit.js'
import {
  fileUrl,
  linkBaseFromEnv,
  mdCell,
  mdCode,
  mdCodeSpan,
  mdInline,
  mermaidGraph,
  renderMarkdown,
} from '../../src/report/markdown.js'
import type { ReportData, ReportPhase } from '../../src/report/report-data.js'
import { pathToUri } from '../../src/report/sarif.js'

describe('escaping for documents', () => {
  it.each([
    ['<script>alert(1)</script>', '\\<script\\>alert(1)\\</script\\>'],
    ['a | b', 'a \\| b'],
    ['*bold* _it_ `code` [link](x)', '\\*bold\\* \\_it\\_ \\`code\\` \\[link\\](x)'],
    ['two\nlines', 'two lines'],
    ['&amp; $x$', '\\&amp; \\$x\\$'],
  ])('inline Markdown %j → %j', (input, output) => expect(mdInline(input)).toBe(output))

  it('keeps line breaks in table cells as <br> and fences code longer than its backticks', () => {
    expect(mdCell('a|b\nc')).toBe('a\\|b<br>c')
    expect(mdCode('x ``` y')).toBe('````text\nx ``` y\n````')
  })

  it('escapes HTML and XML, dropping characters XML cannot hold', () => {
    expect(htmlEscape(`<a href="x" onclick='y'>&</a>`)).toBe(
      '&#60;a href=&#34;x&#34; onclick=&#39;y&#39;&#62;&#38;&#60;/a&#62;',
    )
    expect(xmlEscape('a<b>&"\'\u0000\u001b\nz')).toBe('a&lt;b&gt;&amp;&quot;&apos;&#10;z')
  })

  it('encodes SARIF URIs and GitHub blob links by path segment, and refuses paths outside the repository', () => {
    expect(pathToUri('src/my file#1.ts')).toBe('src/my%20file%231.ts')
    const links = linkBaseFromEnv({
      GITHUB_SERVER_URL: 'https://github.com/',
      GITHUB_REPOSITORY: 'acme/app',
      GITHUB_SHA: 'abc1234',
    })
    expect(fileUrl(links, { file: 'src/a b.ts', line: 4 })).toBe(
      'https://github.com/acme/app/blob/abc1234/src/a%20b.ts#L4',
    )
    expect(fileUrl(links, { file: '../etc/passwd' })).toBeUndefined()
    expect(linkBaseFromEnv({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/app' })).toBeUndefined()
  })

  it('draws the Mermaid graph with distinct node ids and escaped labels', () => {
    const graph = mermaidGraph([
      { id: 'a-b', name: 'say "hi" <b>', needs: [], status: 'passed' },
      { id: 'a_b', name: 'a_b', needs: ['a-b'], status: 'failed' },
    ])
    expect(graph).toContain('p0["a-b: say #34;hi#34; #60;b#62;<br/>✅ passed"]:::passed')
    expect(graph).toContain('p1["a_b<br/>❌ failed"]:::failed')
    expect(graph).toContain('p0 --> p1')
  })
})

/** A report with `n` failed gates of `locations` locations each, in one phase. */
function bigReport(n: number, locations: number): ReportData {
  const phase: ReportPhase = {
    id: 'governance',
    name: 'governance',
    needs: [],
    status: 'failed',
    tasks: [],
    gates: Array.from({ length: n }, (_, i) => ({
      name: `gate ${i}`,
      kind: 'file-contains',
      status: 'failed' as const,
      message: `gate ${i} failed: ${'x'.repeat(200)}`,
      locations: Array.from({ length: locations }, (_, j) => ({
        file: `src/${'deep/'.repeat(10)}file-${i}-${j}.ts`,
        line: j + 1,
        col: 1,
        message: 'y'.repeat(120),
      })),
    })),
  }
  return {
    format: 1,
    generatedAt: '2026-01-01T00:00:00.000Z',
    wf: '0.1.0',
    repository: { name: 'r', commit: 'c'.repeat(40), branch: 'main' },
    status: 'failed',
    scope: { run: '1-aaaaaa' },
    totals: { phases: { failed: 1 }, tasks: {}, gates: { failed: n } },
    phases: [phase],
    run: null,
    waivers: [],
    approvals: [],
    history: [],
  }
}

describe('Markdown size limit', () => {
  it('shortens the failing gates with a note saying how many were left out, and stays under the limit', () => {
    const links = { server: 'https://github.com', repository: 'acme/app', sha: 'f'.repeat(40) }
    const text = renderMarkdown(bigReport(500, 20), { links, maxBytes: 1024 * 1024 })
    expect(Buffer.byteLength(text)).toBeLessThan(1024 * 1024)
    const shown = (text.match(/^- ❌ \*\*governance › gate \d+\*\*/gm) ?? []).length
    expect(shown).toBeGreaterThan(10)
    expect(shown).toBeLessThan(500)
    expect(text).toContain(`… ${500 - shown} more failing gates not shown (the summary is limited to 1 MiB`)
    expect(text).toContain('<details><summary>Phase graph')
  })

  it('shows everything when there is room', () => {
    const text = renderMarkdown(bigReport(3, 2))
    expect((text.match(/^- ❌ /gm) ?? []).length).toBe(3)
    expect(text).not.toContain('not shown')
  })
})

describe('Markdown code spans from the ledger', () => {
  it('keeps a run command and a branch inside their code spans, whatever they hold', () => {
    const data = bigReport(1, 1)
    data.repository.branch = 'feat/`x`'
    data.run = {
      id: '1-aaaaaa',
      seq: 1,
      status: 'failed',
      startedAt: '2026-01-01T00:00:00.000Z',
      command: 'wf run --plan "a`b\n\n<img src=x>"',
      wf: '0.1.0',
      commit: null,
      branch: null,
      dirty: false,
      sealed: true,
      counts: {},
    }
    const text = renderMarkdown(data)
    expect(text).toContain('branch `` feat/`x` ``')
    expect(text).toContain(': `` wf run --plan "a`b  <img src=x>" ``')
    expect(text).not.toContain('\n\n<img')
  })
})

describe('inline code', () => {
  it.each([
    ['src/a.ts:3', '`src/a.ts:3`'],
    ['a`b', '`` a`b ``'],
    ['x\ny', '`x y`'],
  ])('%j → %j', (input, output) => expect(mdCodeSpan(input)).toBe(output))
})
