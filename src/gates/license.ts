import { posix } from 'node:path'
import { ALWAYS_IGNORED, toList } from '../lib/files.js'
import { DEFAULT_LICENSE_FILES } from '../lib/repository-facts.js'
import { expressionAllowed, identifyLicense, percent, spdxIds } from '../lib/spdx-license.js'
import { suggest } from '../lib/suggest.js'
import type { ResultLocation } from '../ledger/ledger.js'
import type { LicenseGate } from '../plan/plan.generated.js'
import { findFiles, inputGlobs } from './file-options.js'
import type { GateKind } from './gate-kind.js'

// Longer than this, a text that is no SPDX license is a license of its own, not a note pointing at the others.
const POINTER_MAX = 1000

const spec = (gate: LicenseGate) => (gate.license === true ? {} : gate.license)
const patterns = (gate: LicenseGate) => toList(spec(gate).in ?? DEFAULT_LICENSE_FILES)

/** `license:` — each license file (of the root, or of each of `folders`) is identified as an SPDX license by its text or an `SPDX-License-Identifier:` line (and is one of `allow`); a short note beside identified ones passes. */
export const licenseGate: GateKind<LicenseGate> = {
  describe: (gate) => {
    const allow = spec(gate).allow
    return `license identified as SPDX${allow ? ` (${allow.join(', ')})` : ''}`
  },
  inputs: (gate) => {
    const folders = spec(gate).folders
    if (!folders) return inputGlobs(patterns(gate), true)
    // A vendored folder without a license file counts too: every file below the folders is an input.
    return toList(folders).map((f) => `${f.replace(/\/$/, '')}/**`)
  },
  async checkOptions(gate) {
    const allow = spec(gate).allow
    if (!allow) return []
    const ids = await spdxIds()
    return allow.flatMap((id, i) => {
      if (ids.has(id) || id.startsWith('LicenseRef-')) return []
      const close = suggest(id, ids)
      return [
        {
          at: ['license', 'allow', i],
          message: `\`${id}\` is not an SPDX license id`,
          hint: close ? `did you mean \`${close}\`?` : 'use an id from https://spdx.org/licenses/',
        },
      ]
    })
  },
  async check(gate, { root, workspace }) {
    const { allow, folders } = spec(gate)
    const names = patterns(gate)
    const licenseFiles = async (folder: string) =>
      [
        ...new Set(
          (
            await Promise.all(
              names.map((p) => findFiles(root, folder ? `${folder}/${p}` : p, { nocase: true, exclude: [] })),
            )
          ).flat(),
        ),
      ].sort()
    const wrong: ResultLocation[] = []
    const files: string[] = []
    if (folders) {
      const dirs = await matchFolders(root, toList(folders))
      if (dirs.length === 0) return { status: 'passed', message: `no folder matches ${toList(folders).join(', ')}` }
      for (const dir of dirs) {
        const found = await licenseFiles(dir)
        if (found.length === 0) wrong.push({ file: dir, message: `no license file (${names.join(', ')}) in ${dir}/` })
        files.push(...found)
      }
    } else {
      files.push(...(await licenseFiles('')))
      if (files.length === 0) return { status: 'failed', message: `no license file (${names.join(', ')})` }
    }
    const allowed = (id: string) => allow === undefined || allow.includes(id)
    const found: string[] = []
    const identifiedIn = new Set<string>()
    const unidentified: { file: string; short: boolean; location: ResultLocation }[] = []
    for (const file of files) {
      const text = await workspace.boundary.readFile(file, 'utf8')
      const result = await identifyLicense(text)
      if (!result.identified) {
        const closest = result.closest ? `; closest: ${result.closest.id} at ${percent(result.closest.confidence)}` : ''
        const location = { file, line: 1, message: `not identified as an SPDX license: ${result.reason}${closest}` }
        unidentified.push({ file, short: text.trim().length <= POINTER_MAX, location })
        continue
      }
      identifiedIn.add(posix.dirname(file))
      const how =
        result.method === 'text' ? `${percent(result.confidence)} similar to its SPDX text` : 'SPDX-License-Identifier'
      const what = `${result.id} (${how})`
      if (
        allow !== undefined &&
        !(result.method === 'text'
          ? [result.id, ...result.equivalent].some(allowed)
          : expressionAllowed(result.id, allowed))
      ) {
        const line =
          result.method === 'text' ? 1 : text.slice(0, text.search(/SPDX-License-Identifier:/i)).split('\n').length
        wrong.push({ file, line, message: `${what} is not allowed (allowed: ${allow.join(', ')})` })
        continue
      }
      found.push(`${file}: ${what}`)
    }
    // A dual-licensed project often adds a short COPYING or LICENSE that only says which of the license files apply.
    for (const { file, short, location } of unidentified)
      if (short && identifiedIn.has(posix.dirname(file))) found.push(`${file}: a note beside the license texts`)
      else wrong.push(location)
    if (wrong.length === 0) return { status: 'passed', message: found.join('; ') }
    wrong.sort((a, b) => a.file.localeCompare(b.file))
    return {
      status: 'failed',
      message: wrong.map((w) => `${w.file}: ${w.message}`).join('; '),
      locations: wrong,
    }
  },
}

/** The folders (sorted, repository-relative) matching globs, outside node_modules and .git. */
async function matchFolders(root: string, globs: string[]): Promise<string[]> {
  const { glob } = await import('tinyglobby')
  const found = await glob(globs, {
    cwd: root,
    dot: true,
    onlyDirectories: true,
    ignore: ALWAYS_IGNORED,
    expandDirectories: false,
  })
  return [...new Set(found.map((d) => d.replace(/\/$/, '')))].sort()
}
