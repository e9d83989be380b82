import { describe, expect, it } from 'vitest'
import { type Detection, loadSecretScanner } from '../../src/gates/secret-detectors.js'
import { findRuleSecrets, isBech32, SECRET_RULES } from '../../src/gates/secret-rules.js'
import { testdir } from '../helpers.js'
import { runGates } from './run-gates.js'
import { addedSecrets, type CorpusEntry, knownSecrets, lookAlikes } from './secret-corpus.js'

const added = addedSecrets()
const known = knownSecrets()
const corpus = [...added, ...known]

const covers = (d: Detection, e: CorpusEntry) =>
  d.value.includes(e.secret) || (d.value.length >= 8 && e.secret.includes(d.value))

async function scan(file: string, text: string): Promise<Detection[]> {
  return (await loadSecretScanner())(`/repo/${file}`, text)
}

describe('the secrets corpus', () => {
  it('has 60+ secrets covering every rule and 45+ look-alikes', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(60)
    expect(lookAlikes().length).toBeGreaterThanOrEqual(45)
    expect(new Set(added.map((e) => e.kind))).toEqual(
      new Set(SECRET_RULES.map((r) => r.kind).concat('Kubernetes Secret data')),
    )
  })

  it('every secret is caught, at its place, by the kind of rule written for it', async () => {
    const missed: string[] = []
    for (const e of corpus) {
      const found = await scan(e.file, e.text)
      const hit = found.find((d) => covers(d, e))
      if (!hit) missed.push(`${e.kind} in ${e.file}: ${JSON.stringify(found.map((d) => d.message))}`)
      else if (added.includes(e) && !hit.message.startsWith(`${e.kind}: `))
        missed.push(`${e.kind} reported as ${hit.message}`)
      else if (e.text.indexOf(hit.value) !== hit.index)
        missed.push(`${e.kind} at ${hit.index}, not ${e.text.indexOf(hit.value)}`)
    }
    expect(missed).toEqual([])
  })

  it('no look-alike is reported', async () => {
    const flagged: string[] = []
    for (const like of lookAlikes()) {
      const found = await scan(like.file, like.text)
      if (found.length > 0) flagged.push(`${like.what}: ${found.map((d) => d.message).join(', ')}`)
    }
    expect(flagged).toEqual([])
  })

  it('messages name the kind and mask the value', async () => {
    const e = added.find((x) => x.kind === 'Stripe live key')!
    const [d] = await scan(e.file, e.text)
    expect(d!.message).toBe(`Stripe live key: sk_l${'*'.repeat(16)}`)
    expect(d!.message).not.toContain(e.secret.slice(8, 16))
  })

  it('an age key passes its Bech32 checksum, and one changed character fails it', () => {
    const key = added.find((x) => x.kind === 'age secret key')!.secret
    expect(isBech32(key)).toBe(true)
    const i = 30
    const changed = key.slice(0, i) + (key[i] === 'Q' ? 'P' : 'Q') + key.slice(i + 1)
    expect(isBech32(changed)).toBe(false)
  })
})

describe('the corpus through the forbid gate', () => {
  const plan =
    'version: 1\nphases:\n  - id: scan\n    gates:\n      - forbid: { patterns: [secrets], exclude: phases }\n'

  it('fails at a location in every file holding a secret, with every value masked', async () => {
    const files = Object.fromEntries(corpus.map((e, i) => [`s${i}/${e.file}`, e.text]))
    const cwd = testdir({ 'phases/p.yaml': plan, ...files }, { git: false })
    const { code, gates, result } = await runGates(cwd)
    expect(code).toBe(1)
    expect(gates[0]!.status).toBe('failed')
    const flagged = new Set(gates[0]!.locations!.map((l) => l.file!.split('/')[0]))
    expect(corpus.map((_, i) => `s${i}`).filter((d) => !flagged.has(d))).toEqual([])
    for (const e of corpus)
      expect(result.stdout).not.toContain(e.secret.slice(e.secret.length / 2, e.secret.length / 2 + 12))
  })

  it('passes on the look-alikes', async () => {
    const files = Object.fromEntries(lookAlikes().map((l, i) => [`l${i}/${l.file}`, l.text]))
    const cwd = testdir({ 'phases/p.yaml': plan, ...files }, { git: false })
    const { code, gates } = await runGates(cwd)
    expect(gates[0]).toMatchObject({ status: 'passed', message: `no secrets in ${lookAlikes().length} scanned files` })
    expect(code).toBe(0)
  })
})

/** Problems that could make a pattern's time grow faster than its input: unbounded or nested quantifiers. */
function unboundedParts(source: string): string[] {
  const problems: string[] = []
  const groups: boolean[] = []
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!
    if (c === '\\') {
      i++
      continue
    }
    if (c === '[') {
      while (source[++i] !== ']') if (source[i] === '\\') i++
      continue
    }
    if (c === '(') {
      groups.push(false)
      continue
    }
    if (c === ')') {
      const inner = groups.pop()!
      const repeat = /^(?:[*+]|\{(\d+)(?:,(\d*))?\})/.exec(source.slice(i + 1))
      const most = repeat?.[1] === undefined ? (repeat ? Infinity : 1) : Number(repeat[2] ?? repeat[1]) || Infinity
      if (inner && most > 1) problems.push(`quantified group with a quantifier inside, at ${i}`)
      if (inner && groups.length > 0) groups[groups.length - 1] = true
      continue
    }
    if (c === '*' || c === '+') problems.push(`unbounded ${c} at ${i}`)
    if (c === '{' && /^\{\d+,\}/.test(source.slice(i))) problems.push(`unbounded {n,} at ${i}`)
    const lookaround = c === '?' && source[i - 1] === '('
    if ((c === '*' || c === '+' || c === '?' || c === '{') && !lookaround && groups.length > 0)
      groups[groups.length - 1] = true
  }
  return problems
}

describe('the rules run in linear time', () => {
  it('every pattern has only bounded quantifiers and none nested', () => {
    const problems = SECRET_RULES.flatMap((r) => unboundedParts(r.pattern.source).map((p) => `${r.kind}: ${p}`))
    expect(problems).toEqual([])
    expect(unboundedParts('(a+)+$')).toEqual([
      'unbounded + at 2',
      'quantified group with a quantifier inside, at 3',
      'unbounded + at 4',
    ])
    expect(unboundedParts('(?:a{1,9}){2}|(?:[+*]b{3})?')).toEqual(['quantified group with a quantifier inside, at 9'])
  })

  it.each(added.filter((e, i) => added.findIndex((x) => x.kind === e.kind) === i).map((e) => [e.kind, e]))(
    '%s: 100 kB of near-matches, then the real one, which alone is found',
    (_, e) => {
      // One short, the prefix over and over with nothing between, and one too long: each 100 kB.
      const near = [`${e.secret.slice(0, -1)} `, e.secret.slice(0, 8), `${e.secret}${e.secret.slice(1)} `]
      const block = near.map((n) => n.repeat(Math.ceil(100_000 / n.length))).join('\n')
      const text = `${block}\n${e.text}`
      expect(text.length).toBeGreaterThan(300_000)
      const found = findRuleSecrets(text).filter((m) => m.index >= block.length)
      expect(found.map((m) => m.value)).toContain(e.secret)
    },
    20_000,
  )
})
