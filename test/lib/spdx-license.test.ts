import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { expressionAllowed, identifyLicense, normalisedWords } from '../../src/lib/spdx-license.js'

const spdx = createRequire(import.meta.url)('spdx-license-list/full') as Record<string, { licenseText: string }>

/** The SPDX text with its copyright placeholder filled in and its paragraphs rewrapped at a different width. */
function asCopied(id: string, holder = 'Copyright (c) 2026 Example Maintainers <team@example.org>'): string {
  const text = spdx[id]!.licenseText.replace(/^.*copyright.*<[^>\n]+>.*$/im, holder)
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => {
      const words = paragraph.split(/\s+/).filter(Boolean)
      const lines: string[] = []
      for (let i = 0; i < words.length; i += 9) lines.push(words.slice(i, i + 9).join(' '))
      return lines.join('\n')
    })
    .join('\n\n')
}

describe('identifyLicense', () => {
  it.each(['MIT', 'Apache-2.0', 'BSD-3-Clause'])('identifies a copied, rewrapped %s text by its words', async (id) => {
    const found = await identifyLicense(asCopied(id))
    expect(found).toMatchObject({ identified: true, id, method: 'text' })
    expect(found.identified && found.confidence).toBeGreaterThan(0.97)
  })

  it('names the GPL-3.0 text, with the ids whose text is the same', async () => {
    const found = await identifyLicense(asCopied('GPL-3.0-only'))
    expect(found).toMatchObject({ identified: true, id: 'GPL-3.0-only', method: 'text' })
    expect(found.identified && found.equivalent).toContain('GPL-3.0-or-later')
  })

  it('tells BSD-2-Clause from BSD-3-Clause and MIT from ISC', async () => {
    expect(await identifyLicense(asCopied('BSD-2-Clause'))).toMatchObject({ id: 'BSD-2-Clause' })
    expect(await identifyLicense(asCopied('ISC'))).toMatchObject({ id: 'ISC' })
  })

  it('keeps a rewrapped line that starts with "copyright notice": ISC is not taken for 0BSD', async () => {
    const isc = spdx.ISC!.licenseText.replace(/\bISC (DISCLAIMS|BE)\b/g, 'THE AUTHOR $1')
    const text = `The ISC License\n\nCopyright (c) Example Maintainers\n\n${isc
      .slice(isc.indexOf('Permission'))
      .replace(' provided that the above copyright notice', ' provided that the above\ncopyright notice')}`
    expect(await identifyLicense(text)).toMatchObject({ identified: true, id: 'ISC' })
  })

  it('reads British spellings, markdown headings and bullets as the same license', async () => {
    const text = `# The MIT Licence\n\n${asCopied('MIT').replaceAll('LICENSE', 'LICENCE')}`
    expect(await identifyLicense(text)).toMatchObject({ identified: true, id: 'MIT' })
  })

  it('takes an SPDX-License-Identifier line, expressions included', async () => {
    expect(await identifyLicense('// SPDX-License-Identifier: Apache-2.0\n')).toMatchObject({
      identified: true,
      id: 'Apache-2.0',
      method: 'spdx-identifier',
      confidence: 1,
    })
    expect(await identifyLicense('/* SPDX-License-Identifier: MIT OR Apache-2.0 */')).toMatchObject({
      id: 'MIT OR Apache-2.0',
    })
    expect(await identifyLicense('SPDX-License-Identifier: MTI')).toMatchObject({
      identified: false,
      reason: 'SPDX-License-Identifier names `MTI`, not an SPDX license id',
    })
  })

  it('does not identify prose or a license with its terms cut, and names the closest', async () => {
    const garbage = await identifyLicense('This project is mine. Ask before you use it.\nAll rights reserved.')
    expect(garbage.identified).toBe(false)
    const half = spdx.MIT!.licenseText.slice(0, 420)
    const cut = await identifyLicense(half)
    expect(cut).toMatchObject({ identified: false, closest: { id: expect.any(String) } })
    expect(!cut.identified && cut.closest!.confidence).toBeLessThan(0.9)
    expect(await identifyLicense('')).toMatchObject({ identified: false, reason: 'the file is empty' })
  })
})

describe('normalisedWords', () => {
  it('drops copyright lines, URLs, bullets and case', () => {
    expect(normalisedWords('Copyright (c) 2020 X\n\n1. Use it, see https://example.org.\n* The End')).toEqual([
      'use',
      'it',
      'see',
      'end',
    ])
  })
})

describe('expressionAllowed', () => {
  it('takes one alternative of an OR and needs every part of an AND', () => {
    const allow = (id: string) => id === 'MIT'
    expect(expressionAllowed('MIT OR GPL-3.0-only', allow)).toBe(true)
    expect(expressionAllowed('MIT AND GPL-3.0-only', allow)).toBe(false)
    expect(expressionAllowed('MIT', allow)).toBe(true)
  })
})
