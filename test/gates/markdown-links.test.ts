import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { gitRepo, runWf, testdir } from '../helpers.js'
import { planWith, runGates } from './run-gates.js'

const plan = (gate = 'true') => planWith(`      - markdown-links: ${gate}\n`)

describe('markdown-links gate', () => {
  it('passes when relative links, images, reference definitions and anchors resolve', async () => {
    const cwd = testdir({
      'phases/p.yaml': plan(),
      'README.md': [
        '# Project',
        '',
        'See [the guide](docs/guide.md#install-it), [setup](./docs/guide.md#setup-1) and [docs](docs/).',
        '![logo](assets/logo.png "Logo") [top](#project) [abs](/docs/guide.md) [site](https://example.org/x.md)',
        '[mail](mailto:team@example.org) <https://example.org/auto> [ref][r] [spaced](<docs/a file.md>)',
        '',
        '[r]: docs/guide.md#usage',
        '',
      ].join('\n'),
      'docs/guide.md': '# Guide\n\n## Install it!\n\n## Setup\n\n## Setup\n\n## `Usage`\n',
      'docs/a file.md': 'text\n',
      'assets/logo.png': 'png',
    })
    const { gates } = await runGates(cwd)
    expect(gates[0]).toMatchObject({ status: 'passed', message: '8 relative links in 3 files resolve' })
  })

  it('reports each broken link at file:line:column, quoting it', async () => {
    const cwd = testdir({
      'phases/p.yaml': plan(),
      'README.md': [
        '# Project',
        '',
        'Read [the guide](docs/gude.md) first.',
        '  ![shot](img/shot.png)',
        '[up](../outside.md) and [here](#no-such-heading) and [there](docs/guide.md#nope)',
        '',
        '[gone]: /missing/',
        '',
      ].join('\n'),
      'docs/guide.md': '# Guide\n',
    })
    const { gates } = await runGates(cwd)
    expect(gates[0]!.status).toBe('failed')
    expect(gates[0]!.locations).toEqual([
      { file: 'README.md', line: 3, col: 6, message: '`[the guide](docs/gude.md)`: docs/gude.md does not exist' },
      { file: 'README.md', line: 4, col: 3, message: '`![shot](img/shot.png)`: img/shot.png does not exist' },
      { file: 'README.md', line: 5, col: 1, message: '`[up](../outside.md)`: points outside the repository' },
      {
        file: 'README.md',
        line: 5,
        col: 25,
        message: '`[here](#no-such-heading)`: no heading `#no-such-heading` in README.md',
      },
      {
        file: 'README.md',
        line: 5,
        col: 54,
        message: '`[there](docs/guide.md#nope)`: no heading `#nope` in docs/guide.md',
      },
      { file: 'README.md', line: 7, col: 1, message: '`[gone]: /missing/`: missing does not exist' },
    ])
    expect(gates[0]!.message).toMatch(/^6 broken links: README\.md:3:6 `\[the guide\]\(docs\/gude\.md\)`: /)
  })

  it('takes the anchor of a heading that starts with an HTML anchor, as GitHub trims it', async () => {
    const cwd = testdir({
      'phases/p.yaml': plan(),
      'README.md':
        '# Notes\n\n## <a id="npe"></a> `null` values for local classes\n\nSee [below](#null-values-for-local-classes) or [it](#npe).\n',
    })
    expect((await runGates(cwd)).gates[0]).toMatchObject({ status: 'passed' })
  })

  it('reads a documentation site as its generator does: pages without .md, /paths from the site folder, its public/ files, its slugs', async () => {
    const cwd = testdir({
      'phases/p.yaml': plan(),
      'docs/guide/index.md': [
        '# Guide',
        '',
        '[options](./options#build-target) [custom](/config/#top-level) [html](./options.html#server-host)',
        '[api](/guide/api) ![logo](/logo.svg) [config](/config/)',
        '',
      ].join('\n'),
      'docs/guide/options.md': '# Options\n\n## build.target\n\n## server.host\n',
      'docs/guide/api.md': '# API\n',
      'docs/config/index.md': '# Config {#top-level}\n',
      'docs/public/logo.svg': '<svg/>',
      'README.md': '# Project\n\n[gone](/guide/nope) [no](docs/guide/options#nope)\n',
    })
    const { gates } = await runGates(cwd)
    expect(gates[0]!.locations).toEqual([
      { file: 'README.md', line: 3, col: 1, message: '`[gone](/guide/nope)`: guide/nope does not exist' },
      {
        file: 'README.md',
        line: 3,
        col: 21,
        message: '`[no](docs/guide/options#nope)`: no heading `#nope` in docs/guide/options.md',
      },
    ])
  })

  it('ignores links in code spans and code blocks, GitHub footnotes, and anchors when `anchors: false`', async () => {
    const cwd = testdir({
      'phases/p.yaml': plan('{ anchors: false }'),
      'README.md':
        '# X\n\n`[a](nope.md)`\n\n```md\n[b](nope.md)\n```\n\n    [c](nope.md)\n\n[d](#nope) and a note[^1]\n\n[^1]: Footnote.\n',
    })
    expect((await runGates(cwd)).gates[0]).toMatchObject({
      status: 'passed',
      message: '1 relative link in 1 file resolves',
    })
  })

  it('does not read git-ignored Markdown, and honours `in` and `exclude`', async () => {
    const cwd = gitRepo({
      'phases/p.yaml': plan('{ in: "docs/**/*.md", exclude: docs/drafts/** }'),
      '.gitignore': 'node_modules/\ndocs/build/\n',
      'README.md': '[x](nope.md)\n',
      'docs/ok.md': '[home](../README.md)\n',
      'docs/drafts/wip.md': '[x](nope.md)\n',
    })
    for (const ignored of ['docs/node_modules/pkg/README.md', 'docs/build/x.md']) {
      mkdirSync(join(cwd, ignored, '..'), { recursive: true })
      writeFileSync(join(cwd, ignored), '[x](nope.md)\n')
    }
    const { gates } = await runGates(cwd)
    expect(gates[0]).toMatchObject({ status: 'passed', message: '1 relative link in 1 file resolves' })
  })

  it('fails a link to a file that is a symbolic link out of the repository', async () => {
    const outside = testdir({ 'secret.md': 'x\n' })
    const cwd = testdir({ 'phases/p.yaml': plan(), 'README.md': '[s](linked.md)\n' })
    symlinkSync(join(outside, 'secret.md'), join(cwd, 'linked.md'))
    const { gates } = await runGates(cwd)
    expect(gates[0]!.locations).toEqual([
      { file: 'README.md', line: 1, col: 1, message: '`[s](linked.md)`: linked.md is outside the repository' },
    ])
  })

  it('runs from the built CLI, which reads its Markdown parser and SPDX data apart from the main bundle', async () => {
    const isc = (createRequire(import.meta.url)('spdx-license-list/full') as Record<string, { licenseText: string }>)
      .ISC!.licenseText
    const cwd = testdir({
      'phases/p.yaml': planWith(
        '      - markdown-links: true\n      - license: true\n',
        '    when: { license: ISC }\n',
      ),
      LICENSE: `Copyright (c) 2026 Example Maintainers\n\n${isc.slice(isc.indexOf('Permission'))}`,
      'README.md': '# Top\n\n## Top\n\n[ok](#top-1) [bad](#top-2)\n',
    })
    const result = await runWf(['run', '--json'], { cwd })
    const gates = JSON.parse(result.stdout).phases[0].gates
    expect(gates.map((g: { status: string }) => g.status)).toEqual(['failed', 'passed'])
    expect(gates[0].locations).toEqual([
      { file: 'README.md', line: 5, col: 14, message: '`[bad](#top-2)`: no heading `#top-2` in README.md' },
    ])
  })
})
