import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadSecretScanner } from '../../src/gates/secret-detectors.js'
import { keywordsIn, secretKeywords } from '../../src/gates/secret-keywords.js'
import { repoRoot } from '../helpers.js'

// The fixture files, not the generated corpus: its seeded generator is shared by the test files of a worker.
const fixtures = join(repoRoot, 'test', 'fixtures', 'secrets')
const fixtureFiles = ['leaked', 'lookalikes'].flatMap((kind) =>
  readdirSync(join(fixtures, kind)).map((name) => ({
    file: `${kind}/${name}`,
    text: readFileSync(join(fixtures, kind, name), 'utf8'),
  })),
)

/** A file's detections with the keyword prefilter and with every rule run on it. */
async function bothWays(file: string, text: string) {
  const scan = await loadSecretScanner()
  const path = `/repo/${file}`
  return { filtered: await scan(path, text), everything: await scan(path, text, { prefilter: false }) }
}

describe('the keyword prefilter of the secret scan', () => {
  it('finds keywords in any case, overlapping ones too, in one pass', () => {
    const has = keywordsIn('x = "SK-ANT-API03-…"; Private Key; héllo_ghp_ tail')
    expect(['sk-ant-api0', 'sk-', 'sk', 'private key', 'ghp_'].filter((k) => !has(k))).toEqual([])
    expect(['glpat-', 'secret', 'mongodb'].filter(has)).toEqual([])
    // A character outside ASCII is never part of a keyword.
    expect(keywordsIn('ghp\u00e9_').call(null, 'ghp_')).toBe(false)
  })

  it('runs a rule whose keyword is missing only when the rule has no keyword', () => {
    const has = keywordsIn('nothing to see here')
    expect(secretKeywords('@secretlint/secretlint-rule-github', has, '/r/a.ts')).toBe(false)
    expect(secretKeywords('@secretlint/secretlint-rule-some-new-rule', has, '/r/a.ts')).toBe(true)
    expect(secretKeywords('@secretlint/secretlint-rule-github', keywordsIn('GHP_'), '/r/a.ts')).toBe(true)
  })

  it('changes nothing the scan finds, on every leaked and look-alike fixture', async () => {
    const differ: string[] = []
    let found = 0
    for (const { file, text } of fixtureFiles) {
      const { filtered, everything } = await bothWays(file, text)
      if (JSON.stringify(filtered) !== JSON.stringify(everything)) differ.push(file)
      found += filtered.length
    }
    expect(differ).toEqual([])
    expect(fixtureFiles.length).toBeGreaterThanOrEqual(35)
    expect(found).toBeGreaterThanOrEqual(20)
  })

  it('finds a secret whose keyword is written in another case (rules that ignore case)', async () => {
    // Put together here, so that this file holds no secret for wf's own scan to find.
    const text = [
      ['DATABASE_URL=MONGODB:', '//deploy:Qx7vN2pLm9Rt@DB.INTERNAL.ACME.DEV:27017/app'].join(''),
      ['WEBHOOK=HTTPS:', '//HOOKS.SLACK.COM/services/T0A1B2C3D/B4E5F6G7H/q8R9s0T1u2V3w4X5y6Z7a8B9'].join(''),
    ].join('\n')
    const { filtered, everything } = await bothWays('deploy.env', text)
    expect(filtered.map((d) => d.message)).toEqual([
      expect.stringMatching(/^MongoDB connection string/),
      expect.stringMatching(/^Slack Incoming Webhook/),
    ])
    expect(filtered).toEqual(everything)
  })

  it('finds a secret on the line after its keyword, and a keyword broken by a line break finds nothing', async () => {
    const key = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYz8aB3kQ9xT'
    const across = await bothWays('settings.py', `AWS_SECRET_ACCESS_KEY =\n    "${key}"\n`)
    expect(across.filtered.map((d) => d.value)).toEqual([key])
    expect(across.filtered).toEqual(across.everything)
    const broken = await bothWays('notes.txt', `ghp\n_${'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5'}\n`)
    expect(broken.filtered).toEqual([])
    expect(broken.everything).toEqual([])
  })
})
