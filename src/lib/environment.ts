import { memoizeByObject } from './memo.js'

/** A map of environment variables as a plan writes it: plain values, or `{ value | from, secret }`. */
export type EnvLayer = Record<
  string,
  string | number | boolean | { value?: unknown; from?: string; secret?: boolean } | undefined
>

/** Names that look like they hold credentials; their values are redacted wherever wf writes. */
// `auth` but not `author`/`authority` (GIT_AUTHOR_NAME, XAUTHORITY); `authorization` stays a credential.
export const SECRET_NAME = /(token|secret|passw(or)?d|pwd|api[_-]?key|private[_-]?key|credential|auth(?!or(?!i[sz])))/i

// The shell's working directories match `pwd` but hold paths; redacting them would hide every path in the output.
const NOT_SECRET = new Set(['PWD', 'OLDPWD'])

/** Whether a variable's name says its value is a credential (`DB_PWD`, `API_TOKEN`; not `PWD`, `OLDPWD`). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET.has(name.toUpperCase())
}

/** Environment for a command: the process environment plus plan values, and which values are secret. */
export interface ResolvedEnv {
  vars: Record<string, string>
  secrets: string[]
}

/** Resolves plan `env` maps (later ones win) on top of the process environment. */
export function resolveEnv(base: NodeJS.ProcessEnv, ...layers: (EnvLayer | undefined)[]): ResolvedEnv {
  const vars: Record<string, string> = {}
  const secrets = new Set<string>()
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined) continue
    vars[name] = value
    if (isSecretName(name) && value.length >= 4) secrets.add(value)
  }
  for (const layer of layers) {
    for (const [name, entry] of Object.entries(layer ?? {})) {
      if (entry === undefined) continue
      let value: string | undefined
      let secret = isSecretName(name)
      if (typeof entry === 'object') {
        value = entry.from !== undefined ? base[entry.from] : String(entry.value)
        secret ||= entry.secret === true
      } else value = String(entry)
      if (value === undefined) {
        delete vars[name]
        continue
      }
      vars[name] = value
      if (secret && value.length > 0) secrets.add(value)
    }
  }
  return { vars, secrets: longestFirst(secrets) }
}

/** `extra` on top of `base`: its variables win, and the secrets of both, once each, longest first. */
export function mergeEnv(base: ResolvedEnv, extra: ResolvedEnv): ResolvedEnv {
  return { vars: { ...base.vars, ...extra.vars }, secrets: longestFirst([...base.secrets, ...extra.secrets]) }
}

// A shorter secret replaced before a longer one that contains it would leave the rest of the longer
// one readable, so secrets are always replaced longest first.
function longestFirst(secrets: Iterable<string>): string[] {
  return [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length)
}

const ordered = memoizeByObject((secrets: readonly string[]) => longestFirst(secrets))

/** Replaces every secret value in a text with `***`, whatever the order the secrets come in. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of ordered(secrets)) if (out.includes(secret)) out = out.split(secret).join('***')
  return out
}
