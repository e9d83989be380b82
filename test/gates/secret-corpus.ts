import { generateKeyPairSync } from 'node:crypto'
import { crc32 } from 'node:zlib'

// A corpus of secrets in their documented formats, with random bodies from a seeded generator (so a
// failure repeats), and of look-alikes: placeholders, documentation values, ids, hashes, encodings.

/** One file's text holding one secret; `secret` is the part a detection must cover. */
export interface CorpusEntry {
  kind: string
  file: string
  text: string
  secret: string
}

/** One file's text that holds no secret, only something shaped like one. */
export interface LookAlike {
  what: string
  file: string
  text: string
}

function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const next = random(1404)
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
const LOWER = 'abcdefghijklmnopqrstuvwxyz'
const DIGITS = '0123456789'
const ALNUM = UPPER + LOWER + DIGITS
const BASE62 = DIGITS + UPPER + LOWER
const HEX = '0123456789abcdef'
const B64 = `${ALNUM}+/`
const B64URL = `${ALNUM}-_`

const pick = (chars: string, n: number) =>
  Array.from({ length: n }, () => chars[Math.floor(next() * chars.length)]).join('')
const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256)))
const b64 = (n: number) => bytes(n).toString('base64')
const uuid = () => `${pick(HEX, 8)}-${pick(HEX, 4)}-4${pick(HEX, 3)}-a${pick(HEX, 3)}-${pick(HEX, 12)}`
const json64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')

/** A GitHub token: prefix, 30 random base62 characters, then their CRC32 in 6 base62 digits. */
function githubToken(prefix: string): string {
  const body = pick(ALNUM, 30)
  let n = crc32(body)
  let check = ''
  for (let i = 0; i < 6; i++, n = Math.floor(n / 62)) check = BASE62[n % 62] + check
  return `${prefix}_${body}${check}`
}

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l'

/** An age secret key: 32 random bytes in Bech32 (BIP 173) under `age-secret-key-`, upper case. */
function ageKey(): string {
  const hrp = 'age-secret-key-'
  const data: number[] = []
  let acc = 0
  let bits = 0
  for (const byte of bytes(32)) {
    acc = (acc << 8) | byte
    bits += 8
    for (; bits >= 5; bits -= 5) data.push((acc >> (bits - 5)) & 31)
  }
  if (bits > 0) data.push((acc << (5 - bits)) & 31)
  const gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]
  let chk = 1
  const codes = [...hrp].map((c) => c.charCodeAt(0))
  for (const v of [...codes.map((c) => c >> 5), 0, ...codes.map((c) => c & 31), ...data, 0, 0, 0, 0, 0, 0]) {
    const top = chk >>> 25
    chk = ((chk & 0x1ffffff) << 5) ^ v
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= gen[i]!
  }
  chk ^= 1
  const checksum = Array.from({ length: 6 }, (_, i) => (chk >>> (5 * (5 - i))) & 31)
  return `${hrp}1${[...data, ...checksum].map((v) => BECH32[v]).join('')}`.toUpperCase()
}

function jwt(alg: string, signatureBytes: number): string {
  const header = json64({ alg, typ: 'JWT' })
  const payload = json64({ sub: uuid(), iss: 'https://auth.acme.dev', iat: 1764700000, exp: 1764786400 })
  return `${header}.${payload}.${bytes(signatureBytes).toString('base64url')}`
}

function pem(kind: 'rsa' | 'ec' | 'ed25519'): string {
  if (kind === 'rsa')
    return generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      type: 'pkcs1',
      format: 'pem',
    }) as string
  if (kind === 'ec')
    return generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({
      type: 'sec1',
      format: 'pem',
    }) as string
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
}

function openSshKey(): string {
  const body = Buffer.concat([Buffer.from('openssh-key-v1\0\0\0\0\x04none'), bytes(360)]).toString('base64')
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${body.match(/.{1,70}/g)!.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`
}

const entry = (kind: string, file: string, secret: string, text: (s: string) => string): CorpusEntry => ({
  kind,
  file,
  secret,
  text: text(secret),
})

function kubernetesSecret(value: string, before = ''): string {
  return `${before}apiVersion: v1\nkind: Secret\nmetadata:\n  name: payments-db\ntype: Opaque\ndata:\n  password: ${value} # rotated monthly\n`
}

/** The secrets wf's own rules add: the 22 kinds secretlint's preset misses, several in more than one form. */
export function addedSecrets(): CorpusEntry[] {
  const sid = `AC${pick(HEX, 32)}`
  return [
    entry('GitHub refresh token', 'app-tokens.env', `ghr_${pick(ALNUM, 76)}`, (s) => `GITHUB_APP_REFRESH=${s}\n`),
    entry(
      'SendGrid API key',
      'sendgrid.env',
      `SG.${pick(B64URL, 22)}.${pick(ALNUM, 20)}-${pick(ALNUM, 10)}-${pick(ALNUM, 11)}`,
      (s) => `SENDGRID_API_KEY=${s}\n`,
    ),
    entry(
      'GitLab token',
      '.gitlab-ci.yml',
      `glptt-${pick(HEX, 40)}`,
      (s) => `trigger:\n  script: curl -F token=${s} https://gitlab.com/api/v4/projects/1/trigger/pipeline\n`,
    ),
    entry('GitLab token', 'runner-config.toml', `glrt-${pick(B64URL, 20)}`, (s) => `[[runners]]\n  token = "${s}"\n`),
    entry(
      'GitLab token',
      'config.toml',
      `glrt-t1_${pick(ALNUM, 27)}.01${pick(DIGITS + LOWER, 7)}`,
      (s) => `token = "${s}"\n`,
    ),
    entry(
      'Redis URL with a password',
      'cache.env',
      pick(ALNUM, 24),
      (s) => `REDIS_URL=redis://:${s}@cache.internal:6379/0\n`,
    ),
    entry(
      'Redis URL with a password',
      'settings.py',
      `${pick(ALNUM, 12)}-${pick(ALNUM, 8)}`,
      (s) =>
        `CACHES = {"default": {"LOCATION": "rediss://default:${s}@redis-12345.c1.us-east-1.ec2.cloud.redislabs.com:12345"}}\n`,
    ),
    entry('Stripe live key', 'billing.ts', `sk_live_${pick(ALNUM, 24)}`, (s) => `const stripe = new Stripe('${s}')\n`),
    entry('Stripe live key', '.env.production', `sk_live_51${pick(ALNUM, 97)}`, (s) => `STRIPE_SECRET_KEY=${s}\n`),
    entry('Stripe live key', 'webhooks.rb', `rk_live_${pick(ALNUM, 24)}`, (s) => `Stripe.api_key = "${s}"\n`),
    entry(
      'Google API key',
      'maps.js',
      `AIzaSy${pick(`${ALNUM}_-`, 33)}`,
      (s) => `const url = 'https://maps.googleapis.com/maps/api/js?key=${s}'\n`,
    ),
    entry(
      'Azure storage account key',
      'appsettings.json',
      `${b64(64)}`,
      (s) =>
        `{"Storage": "DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey=${s};EndpointSuffix=core.windows.net"}\n`,
    ),
    entry(
      'Azure shared access key',
      'servicebus.env',
      b64(32),
      (s) =>
        `SERVICEBUS=Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${s}\n`,
    ),
    entry(
      'Azure AD client secret',
      'terraform.tfvars',
      `${pick(ALNUM, 3)}8Q~${pick(`${ALNUM}_~.-`, 34)}`,
      (s) => `client_secret = "${s}"\n`,
    ),
    entry(
      'Twilio API key',
      'sms.py',
      `SK${pick(HEX, 32)}`,
      (s) => `client = Client("${s}", api_secret, account_sid)\n`,
    ),
    entry('Twilio auth token', '.env', pick(HEX, 32), (s) => `TWILIO_ACCOUNT_SID=${sid}\nTWILIO_AUTH_TOKEN=${s}\n`),
    entry(
      'Twilio auth token',
      'notify.sh',
      pick(HEX, 32),
      (s) => `curl -X POST https://api.twilio.com/2010-04-01/Accounts/${sid}/Messages.json -u ${sid}:${s}\n`,
    ),
    entry('Twilio auth token', 'alerts.py', pick(HEX, 32), (s) => `client = Client("${sid}", "${s}")\n`),
    entry(
      'PyPI upload token',
      '.pypirc',
      `pypi-AgEIcHlwaS5vcmc${pick(B64URL, 160)}`,
      (s) => `[pypi]\nusername = __token__\npassword = ${s}\n`,
    ),
    entry(
      'JSON Web Token',
      'api.http',
      jwt('HS256', 32),
      (s) => `GET https://api.acme.dev/v1/me\nAuthorization: Bearer ${s}\n`,
    ),
    entry('JSON Web Token', 'session.json', jwt('RS256', 256), (s) => `{"id_token": "${s}"}\n`),
    entry(
      'Mailgun API key',
      'mailgun.yml',
      `key-${pick(HEX, 32)}`,
      (s) => `mailgun:\n  domain: mg.acme.dev\n  api_key: ${s}\n`,
    ),
    entry('Mailgun API key', 'mail.py', `key-${pick(HEX, 32)}`, (s) => `MAILGUN_API_KEY = "${s}"\n`),
    entry(
      'Mailgun API key',
      'send.sh',
      `key-${pick(DIGITS + LOWER, 32)}`,
      (s) => `curl -s --user 'api:${s}' https://api.mailgun.net/v3/mg.acme.dev/messages\n`,
    ),
    entry(
      'Mailgun API key',
      'mailer.env',
      `${pick(HEX, 32)}-${pick(HEX, 8)}-${pick(HEX, 8)}`,
      (s) => `MAILGUN_KEY=${s}\n`,
    ),
    entry('Heroku API key', 'deploy.yml', uuid(), (s) => `env:\n  HEROKU_API_KEY: ${s}\n`),
    entry('Heroku API key', '.netrc', uuid(), (s) => `machine api.heroku.com\n  login ops@acme.dev\n  password ${s}\n`),
    entry('Heroku API key', 'heroku.env', `HRKU-AA${pick(B64URL, 58)}`, (s) => `TOKEN=${s}\n`),
    entry(
      'DigitalOcean token',
      'do.tf',
      `dop_v1_${pick(HEX, 64)}`,
      (s) => `provider "digitalocean" {\n  token = "${s}"\n}\n`,
    ),
    entry('DigitalOcean token', 'oauth.json', `doo_v1_${pick(HEX, 64)}`, (s) => `{"access_token": "${s}"}\n`),
    entry('DigitalOcean token', 'refresh.txt', `dor_v1_${pick(HEX, 64)}`, (s) => `${s}\n`),
    entry(
      'age secret key',
      'key.txt',
      ageKey(),
      (s) => `# created: 2026-01-02T10:00:00Z\n# public key: age1${pick(BECH32, 58)}\n${s}\n`,
    ),
    entry('Doppler token', 'doppler.env', `dp.pt.${pick(ALNUM, 43)}`, (s) => `DOPPLER_TOKEN=${s}\n`),
    entry('Doppler token', 'ci.yml', `dp.st.prd.${pick(ALNUM, 40)}`, (s) => `env:\n  DOPPLER_TOKEN: ${s}\n`),
    entry('Postman API key', 'postman.env', `PMAK-${pick(HEX, 24)}-${pick(HEX, 34)}`, (s) => `POSTMAN_API_KEY=${s}\n`),
    entry(
      'Telegram bot token',
      'bot.py',
      `${7000000000 + Math.floor(next() * 999999999)}:AA${pick(B64URL, 33)}`,
      (s) => `bot = telebot.TeleBot("${s}")\n`,
    ),
    entry(
      'Docker registry credentials',
      'config.json',
      Buffer.from(`deploy:${pick(ALNUM, 20)}`).toString('base64'),
      (s) => `{\n  "auths": {\n    "registry.acme.dev": {\n      "auth": "${s}"\n    }\n  }\n}\n`,
    ),
    entry('Kubernetes Secret data', 'db-secret.yaml', Buffer.from(pick(ALNUM, 18)).toString('base64'), (s) =>
      kubernetesSecret(s),
    ),
    entry(
      'Kubernetes Secret data',
      'bundle.yaml',
      Buffer.from(`postgres://app:${pick(ALNUM, 16)}@db/app`).toString('base64'),
      (s) =>
        kubernetesSecret(
          s,
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  mode: production\n---\n',
        ).replace(' # rotated monthly', ''),
    ),
  ]
}

/** Secrets secretlint's preset (and wf's short private key rule) already caught; the corpus keeps them caught. */
export function knownSecrets(): CorpusEntry[] {
  const ec = pem('ec')
  return [
    entry(
      'AWS access key id',
      'credentials',
      `AKIA${pick(`${UPPER}234567`, 16)}`,
      (s) => `[default]\naws_access_key_id = ${s}\n`,
    ),
    entry('AWS secret access key', 'aws.env', pick(B64, 40), (s) => `AWS_SECRET_ACCESS_KEY=${s}\n`),
    entry('GitHub personal access token', 'release.sh', githubToken('ghp'), (s) => `export GITHUB_TOKEN=${s}\n`),
    entry('GitHub OAuth token', 'hosts.yml', githubToken('gho'), (s) => `github.com:\n  oauth_token: ${s}\n`),
    entry(
      'GitHub refresh token, 40 characters',
      'refresh.json',
      githubToken('ghr'),
      (s) => `{"refresh_token": "${s}"}\n`,
    ),
    entry('GitHub app token', 'app.env', githubToken('ghs'), (s) => `INSTALLATION_TOKEN=${s}\n`),
    entry(
      'GitHub fine-grained token',
      'gh.env',
      `github_pat_11${pick(UPPER + DIGITS, 20)}_${pick(ALNUM, 59)}`,
      (s) => `GH_TOKEN=${s}\n`,
    ),
    entry('GitLab personal access token', 'glab.yml', `glpat-${pick(B64URL, 20)}`, (s) => `token: ${s}\n`),
    entry('npm token', '.npmrc', `npm_${pick(ALNUM, 36)}`, (s) => `//registry.npmjs.org/:_authToken=${s}\n`),
    entry(
      'Slack bot token',
      'slack.js',
      `xoxb-${pick(DIGITS, 12)}-${pick(DIGITS, 13)}-${pick(ALNUM, 24)}`,
      (s) => `const token = '${s}'\n`,
    ),
    entry(
      'Slack webhook',
      'alert.sh',
      `https://hooks.slack.com/services/T${pick(UPPER + DIGITS, 10)}/B${pick(UPPER + DIGITS, 10)}/${pick(ALNUM, 24)}`,
      (s) => `curl -X POST ${s} -d '{}'\n`,
    ),
    entry(
      'basic auth in a URL',
      'Makefile',
      pick(ALNUM, 16),
      (s) => `deploy:\n\tcurl -T dist.tgz https://deployer:${s}@artifacts.acme.dev/upload\n`,
    ),
    entry(
      'PostgreSQL URL',
      'database.yml',
      pick(ALNUM, 18),
      (s) => `production:\n  url: postgres://app:${s}@db.acme.internal:5432/app\n`,
    ),
    entry(
      'MongoDB URL',
      'mongo.env',
      pick(ALNUM, 18),
      (s) => `MONGO_URL=mongodb+srv://app:${s}@cluster0.abcde.mongodb.net/app\n`,
    ),
    entry(
      'MySQL URL',
      'db.properties',
      pick(ALNUM, 18),
      (s) => `spring.datasource.url=mysql://root:${s}@mysql:3306/shop\n`,
    ),
    entry(
      'OpenAI key',
      'openai.py',
      `sk-proj-${pick(B64URL, 74)}T3BlbkFJ${pick(B64URL, 74)}`,
      (s) => `client = OpenAI(api_key="${s}")\n`,
    ),
    entry('Anthropic key', 'claude.ts', `sk-ant-api03-${pick(B64URL, 93)}AA`, (s) => `const key = "${s}"\n`),
    entry('SendGrid key', 'mail.js', `SG.${pick(ALNUM, 22)}.${pick(ALNUM, 43)}`, (s) => `sgMail.setApiKey('${s}')\n`),
    entry('Shopify token', 'shop.env', `shpat_${pick(HEX, 32)}`, (s) => `SHOPIFY_TOKEN=${s}\n`),
    entry('Vault token', 'vault.env', `hvs.${pick(B64URL, 95)}`, (s) => `VAULT_TOKEN=${s}\n`),
    entry('Hugging Face token', 'hf.py', `hf_${pick(UPPER + LOWER, 34)}`, (s) => `login(token="${s}")\n`),
    entry('Databricks token', 'databricks.cfg', `dapi${pick(HEX, 32)}`, (s) => `[DEFAULT]\ntoken = ${s}\n`),
    entry(
      'Grafana service account token',
      'grafana.env',
      `glsa_${pick(ALNUM, 32)}_${pick(HEX, 8)}`,
      (s) => `GRAFANA_TOKEN=${s}\n`,
    ),
    entry('Docker Hub token', 'docker.env', `dckr_pat_${pick(B64URL, 27)}`, (s) => `DOCKERHUB_TOKEN=${s}\n`),
    entry('Linear key', 'linear.env', `lin_api_${pick(ALNUM, 40)}`, (s) => `LINEAR_API_KEY=${s}\n`),
    entry('RSA private key', 'id_rsa', pem('rsa'), (s) => s),
    entry('EC private key', 'tls.key', ec, (s) => s),
    entry('Ed25519 private key', 'signing.pem', pem('ed25519'), (s) => s),
    entry('OpenSSH private key', 'id_ed25519', openSshKey(), (s) => s),
  ]
}

/** Texts shaped like secrets that are not: none may be reported. */
export function lookAlikes(): LookAlike[] {
  const like = (what: string, file: string, text: string): LookAlike => ({ what, file, text })
  const sha256 = pick(HEX, 64)
  return [
    like(
      'Stripe placeholder',
      'billing.md',
      'Set `STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx` in production.\n',
    ),
    like(
      'Stripe key named in prose',
      'stripe.md',
      'Live keys start with sk_live_ and restricted keys with rk_live_.\n',
    ),
    like('Stripe publishable key', 'checkout.js', `Stripe('pk_live_${pick(ALNUM, 24)}')\n`),
    like('Stripe test key', 'stripe.test.ts', `const key = 'sk_test_${pick(ALNUM, 24)}'\n`),
    like('Google key placeholder', 'maps.md', 'key=AIzaEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPL\n'),
    like('Google key masked', 'firebase.json', '{"apiKey": "AIzaSyXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"}\n'),
    like('Google key made of a sequence', 'fixture.txt', 'AIza0123456789ABCDEFGHIJKLMNOPQRSTUVWXY\n'),
    like(
      'Google OAuth client id',
      'oauth.json',
      `{"client_id": "${pick(DIGITS, 12)}-${pick(LOWER + DIGITS, 32)}.apps.googleusercontent.com"}\n`,
    ),
    like(
      'proxy URL with a stand-in password',
      'docs/advanced.rst',
      '    $ export HTTPS_PROXY="http://user:pass@10.10.1.10:1080"\n    >>> proxies = {"http": "http://user:password@10.10.1.10:3128/"}\n',
    ),
    like('Heroku app id (a uuid, not a key)', 'app.json', `HEROKU_APP_ID=${uuid()}\n`),
    like(
      'uuid next to an API key name elsewhere',
      'heroku.env',
      `HEROKU_API_KEY=\${HEROKU_API_KEY}\nHEROKU_APP_ID=${uuid()}\n`,
    ),
    like('Heroku OAuth client id (a uuid, not a secret)', 'oauth.env', `HEROKU_OAUTH_ID=${uuid()}\n`),
    like('request ids', 'log.txt', `request ${uuid()} took 12 ms\ntrace ${uuid()}\n`),
    like('sha256 sums', 'SHA256SUMS', `${sha256}  wf-linux-x64.tar.gz\n${pick(HEX, 64)}  wf-darwin-arm64.tar.gz\n`),
    like('pinned action', 'ci.yml', `steps:\n  - uses: actions/checkout@${pick(HEX, 40)}\n`),
    like('md5 after a key- prefix, Mailgun not named', 'cache.json', `{"entry": "key-${pick(HEX, 32)}"}\n`),
    like('Mailgun placeholder', 'mail.md', 'MAILGUN_API_KEY=key-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n'),
    like(
      'Twilio account SID alone',
      'twilio.env',
      `TWILIO_ACCOUNT_SID=AC${pick(HEX, 32)}\nTWILIO_AUTH_TOKEN=\${TWILIO_AUTH_TOKEN}\n`,
    ),
    like('Twilio API key placeholder', 'sms.md', 'API key SIDs look like SKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.\n'),
    like('npm integrity', 'package-lock.json', `{"integrity": "sha512-${b64(64)}"}\n`),
    like(
      'base64 of a banner',
      'banner.txt',
      `banner=${Buffer.from('Welcome to the Acme customer portal. Please sign in.').toString('base64')}\n`,
    ),
    like('image data URL', 'logo.css', `.logo { background: url(data:image/png;base64,${b64(120)}); }\n`),
    like(
      'Azurite development key (documented)',
      'local.settings.json',
      '{"AzureWebJobsStorage": "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;"}\n',
    ),
    like(
      'Azure connection string with a variable',
      'azure.env',
      'AZURE=DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${AZURE_KEY};EndpointSuffix=core.windows.net\n',
    ),
    like('Azure AD secret placeholder', 'azure.tfvars', 'client_secret = "<your-client-secret>"\n'),
    like(
      'jwt.io sample token (documented)',
      'auth.md',
      'Try eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c on jwt.io\n',
    ),
    like(
      'unsigned JWT (alg none)',
      'token.txt',
      `${json64({ alg: 'none' })}.${json64({ sub: 'x' })}.${pick(B64URL, 20)}\n`,
    ),
    like(
      'JWT of a library README, with no claim',
      'README.rst',
      `>>> print(encoded)\n${json64({ alg: 'HS256', typ: 'JWT' })}.${json64({ some: 'payload' })}.${pick(B64URL, 43)}\n`,
    ),
    like('eyJ text that is no JWT', 'data.txt', `eyJ${pick(ALNUM, 20)}.eyJ${pick(ALNUM, 20)}.${pick(ALNUM, 20)}\n`),
    like('Redis URL without a password', 'redis.env', 'REDIS_URL=redis://localhost:6379/0\n'),
    like(
      'Redis URL with a variable',
      'compose.yml',
      'environment:\n  REDIS_URL: redis://:${REDIS_PASSWORD}@redis:6379\n',
    ),
    like(
      'Redis URL with a spelled-out password',
      'redis.md',
      'Connect with `redis://user:<password>@host:6379` or redis://:password@localhost:6379.\n',
    ),
    like('GitHub refresh token placeholder', 'gh.md', `ghr_${'x'.repeat(76)}\n`),
    like('GitLab runner token placeholder', 'runner.md', 'token = "glrt-REPLACE_WITH_YOUR_TOKEN"\n'),
    like('DigitalOcean token placeholder', 'do.md', `DIGITALOCEAN_TOKEN=dop_v1_${'0'.repeat(64)}\n`),
    like('age key with a wrong checksum', 'age.txt', `AGE-SECRET-KEY-1${pick(BECH32.toUpperCase(), 58)}\n`),
    like('age public key', 'recipients.txt', `age1${pick(BECH32, 58)}\n`),
    like('Doppler token placeholder', 'doppler.md', `DOPPLER_TOKEN=dp.pt.${'x'.repeat(43)}\n`),
    like('Postman key placeholder', 'postman.md', `PMAK-${'0'.repeat(24)}-${'0'.repeat(34)}\n`),
    like('Telegram docs sample', 'bot.md', 'Tokens look like 123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11.\n'),
    like('Telegram token placeholder', 'telegram.env', `TELEGRAM_TOKEN=123456789:AA${'A'.repeat(33)}\n`),
    like(
      'Docker config with a credential store',
      'docker-config.json',
      '{"auths": {"ghcr.io": {}}, "credsStore": "desktop"}\n',
    ),
    like(
      'Docker auth of a spelled-out password',
      'docker.json',
      `{"auths": {"r.io": {"auth": "${Buffer.from('user:password').toString('base64')}"}}}\n`,
    ),
    like(
      'Kubernetes Secret from a Helm template',
      'secret.yaml',
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n  password: {{ .Values.password | b64enc }}\n',
    ),
    like(
      'Kubernetes Secret with empty values',
      'empty-secret.yaml',
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n  password: ""\n  token: \n',
    ),
    like(
      'Kubernetes ConfigMap with base64 data',
      'configmap.yaml',
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  banner: ${Buffer.from('Hello from Acme').toString('base64')}\n`,
    ),
    like(
      'Kubernetes Secret of a placeholder',
      'example-secret.yaml',
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n  password: ${Buffer.from('changeme').toString('base64')}\n`,
    ),
    like('PyPI token placeholder', 'pypirc.md', `password = pypi-AgEIcHlwaS5vcmc${'x'.repeat(60)}\n`),
    like('Mailgun key in YAML without Mailgun named', 'smtp.yml', `smtp:\n  relay_key: key-${pick(HEX, 32)}\n`),
    like('Google key of a test fixture', 'maps.test.ts', "const key = 'AIzaSyFAKE-test-fixture-key-0123456789a'\n"),
    like('DigitalOcean token of a test fixture', 'do.test.ts', `const token = 'dop_v1_fake${pick(HEX, 60)}'\n`),
    like('PyPI token prefix only', 'pypi.md', 'PyPI tokens start with pypi-AgEIcHlwaS5vcmc and are long.\n'),
    like('times and versions', 'notes.txt', 'Released 12:34:56 as v1.2.3; build 20260102:AAB.\n'),
  ]
}
