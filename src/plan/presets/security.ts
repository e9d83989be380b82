import { FIXES } from './fixes.js'
import type { Preset } from './preset.js'

// Where GitHub and Scorecard look for a security policy; names match in any case.
const POLICY = '{,.github/,docs/}SECURITY{.md,.markdown,.rst,.adoc,.txt}'
const FIXTURES = '**/{test,tests,__tests__,fixtures,__fixtures__,testdata,spec,e2e,playground,examples}/**'
const KEY_FILES: [string, string] = ['**/*.{key,ppk}', '**/id_{rsa,dsa,ecdsa,ed25519}']

/** Security policy presets: how vulnerabilities are reported, and what must never be committed. */
export const SECURITY_PRESETS: Record<string, Preset> = {
  'security-policy': {
    name: 'Security policy',
    category: 'security',
    tags: ['security', 'scorecard', 'vulnerability', 'disclosure'],
    description:
      "A reporter who finds a vulnerability needs to know where to send it privately and what happens next. Like OpenSSF Scorecard's Security-Policy check, the policy must exist AND carry content: a contact (an email, a link, or GitHub's private vulnerability reporting named in words) and disclosure text; an empty or boilerplate file fails. wf differs in that it reads only the repository (Scorecard also accepts a policy in the organisation's .github repository), requires both parts instead of scoring them, and counts a pointer to GitHub's private vulnerability reporting as a contact (Scorecard wants a URL or an email).",
    gates: [
      {
        name: 'security policy exists',
        'files-exist': POLICY,
        fix: FIXES.securityPolicy,
        hint: 'add SECURITY.md (or .github/SECURITY.md) saying how to report a vulnerability privately (built-in template `builtin:security-policy`)',
      },
      {
        name: 'security policy names a contact',
        'file-contains': {
          in: POLICY,
          regex: String.raw`https?://[^\s)>\]]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|private\s+vulnerability\s+reporting|security\s+advisor|security\s+tab\b`,
          flags: 'i',
          missing_ok: true,
        },
        fix: FIXES.securityContact,
        hint: 'name where to report privately: a security email address, or GitHub private vulnerability reporting (link https://github.com/OWNER/REPO/security/advisories/new)',
      },
      {
        name: 'security policy explains disclosure',
        // An empty policy is reported once, by the contact gate above.
        'file-contains': { in: POLICY, regex: String.raw`vulnerab|disclos|^\s*$`, flags: 'i', missing_ok: true },
        fix: FIXES.securityDisclosure,
        hint: 'say how a vulnerability is reported and disclosed: what to include, how fast you answer, when a fix is published',
      },
    ],
  },
  secrets: {
    name: 'No committed secrets',
    category: 'security',
    tags: ['security', 'secrets', 'credentials', 'keys', 'dotenv'],
    description:
      'A credential in a repository is public to everyone who can clone it, forever (it stays in history). Scans every file git does not ignore with the built-in secret detectors, and refuses private key files, keystores and the .env files that hold the values of one machine (`.env`, `.env.local`, `.env.*.local`) unless git ignores them (keystores, binary, are refused wherever they are). Test fixtures (test/, fixtures/, testdata/, playground/…) may hold them. Mode files that Vite and Next.js mean to be committed (`.env.development`, `.env.production`) and examples (`.env.example`) pass, their contents scanned like every file; private keys in .pem files are found by content, so public certificates pass.',
    gates: [
      {
        name: 'no secrets in files',
        // Key files are reported once, by the key-file gate below.
        forbid: { patterns: ['secrets'], exclude: KEY_FILES },
        fix: FIXES.secrets,
        hint: 'remove the credential and revoke it (it is in git history); mark a known false positive with a `wf-allow-secret` comment on its line, or list test fixtures in .secretlintignore',
      },
      {
        name: 'no private key files',
        // forbid reads only files git does not ignore: Rails keeps config/master.key beside the code, ignored.
        forbid: {
          patterns: [String.raw`\A\s*\S`],
          in: KEY_FILES,
          exclude: FIXTURES,
        },
        fix: FIXES.secrets,
        hint: 'delete the key file, revoke the key, and keep keys in a secret store (CI secrets, a vault); add the pattern to .gitignore',
      },
      {
        name: 'no keystores',
        'files-absent': { paths: '**/*.{p12,pfx,jks,keystore}', exclude: FIXTURES },
        fix: FIXES.secrets,
        hint: 'delete the keystore, revoke the keys in it, and keep it in a secret store (CI secrets, a vault), outside the repository',
      },
      {
        name: 'no .env files',
        // forbid, not files-absent: it reads only files git does not ignore, so a developer's ignored .env passes.
        forbid: {
          patterns: [String.raw`^[ \t]*(?:export[ \t]+)?[A-Za-z_][A-Za-z0-9_]*[ \t]*=`],
          in: ['**/.env', '**/.env.local', '**/.env.*.local'],
          exclude: FIXTURES,
        },
        fix: FIXES.secrets,
        hint: 'delete the file (revoke what it held), add `.env` and `*.local` to .gitignore, and commit a `.env.example` with placeholder values instead',
      },
    ],
  },
}
