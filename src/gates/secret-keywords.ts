// The keyword prefilter of the secret scan, as gitleaks has it: a rule's regexes run on a file only
// when one of its keywords occurs in it, case-insensitively. A keyword is sure: every text the rule
// can report contains it (letters in any case for a case-insensitive pattern), so skipping a file
// without it loses nothing. A rule that has no sure keyword is not listed and always runs.

import { extname } from 'node:path'
import { once } from '../lib/memo.js'
import { SECRET_RULES } from './secret-rules.js'

/** What must occur in a file for a rule to run: each group needs one of its texts (lower case, ASCII). */
type Keywords = readonly (readonly string[])[]

/** Whether a keyword occurs in a file, in any case. */
export type HasKeyword = (keyword: string) => boolean

/** secretlint's filter rule, which only hides other rules' findings: it runs whenever another rule does. */
export const FILTER_RULE = '@secretlint/secretlint-rule-filter-comments'

const KEYWORDS: Record<string, Keywords | ((has: HasKeyword, path: string) => boolean)> = {
  // Access key ids, and `(SECRET|secret|Secret)_?(ACCESS|…)…` for secret keys; its account ids are never
  // reported (wf allows the message), so `account` is no keyword.
  '@secretlint/secretlint-rule-aws': [
    ['akia', 'a3t', 'agpa', 'aida', 'aroa', 'aipa', 'anpa', 'anva', 'asia', 'secret'],
  ],
  // A `.p12` file is read from disk as bytes; a service-account JSON names `private_key_id`, maybe \u-escaped.
  '@secretlint/secretlint-rule-gcp': (has, path) => {
    const ext = extname(path)
    return ext === '.p12' || (ext === '.json' && (has('private_key_id') || has('\\u')))
  },
  '@secretlint/secretlint-rule-privatekey': [['private key']],
  '@secretlint/secretlint-rule-npm': [['x-oauth-basic', '_authtoken=', 'npm_']],
  // `scheme://user:password@host`, the scheme matched as written (http, https, ftp, ftps).
  '@secretlint/secretlint-rule-basicauth': [['http', 'ftp'], ['://'], ['@']],
  '@secretlint/secretlint-rule-slack': [['xoxb-', 'xoxp-', 'xapp-', 'xoxa-', 'xoxo-', 'xoxr-', 'hooks.slack.com']],
  '@secretlint/secretlint-rule-sendgrid': [['sg.']],
  '@secretlint/secretlint-rule-shopify': [['shppa_', 'shpca_', 'shpat_', 'shpss_']],
  '@secretlint/secretlint-rule-github': [['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_']],
  '@secretlint/secretlint-rule-gitlab': [['glpat-']],
  '@secretlint/secretlint-rule-grafana': [['glc_', 'glsa_']],
  // Both of its formats carry `T3BlbkFJ` (base64 of `OpenAI`).
  '@secretlint/secretlint-rule-openai': [['sk-'], ['t3blbkfj']],
  '@secretlint/secretlint-rule-anthropic': [['sk-ant-api0']],
  '@secretlint/secretlint-rule-groq': [['gsk_']],
  '@secretlint/secretlint-rule-huggingface': [['hf_']],
  '@secretlint/secretlint-rule-linear': [['lin_api_']],
  '@secretlint/secretlint-rule-notion': [['ntn_']],
  '@secretlint/secretlint-rule-1password': [['ops_ey']],
  // Case-insensitive schemes; only a URL with `user:password@` is reported.
  '@secretlint/secretlint-rule-database-connection-string': [['mongodb', 'mysql', 'postgres'], ['@']],
  '@secretlint/secretlint-rule-hashicorp-vault': [['hvs.', 'hvb.', 'hvr.']],
  '@secretlint/secretlint-rule-vercel': [['vcp_', 'vci_', 'vca_', 'vcr_', 'vck_']],
  '@secretlint/secretlint-rule-databricks': [['dapi']],
  '@secretlint/secretlint-rule-docker': [['dckr_pat_']],
  '@secretlint/secretlint-rule-figma': [['figd_']],
}

/** Texts searched besides the keyword lists: the GCP rule's, wf's short private keys' and Kubernetes Secrets'. */
const OTHER_KEYWORDS = ['private_key_id', '\\u', 'private key', 'secret']

/**
 * Whether secretlint's rule `id` may find something in a file whose keywords are `has`:
 * false only when a sure keyword of the rule is missing; true for a rule without keywords.
 */
export function secretKeywords(id: string, has: HasKeyword, path: string): boolean {
  const keywords = KEYWORDS[id]
  if (keywords === undefined) return true
  if (typeof keywords === 'function') return keywords(has, path)
  return keywords.every((group) => group.some(has))
}

/** The keywords (every rule's) that occur in `text`, in any case, found in one pass over it. */
export function keywordsIn(text: string): HasKeyword {
  const { ids, next, outputs } = automaton()
  const found = new Uint8Array(ids.size)
  let state = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    state = c < 128 ? next[(state << 7) | c]! : 0
    const out = outputs[state]!
    for (let k = 0; k < out.length; k++) found[out[k]!] = 1
  }
  return (keyword) => {
    const id = ids.get(keyword)
    if (id === undefined) throw new Error(`not a secret keyword: ${keyword}`)
    return found[id] === 1
  }
}

/**
 * An Aho-Corasick automaton of every keyword over ASCII: `next` is its transition table, 128 entries
 * a state, where an upper-case letter goes where its lower-case one does; `outputs` the keywords that
 * end at each state (most have none).
 */
const automaton = once(() => {
  const keywords = new Set<string>(OTHER_KEYWORDS)
  for (const entry of Object.values(KEYWORDS))
    if (typeof entry !== 'function') for (const group of entry) for (const k of group) keywords.add(k)
  // wf's own rules' needles (their patterns, such as Twilio's account id, are tried in secret-rules.ts).
  for (const rule of SECRET_RULES) for (const n of rule.needles) if (typeof n === 'string') keywords.add(n)
  const ids = new Map([...keywords].map((k, i) => [k, i]))
  const goto: Map<number, number>[] = [new Map()]
  const ends: number[][] = [[]]
  for (const [keyword, id] of ids) {
    if (keyword !== keyword.toLowerCase()) throw new Error(`a secret keyword must be lower case: ${keyword}`)
    let state = 0
    for (let i = 0; i < keyword.length; i++) {
      const c = keyword.charCodeAt(i)
      let to = goto[state]!.get(c)
      if (to === undefined) {
        to = goto.length
        goto.push(new Map())
        ends.push([])
        goto[state]!.set(c, to)
      }
      state = to
    }
    ends[state]!.push(id)
  }
  const next = new Int32Array(goto.length * 128)
  const fail = new Int32Array(goto.length)
  const outputs: number[][] = goto.map(() => [])
  // Breadth first, so a state's failure state is complete before the state is.
  const queue = [0]
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head]!
    outputs[state] = [...ends[state]!, ...(state === 0 ? [] : outputs[fail[state]!]!)]
    for (let c = 0; c < 128; c++) {
      if (c >= 65 && c <= 90) continue
      const to = goto[state]!.get(c)
      if (to === undefined) next[state * 128 + c] = state === 0 ? 0 : next[fail[state]! * 128 + c]!
      else {
        next[state * 128 + c] = to
        fail[to] = state === 0 ? 0 : next[fail[state]! * 128 + c]!
        queue.push(to)
      }
    }
    for (let c = 65; c <= 90; c++) next[state * 128 + c] = next[state * 128 + (c | 32)]!
  }
  return { ids, next, outputs }
})
