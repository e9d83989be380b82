import { describe, expect, it } from 'vitest'
import { testdir } from '../helpers.js'
import { type GateResult, runGates } from '../gates/run-gates.js'

const plan = (preset: string) => `version: 1\nphases:\n  - id: p\n    extends: builtin:${preset}\n`

/** Runs the preset on a repository of `files`: the phase's status and its gates by name. */
async function runPreset(preset: string, files: Record<string, string>) {
  const { json, gates } = await runGates(testdir({ 'phases/wf.yaml': plan(preset), ...files }))
  const phase = json.phases[0] as unknown as { status: string }
  return { phase, gates, gate: (name: string) => gates.find((g) => g.name === name) as GateResult }
}

const README = [
  '# Widget',
  '',
  '[![build](https://example.org/badge.svg)](https://example.org/ci)',
  '',
  'Widget turns a folder of YAML files into a static website.',
  '',
  '## Installation',
  '',
  '    npm install widget',
  '',
  '## Usage',
  '',
  '    widget build site/',
  '',
  '## License',
  '',
  'MIT, see [LICENSE](LICENSE).',
  '',
].join('\n')

describe('builtin:docs', () => {
  it('passes on a README with a description, install and usage sections and a license mention', async () => {
    expect((await runPreset('docs', { 'README.md': README })).phase.status).toBe('passed')
  })

  it('passes on reStructuredText and HTML headings in any case, and reads only the root README for sections', async () => {
    const rst = [
      'Widget',
      '======',
      '',
      'Widget turns a folder of YAML files into a static website.',
      '',
      'GETTING STARTED',
      '---------------',
      '',
      'Run it once, then read the EXAMPLES below.',
      '',
      '<h2 align="center">Examples</h2>',
      '',
      'Released under the Apache Licence 2.0.',
    ].join('\n')
    const { phase } = await runPreset('docs', { 'readme.rst': rst, 'docs/README.md': '- [Guide](guide.md)\n' })
    expect(phase.status).toBe('passed')
  })

  it('fails without a README', async () => {
    const run = await runPreset('docs', { 'docs/guide.md': '# Guide\n' })
    expect(run.phase.status).toBe('failed')
    expect(run.gate('readme present').message).toBe('missing: {,.github/,docs/}README{,.md,.markdown,.rst,.txt,.adoc}')
  })

  const without = (drop: RegExp) =>
    README.split('\n')
      .filter((line) => !drop.test(line))
      .join('\n')
  it.each([
    ['readme describes the project', /^Widget turns/],
    ['readme says how to install', /^## Installation/],
    ['readme shows how to use it', /^## Usage/],
    ['readme mentions the license', /License|LICENSE/],
  ])('fails %s, at README.md, and only that check', async (name, drop) => {
    const run = await runPreset('docs', { 'README.md': without(drop) })
    expect(run.phase.status).toBe('failed')
    expect(run.gates.filter((g) => g.status === 'failed').map((g) => g.name)).toEqual([name])
    expect(run.gate(name).locations).toEqual([
      { file: 'README.md', message: expect.stringMatching(/^0 matches of .*, expected at least 1$/) },
    ])
  })

  it('does not take a word in a paragraph for a section heading', async () => {
    const run = await runPreset('docs', { 'README.md': README.replace('## Installation', 'Installation is easy.') })
    expect(run.gates.filter((g) => g.status === 'failed').map((g) => g.name)).toEqual(['readme says how to install'])
  })
})

describe('builtin:markdown-links', () => {
  it('passes when relative links and anchors resolve', async () => {
    const { phase } = await runPreset('markdown-links', {
      'README.md':
        '# Widget\n\nSee [install](docs/install.md#from-source), [top](#widget) and [web](https://example.org).\n',
      'docs/install.md': '# Install\n\n## From source\n',
    })
    expect(phase.status).toBe('passed')
  })

  it('fails on a broken link and a missing heading, at file:line:column, quoting the link', async () => {
    const run = await runPreset('markdown-links', {
      'README.md': '# Widget\n\nSee [install](docs/instal.md).\n',
      'docs/install.md': '# Install\n\nBack to [the top](../README.md#widgets).\n',
    })
    expect(run.phase.status).toBe('failed')
    expect(run.gate('relative links resolve').locations).toEqual([
      { file: 'README.md', line: 3, col: 5, message: '`[install](docs/instal.md)`: docs/instal.md does not exist' },
      {
        file: 'docs/install.md',
        line: 3,
        col: 9,
        message: '`[the top](../README.md#widgets)`: no heading `#widgets` in README.md',
      },
    ])
  })
})
