import { extname } from 'node:path'
import { lazyImport } from '../lib/memo.js'
import { FILTER_RULE, type HasKeyword, keywordsIn, secretKeywords } from './secret-keywords.js'
import { findRuleSecrets } from './secret-rules.js'

/** One secret found in a text: where it starts, the matched text, and what to show instead of it. */
export interface Detection {
  index: number
  value: string
  message: string
}

/**
 * Finds secrets in the text of one file (`path` is absolute; some detectors look at its name).
 * `prefilter: false` runs every rule on every file (the keyword prefilter never changes what is found).
 */
export type SecretScanner = (path: string, text: string, options?: { prefilter?: boolean }) => Promise<Detection[]>

/** Shows at most the first 4 characters of a matched value: `AKIA****************`. */
export function mask(value: string): string {
  const keep = value.slice(0, Math.min(4, Math.floor(value.length / 4))).replace(/\s[\s\S]*$/, '')
  return keep + '*'.repeat(Math.min(16, Math.max(4, value.length - keep.length)))
}

/** The built-in secret detectors (secretlint's recommended preset plus wf's rules for the formats it misses), loaded on first use. */
export const loadSecretScanner: () => Promise<SecretScanner> = lazyImport(() => createScanner())

async function createScanner(): Promise<SecretScanner> {
  const [{ lintSource }, { creator: preset }, { secretLintProfiler }] = await Promise.all([
    import('@secretlint/core'),
    import('@secretlint/secretlint-rule-preset-recommend'),
    import('@secretlint/profiler'),
  ])
  // secretlint records ~50 performance marks per file in the global timeline and never clears them.
  secretLintProfiler.mark = () => {}
  const scanners = preset.rules.filter((rule) => rule.meta.id !== FILTER_RULE)
  const filter = preset.rules.filter((rule) => rule.meta.id === FILTER_RULE)
  // One config per set of rules a file needs, all under the preset's id (so its options apply as before).
  const configs = new Map<string, object>()
  const configOf = (rules: typeof preset.rules) => {
    const key = rules.map((rule) => rule.meta.id).join()
    let config = configs.get(key)
    if (!config) {
      const subset = { ...preset, rules, create: presetOf(rules) }
      config = {
        rules: [
          {
            id: '@secretlint/secretlint-rule-preset-recommend',
            rule: subset,
            // Access key ids are only scanned when asked for; account ids are not secrets.
            rules: [
              {
                id: '@secretlint/secretlint-rule-aws',
                options: { enableIDScanRule: true },
                allowMessageIds: ['AWSAccountID'],
              },
            ],
          },
        ],
      }
      configs.set(key, config)
    }
    return config
  }
  return async (path, text, { prefilter = true } = {}) => {
    const has = prefilter ? keywordsIn(text) : null
    const needed = has ? scanners.filter((rule) => secretKeywords(rule.meta.id, has, path)) : scanners
    const found: Detection[] = []
    if (needed.length > 0) {
      // Rules keep the preset's order, so their findings come in the same order as with every rule.
      const rules = preset.rules.filter((rule) => needed.includes(rule) || filter.includes(rule))
      const result = await lintSource({
        source: { filePath: path, content: text, contentType: 'text', ext: extname(path) },
        options: { config: configOf(rules) as Parameters<typeof lintSource>[0]['options']['config'] },
      })
      found.push(...result.messages.map((m) => fromSecretlint(text, m)))
    }
    if (!has || has('private key')) found.push(...shortPrivateKeys(text))
    // A secret that secretlint and a rule of wf's own (or two of wf's rules) both find is reported once, as found first.
    for (const d of ownRules(text, has)) if (!found.some((f) => overlaps(f, d))) found.push(d)
    return found.filter((d) => !isPlaceholder(d.value))
  }
}

/** The preset's `create`, registering only `rules`. */
function presetOf<R>(rules: readonly R[]) {
  return (context: { registerRule: (rule: R) => void }) => {
    for (const rule of rules) context.registerRule(rule)
  }
}

/** A secretlint message as a detection: its message names the secret, which is replaced by its mask. */
function fromSecretlint(
  text: string,
  message: { range: readonly [number, number]; message: string; data?: object },
): Detection {
  const shown = Object.values(message.data ?? {})
    .filter((v): v is string => typeof v === 'string' && v.length > 0 && text.includes(v))
    .sort((a, b) => b.length - a.length)
  const value = shown[0] ?? text.slice(message.range[0], message.range[1])
  const at = text.indexOf(value, message.range[0])
  let said = message.message.replace(/^found /, '')
  for (const v of [...shown, value]) said = said.split(v).join(mask(v))
  return { index: at >= 0 ? at : message.range[0], value, message: said }
}

// The preset accepts only DER bodies starting `MI` (lengths of 128 bytes or more), so it misses
// EC P-256 (`MHcC…`) and Ed25519/X25519 PKCS#8 (`MC4C…`) keys; `M[A-H]` is exactly those shorter ones.
const SHORT_PRIVATE_KEY =
  /-----BEGIN (EC |)PRIVATE KEY-----(?:\s|\\n)+M[A-H](?:[A-Za-z0-9+/=]|\s|\\n){30,400}?-----END \1PRIVATE KEY-----/g

function shortPrivateKeys(text: string): Detection[] {
  return [...text.matchAll(SHORT_PRIVATE_KEY)].map((m) => ({
    index: m.index,
    value: m[0],
    message: `private key: ${mask(m[0])}`,
  }))
}

function overlaps(a: Detection, b: Detection): boolean {
  return a.index < b.index + b.value.length && b.index < a.index + a.value.length
}

function ownRules(text: string, has: HasKeyword | null): Detection[] {
  return findRuleSecrets(text, has).map(({ index, value, kind }) => ({
    index,
    value,
    message: `${kind}: ${mask(value)}`,
  }))
}

// `http://user:pass@host`, as documentation and tests write a proxy or basic-auth URL: the password is a word that
// stands for one, a variable or a template (only these: a real password may well contain `example` or `fake`).
const URL_PASSWORD = /^[a-z][\w+.-]*:\/\/[^\s:@/]*:([^\s@/]*)@/i
const STAND_IN_PASSWORD = /^(?:[$%<{[*\u2022]|(?:pass(?:word)?|passwd|pwd|secret|changeme)$)/i

/** Template values such as `xoxb-your-token-here` (real tokens carry digits), and URLs whose password is a stand-in. */
function isPlaceholder(value: string): boolean {
  const password = URL_PASSWORD.exec(value)?.[1]
  if (password !== undefined && STAND_IN_PASSWORD.test(password)) return true
  return !/\d/.test(value) && /your|here|example|placeholder|changeme|dummy|xxxx/i.test(value)
}
