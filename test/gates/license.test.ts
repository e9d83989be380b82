import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { testdir } from '../helpers.js'
import { expectInvalid, planWith, runGates } from './run-gates.js'

const spdx = createRequire(import.meta.url)('spdx-license-list/full') as Record<string, { licenseText: string }>
const text = (id: string) => spdx[id]!.licenseText.replace(/<year>.*$/m, '2026 Example Maintainers')

describe('license gate', () => {
  it('names the SPDX id and how sure it is; finds `license.md` in any case', async () => {
    const cwd = testdir({ 'phases/p.yaml': planWith('      - license: true\n'), 'license.md': text('MIT') })
    const { code, gates } = await runGates(cwd)
    expect(code).toBe(0)
    expect(gates[0]).toMatchObject({ status: 'passed', message: 'license.md: MIT (100% similar to its SPDX text)' })
  })

  it('checks each of several license files (LICENSE-MIT, LICENSE-APACHE)', async () => {
    const cwd = testdir({
      'phases/p.yaml': planWith('      - license: { allow: [MIT, Apache-2.0] }\n'),
      'LICENSE-MIT': text('MIT'),
      'LICENSE-APACHE': text('Apache-2.0'),
    })
    const { gates } = await runGates(cwd)
    expect(gates[0]!.message).toMatch(/^LICENSE-APACHE: Apache-2.0 \(\d+% similar to its SPDX text\); LICENSE-MIT: MIT/)
  })

  it('takes a short COPYING beside identified licenses as a note that points at them, not as a license', async () => {
    const files = {
      'phases/p.yaml': planWith('      - license: true\n'),
      'LICENSE-MIT': text('MIT'),
      COPYING: 'This project is dual-licensed under the Unlicense and MIT licenses.\n',
    }
    const { gates } = await runGates(testdir(files))
    expect(gates[0]).toMatchObject({
      status: 'passed',
      message: 'LICENSE-MIT: MIT (100% similar to its SPDX text); COPYING: a note beside the license texts',
    })
    // A long text that is no SPDX license is a license of its own, even beside an identified one.
    const own = await runGates(testdir({ ...files, COPYING: 'You may not copy this work. '.repeat(60) }))
    expect(own.gates[0]).toMatchObject({ status: 'failed', locations: [{ file: 'COPYING', line: 1 }] })
  })

  it('fails without a license file', async () => {
    const cwd = testdir({ 'phases/p.yaml': planWith('      - license: true\n'), 'README.md': '# x\n' })
    const { gates } = await runGates(cwd)
    expect(gates[0]).toMatchObject({
      status: 'failed',
      message: 'no license file ({LICENSE,LICENCE,COPYING}{,.*,-*})',
    })
  })

  it('fails on a text it cannot identify, naming the closest license and its similarity', async () => {
    const cwd = testdir({
      'phases/p.yaml': planWith('      - license: true\n'),
      LICENSE: spdx.MIT!.licenseText.slice(0, 500),
    })
    const { gates } = await runGates(cwd)
    expect(gates[0]!.status).toBe('failed')
    expect(gates[0]!.locations).toEqual([
      {
        file: 'LICENSE',
        line: 1,
        message: expect.stringMatching(
          /^not identified as an SPDX license: the text matches no SPDX license; closest: [\w.-]+ at \d+%$/,
        ),
      },
    ])
  })

  it('fails on a license that is not allowed, at its SPDX-License-Identifier line', async () => {
    const cwd = testdir({
      'phases/p.yaml': planWith('      - license: { allow: [MIT, Apache-2.0] }\n'),
      'COPYING.txt': 'Project X\n\nSPDX-License-Identifier: GPL-3.0-or-later\n',
    })
    const { gates } = await runGates(cwd)
    expect(gates[0]!.locations).toEqual([
      {
        file: 'COPYING.txt',
        line: 3,
        message: 'GPL-3.0-or-later (SPDX-License-Identifier) is not allowed (allowed: MIT, Apache-2.0)',
      },
    ])
  })

  it('allows a GPL text when `allow` names any id the text stands for', async () => {
    const cwd = testdir({
      'phases/p.yaml': planWith('      - license: { allow: [GPL-3.0-or-later] }\n'),
      COPYING: text('GPL-3.0-or-later'),
    })
    expect((await runGates(cwd)).gates[0]!.status).toBe('passed')
  })

  it('with `folders`, each vendored folder holds an identified license; none is fine', async () => {
    const gate = '      - license: { folders: "third_party/*" }\n'
    const cwd = testdir({
      'phases/p.yaml': planWith(gate),
      'third_party/left/LICENSE.txt': text('BSD-3-Clause'),
      'third_party/right/index.js': 'export {}\n',
      'third_party/odd/COPYING': 'Do what you like, but ask me first.\n',
    })
    const { gates } = await runGates(cwd)
    expect(gates[0]!.locations).toEqual([
      {
        file: 'third_party/odd/COPYING',
        line: 1,
        message: expect.stringMatching(/^not identified as an SPDX license: the text matches no SPDX license/),
      },
      {
        file: 'third_party/right',
        message: 'no license file ({LICENSE,LICENCE,COPYING}{,.*,-*}) in third_party/right/',
      },
    ])
    const none = testdir({ 'phases/p.yaml': planWith(gate), 'README.md': '# x\n' })
    expect((await runGates(none)).gates[0]).toMatchObject({
      status: 'passed',
      message: 'no folder matches third_party/*',
    })
  })

  it('validate: an `allow` entry that is not an SPDX id, with the closest one', async () => {
    const cwd = testdir({ 'phases/p.yaml': planWith('      - license: { allow: [Apache2.0] }\n') })
    await expectInvalid(cwd, 'phases/p.yaml:5:28', '`Apache2.0` is not an SPDX license id')
    const result = await runCli(['validate'], { cwd })
    expect(result.stdout + result.stderr).toContain('did you mean `Apache-2.0`?')
  })
})

describe('license condition', () => {
  const plan = (when: string) =>
    `version: 1\nphases:\n  - id: notice\n    when: ${when}\n    gates:\n      - files-exist: NOTICE\n`

  it('holds when the root license is identified as the id, and says what it found when not', async () => {
    const apache = testdir({ 'phases/p.yaml': plan('{ license: Apache-2.0 }'), LICENSE: text('Apache-2.0') })
    const onApache = await runCli(['run', '--json'], { cwd: apache })
    expect(JSON.parse(onApache.stdout).phases[0]).toMatchObject({ id: 'notice', status: 'failed' })

    const mit = testdir({ 'phases/p.yaml': plan('{ license: Apache-2.0 }'), LICENSE: text('MIT') })
    const onMit = await runCli(['run', '--json'], { cwd: mit })
    expect(onMit.code).toBe(0)
    expect(JSON.parse(onMit.stdout).phases[0]).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('license Apache-2.0: LICENSE is MIT'),
    })
  })

  it('validate: a license condition naming no SPDX id, with the closest one', async () => {
    const cwd = testdir({ 'phases/p.yaml': plan('{ license: MTI }') })
    const result = await runCli(['validate'], { cwd })
    expect(result.code).toBe(2)
    expect(result.stdout + result.stderr).toContain('`MTI` is not an SPDX license id')
    expect(result.stdout + result.stderr).toContain('did you mean `MIT`?')

    const nested = testdir({ 'phases/p.yaml': plan('{ any: [{ license: MIT }, { not: { license: [Apache2.0] } }] }') })
    const inside = await runCli(['validate'], { cwd: nested })
    expect(inside.stdout + inside.stderr).toContain('phases/p.yaml:4:56: error: `Apache2.0` is not an SPDX license id')
  })
})
