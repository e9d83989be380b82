// wf's own secret formats, for those secretlint's recommended preset does not know. Every pattern
// starts with a literal or where no character of its body can precede it, and has only bounded
// quantifiers, so a scan is linear in the text: a long run of near-matches gives a rule one bounded
// attempt per start.

/** One secret a rule found: where its value starts, the value, and what kind of secret it is. */
export interface RuleMatch {
  index: number
  value: string
  kind: string
}

interface Rule {
  kind: string
  /** What must occur in the file before the pattern is tried: a lower-case text (in the lower-cased file) or a pattern. */
  needles: (string | RegExp)[]
  /** Global, with indices; the named group `secret` (or else the whole match) is the value. */
  pattern: RegExp
  accept?: (value: string, text: string, index: number) => boolean
}

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}'

/** The rules, in the order their findings are listed. */
export const SECRET_RULES: readonly Rule[] = [
  {
    kind: 'GitHub refresh token',
    needles: ['ghr_'],
    pattern: /(?<!\w)ghr_[A-Za-z0-9]{76}(?!\w)/dg,
    accept: (v) => looksRandom(v.slice(4)),
  },
  {
    kind: 'GitLab token',
    needles: ['glptt-', 'glrt-', 'gldt-', 'glft-', 'glsoat-', 'glcbt-', 'glimt-', 'glagent-', 'gloas-', 'gr1348941'],
    pattern:
      /(?<![\w-])(?:gl(?:ptt|rt|dt|ft|soat|cbt|imt|agent|oas)-[\w-]{20,300}(?:\.[0-9a-z]{9})?|GR1348941[\w-]{20,64})(?![\w.-])/dg,
    accept: (v) => looksRandom(v.slice(v.indexOf('-') + 1 || 9)),
  },
  {
    // SendGrid keys are base64url: secretlint's pattern allows one `-` in the last part, where they can have several.
    kind: 'SendGrid API key',
    needles: ['sg.'],
    pattern: /(?<![\w.-])SG\.[\w-]{22}\.[\w-]{43}(?![\w-])/dg,
    accept: (v) => looksRandom(v.slice(3)),
  },
  {
    kind: 'Redis URL with a password',
    needles: ['redis'],
    pattern: /(?<![\w+.-])rediss?:\/\/[^\s:@/'"]{0,100}:(?<secret>[^\s@/'"]{1,200})@[\w.-]{1,255}/dg,
    accept: (v) => !isPlaceholderValue(v),
  },
  {
    kind: 'Stripe live key',
    needles: ['k_live_'],
    pattern: /(?<!\w)[sr]k_live_[A-Za-z0-9]{20,247}(?![A-Za-z0-9])/dg,
    accept: (v) => looksRandom(v.slice(8)),
  },
  {
    kind: 'Google API key',
    needles: ['aiza'],
    pattern: /(?<![\w-])AIza[\w-]{35}(?![\w-])/dg,
    accept: (v) => looksRandom(v.slice(4)),
  },
  {
    kind: 'Azure storage account key',
    needles: ['accountkey='],
    pattern: /AccountKey=(?<secret>[A-Za-z0-9+/]{86}==)(?![\w+/=])/dg,
    accept: (v) => looksRandom(v),
  },
  {
    kind: 'Azure shared access key',
    needles: ['sharedaccesskey='],
    pattern: /SharedAccessKey=(?<secret>[A-Za-z0-9+/]{43}=)(?![\w+/=])/dg,
    accept: (v) => looksRandom(v),
  },
  {
    kind: 'Azure AD client secret',
    needles: ['q~'],
    pattern: /(?<![\w~.-])[\w~.]{3}\dQ~[\w~.-]{31,34}(?![\w~.-])/dg,
    accept: (v) => looksRandom(v),
  },
  {
    kind: 'Twilio API key',
    needles: ['sk'],
    pattern: /(?<!\w)SK[0-9a-f]{32}(?!\w)/dg,
    accept: (v) => looksRandom(v.slice(2)),
  },
  {
    kind: 'Twilio auth token',
    needles: ['twilio', 'auth_token', 'authtoken', 'auth-token', /AC[0-9a-f]{32}/],
    pattern: /(?<!\w)(?:AC[0-9a-f]{32}:)?(?<secret>[0-9a-f]{32})(?!\w)/dg,
    accept: (v, text, at) => looksRandom(v) && isTwilioToken(text, at),
  },
  {
    kind: 'PyPI upload token',
    needles: ['pypi-'],
    // The prefix is the start of a macaroon issued by pypi.org (or test.pypi.org).
    pattern: /(?<![\w-])pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[\w-]{50,1000}(?![\w-])/dg,
    accept: (v) => looksRandom(v.replace(/^pypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)/, '')),
  },
  {
    kind: 'JSON Web Token',
    needles: ['eyj'],
    pattern: /(?<![\w-])eyJ[\w-]{8,4000}\.eyJ[\w-]{8,8000}\.[\w-]{16,1000}(?![\w-])/dg,
    accept: (v) => isSignedJwt(v),
  },
  {
    kind: 'Mailgun API key',
    needles: ['key-', 'mailgun'],
    pattern: /(?<![\w-])(?:key-[0-9a-z]{32}|[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})(?![\w-])/dg,
    accept: (v, text, at) =>
      looksRandom(v.replace(/^key-/, '')) &&
      (/mailgun/i.test(text.slice(Math.max(0, at - 300), at)) || before(text, at, 4) === 'api:'),
  },
  {
    kind: 'Heroku API key',
    needles: ['heroku', 'hrku-'],
    pattern: new RegExp(`(?<![\\w-])(?:HRKU-AA[\\w-]{58}|${UUID})(?![\\w-])`, 'dg'),
    accept: (v, text, at) => v.startsWith('HRKU-') || isHerokuKey(text, at),
  },
  {
    kind: 'DigitalOcean token',
    needles: ['_v1_'],
    pattern: /(?<!\w)do[opr]_v1_[0-9a-f]{64}(?!\w)/dg,
    accept: (v) => looksRandom(v.slice(7)),
  },
  {
    kind: 'age secret key',
    needles: ['age-secret-key-1'],
    pattern: /(?<![\w-])AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}(?!\w)/dg,
    accept: (v) => isBech32(v),
  },
  {
    kind: 'Doppler token',
    needles: ['dp.'],
    pattern: /(?<![\w.])dp\.(?:pt|st|ct|sa|scim|audit)\.(?:[\w-]{1,64}\.)?[A-Za-z0-9]{40,44}(?!\w)/dg,
    accept: (v) => looksRandom(v.slice(v.lastIndexOf('.') + 1)),
  },
  {
    kind: 'Postman API key',
    needles: ['pmak-'],
    pattern: /(?<![\w-])PMAK-[0-9a-f]{24}-[0-9a-f]{34}(?!\w)/dg,
    accept: (v) => looksRandom(v.slice(5)),
  },
  {
    kind: 'Telegram bot token',
    needles: [':aa'],
    pattern: /(?<![\w:])\d{8,10}:AA[\w-]{33}(?![\w-])/dg,
    accept: (v) => looksRandom(v.slice(v.indexOf(':') + 3)),
  },
  {
    kind: 'Docker registry credentials',
    needles: ['"auth"'],
    pattern: /"auth"[ \t]{0,20}:[ \t]{0,20}"(?<secret>[A-Za-z0-9+/]{4,2000}={0,2})"/dg,
    accept: (v) => isUserAndPassword(v),
  },
]

/** Documented public values that have the form of a secret: the Azurite storage key, jwt.io's sample token. */
const PUBLIC_VALUES = new Set([
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
])

/**
 * Every secret the rules find in a text, including the `data:` values of Kubernetes Secret manifests.
 * A rule runs only when one of its needles occurs in the text (`has` says whether a needle, lower
 * case, occurs in any case); with `null`, every rule runs.
 */
export function findRuleSecrets(
  text: string,
  has: ((needle: string) => boolean) | null = needlesOf(text.toLowerCase()),
): RuleMatch[] {
  const found: RuleMatch[] = []
  for (const rule of SECRET_RULES) {
    if (has !== null && !rule.needles.some((n) => (typeof n === 'string' ? has(n) : n.test(text)))) continue
    for (const m of text.matchAll(rule.pattern)) {
      const value = m.groups?.secret ?? m[0]
      const index = (m.indices?.groups?.secret ?? m.indices![0]!)[0]
      if (PUBLIC_VALUES.has(value) || (rule.accept && !rule.accept(value, text, index))) continue
      found.push({ index, value, kind: rule.kind })
    }
  }
  if (has === null || has('secret')) found.push(...kubernetesSecrets(text))
  return found
}

const needlesOf = (lower: string) => (needle: string) => lower.includes(needle)

const PLACEHOLDER_WORDS = /example|sample|placeholder|dummy|your|redacted|changeme|notreal|fake|xxxx|0{8}/i

/** A value that reads like random key material: no placeholder word, varied characters, not a counting sequence. */
export function looksRandom(value: string): boolean {
  if (value.length < 16 || PLACEHOLDER_WORDS.test(value)) return false
  const counts = new Map<string, number>()
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1)
  let bits = 0
  for (const n of counts.values()) bits -= (n / value.length) * Math.log2(n / value.length)
  let steps = 0
  for (let i = 1; i < value.length; i++) if (Math.abs(value.charCodeAt(i) - value.charCodeAt(i - 1)) === 1) steps++
  return bits >= 3 && steps < value.length / 3
}

/** A password or key written as a stand-in: a variable, a template, a masked or spelled-out value. */
function isPlaceholderValue(value: string): boolean {
  return (
    /^[$%<{[*.\u2022]|^(?:pass(?:word)?|passwd|pwd|secret|redis|changeme|none|null|empty|x+)$/i.test(value) ||
    PLACEHOLDER_WORDS.test(value)
  )
}

/** The text of up to `n` characters before `index`, on the same line. */
function before(text: string, index: number, n: number): string {
  const window = text.slice(Math.max(0, index - n), index)
  return window.slice(window.lastIndexOf('\n') + 1)
}

/** A 32-hex value named as an auth token next to Twilio, or given right after an account SID. */
function isTwilioToken(text: string, index: number): boolean {
  const line = before(text, index, 200)
  if (/AC[0-9a-f]{32}:$/.test(line)) return true
  const near = text.slice(Math.max(0, index - 400), index)
  const named = /auth[_-]?token|secret/i.test(line) || /AC[0-9a-f]{32}/.test(line)
  return named && (/twilio/i.test(near) || /AC[0-9a-f]{32}/.test(near))
}

/** A uuid named as an API key, token or password, with Heroku named on its line or just above. */
function isHerokuKey(text: string, index: number): boolean {
  const line = before(text, index, 200)
  return (
    /api[_-]?key|token|passw(?:or)?d|secret/i.test(line) && /heroku/i.test(text.slice(Math.max(0, index - 200), index))
  )
}

const JWT_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti']

/** A JWT signed with an algorithm (not `none`) whose payload has a registered claim, as tokens that grant access do. */
function isSignedJwt(token: string): boolean {
  const [header, payload] = token.split('.').map(decodeJson)
  return (
    typeof header?.alg === 'string' &&
    header.alg.toLowerCase() !== 'none' &&
    payload !== undefined &&
    JWT_CLAIMS.some((claim) => claim in payload)
  )
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/** Base64 of printable `user:password`, both present and the password not a stand-in. */
function isUserAndPassword(encoded: string): boolean {
  const decoded = Buffer.from(encoded, 'base64').toString('latin1')
  const colon = decoded.indexOf(':')
  if (!/^[\x21-\x7e]+$/.test(decoded) || colon < 1 || colon === decoded.length - 1) return false
  return !isPlaceholderValue(decoded.slice(colon + 1))
}

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l'
const BECH32_GENERATORS = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]

/** A Bech32 string (BIP 173) whose checksum holds: a real age key does, a made-up one almost never. */
export function isBech32(value: string): boolean {
  const lower = value.toLowerCase()
  const split = lower.lastIndexOf('1')
  const hrp = [...lower.slice(0, split)].map((c) => c.charCodeAt(0))
  const data = [...lower.slice(split + 1)].map((c) => BECH32.indexOf(c))
  if (split < 1 || data.length < 6 || data.includes(-1)) return false
  let check = 1
  for (const v of [...hrp.map((c) => c >> 5), 0, ...hrp.map((c) => c & 31), ...data]) {
    const top = check >>> 25
    check = ((check & 0x1ffffff) << 5) ^ v
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) check ^= BECH32_GENERATORS[i]!
  }
  return check === 1
}

/**
 * The base64 values under `data:` in each YAML document that is a Kubernetes `kind: Secret`
 * (`stringData:` is plain text, which the other detectors read as they would any file).
 */
function kubernetesSecrets(text: string): RuleMatch[] {
  const found: RuleMatch[] = []
  let offset = 0
  for (const document of text.split(/^---/m)) {
    if (/^kind:[ \t]*["']?Secret["']?[ \t]*(?:#.*)?$/m.test(document)) found.push(...dataValues(document, offset))
    offset += document.length + 3
  }
  return found
}

function dataValues(document: string, offset: number): RuleMatch[] {
  const found: RuleMatch[] = []
  let inData = false
  let at = 0
  for (const line of document.split('\n')) {
    const indented = /^[ \t]/.test(line)
    if (!indented && line.trim() !== '') inData = /^data:[ \t]*(?:#.*)?$/.test(line)
    else if (inData) {
      const m = /^[ \t]+[\w.-]{1,253}:[ \t]*["']?([A-Za-z0-9+/]{4,}={0,2})["']?[ \t]*(?:#.*)?$/.exec(line)
      const value = m?.[1]
      if (value && isSecretData(value))
        found.push({ index: offset + at + line.indexOf(value), value, kind: 'Kubernetes Secret data' })
    }
    at += line.length + 1
  }
  return found
}

function isSecretData(encoded: string): boolean {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8').trim()
  return decoded.length >= 4 && !isPlaceholderValue(decoded)
}
