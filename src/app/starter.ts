/** What `wf init` found in a repository and was told, which decides the plan it writes. */
export interface StarterFacts {
  project: string
  schemaRef?: string
  /** What was detected, for the plan's header: `Node (package.json)`. */
  found: string[]
  readme: boolean
  /** The repository's own security policy and code owners files, when it has them. */
  securityPolicy?: string
  codeowners?: string
  /** From `--security-contact` and `--owner`: never made up. */
  securityContact?: string
  owners?: string[]
  /** Built-in presets that fit the repository (each exists in BUILTIN_PHASES). */
  presets: string[]
  /** The repository has JSON Schemas in contracts/ and TypeScript to generate for them. */
  contracts: boolean
}

/** Marks a plan file as written by `wf init`: only such a file may be replaced with --force. */
export const STARTER_MARK = '# Written by `wf init`'

const yamlString = (value: string) => JSON.stringify(value)

/** The files `wf init` writes: a plan that fits the repository, and the templates it fills. */
export function starterFiles(facts: StarterFacts): Record<string, string> {
  const modeline = facts.schemaRef ? `# yaml-language-server: $schema=${facts.schemaRef}\n` : ''
  const files: Record<string, string> = { 'phases/governance.yaml': `${modeline}${governancePlan(facts)}` }
  if (writesSecurityPolicy(facts)) files['templates/SECURITY.md.njk'] = SECURITY_TEMPLATE
  return files
}

const writesSecurityPolicy = (facts: StarterFacts) => !facts.securityPolicy && facts.securityContact !== undefined
const writesCodeowners = (facts: StarterFacts) => !facts.codeowners && (facts.owners?.length ?? 0) > 0

function governancePlan(facts: StarterFacts): string {
  const vars = [`  project: ${yamlString(facts.project)}`]
  if (facts.securityContact)
    vars.push(`  security_contact: ${yamlString(facts.securityContact)}   # where vulnerability reports go`)
  if (facts.owners?.length) vars.push(`  owners: ${yamlString(facts.owners.join(' '))}   # default code owners`)
  const found = facts.found.length > 0 ? facts.found.join(', ') : 'no language manifest'
  const qualityNeeds = ['governance-files', ...(facts.contracts ? ['contracts'] : [])]
  return `${STARTER_MARK} for ${facts.project}, from what it found here: ${found}.
# \`wf list\` shows the phases, \`wf run\` runs them, \`wf presets\` lists more to extend.
# A gate with \`severity: warning\` names something missing that wf could not write for you.
version: 1
vars:
${vars.join('\n')}

phases:
  - id: baseline
    name: Repository baseline
    description: The repository is in a state worth governing.
    gates:
${readmeGate(facts)}
      - name: no large files
        git: { max_file_size: 5MB }
      - name: no committed key material or env files
        files-absent:
          paths: ["**/*.pem", "**/*.key", "**/.env"]
          exclude: ["**/test/**", "**/tests/**", "**/fixtures/**", "**/__fixtures__/**"]

  - id: governance-files
    name: Governance files
    description: How to report a vulnerability, and who reviews changes.
    needs: [baseline]
${governanceTasks(facts)}    gates:
${securityGates(facts)}
${codeownersGates(facts)}
${facts.presets.map(presetPhase).join('')}${facts.contracts ? CONTRACTS_PHASE : ''}
  - id: quality
    name: Quality gates
    description: Nothing secret and no debugging leftovers are committed.
    needs: [${qualityNeeds.join(', ')}]
    gates:
      - name: no secrets
        forbid: { patterns: [secrets] }
      - name: no debugging leftovers
        file-contains: { in: "src/**/*.{js,ts}", regex: '^\\s*debugger;?\\s*$', flags: m, count: 0, missing_ok: true }
`
}

function readmeGate(facts: StarterFacts): string {
  const gate = `      - name: readme
        files-exist: ["{README,README.md,README.rst,README.txt}"]`
  if (facts.readme) return gate
  return `${gate}
        severity: warning
        hint: add a README.md saying what the project is and how to use it`
}

function governanceTasks(facts: StarterFacts): string {
  const tasks: string[] = []
  if (writesSecurityPolicy(facts))
    tasks.push(`      - template: templates/SECURITY.md.njk
        to: SECURITY.md`)
  if (writesCodeowners(facts))
    tasks.push(`      - template: builtin:codeowners
        to: .github/CODEOWNERS`)
  return tasks.length > 0 ? `    tasks:\n${tasks.join('\n')}\n` : ''
}

function securityGates(facts: StarterFacts): string {
  const exists = `      - name: security policy
        files-exist: ["{SECURITY.md,.github/SECURITY.md,docs/SECURITY.md}"]`
  if (facts.securityPolicy) return exists
  if (writesSecurityPolicy(facts))
    return `${exists}
      - name: security policy says how to report
        file-contains: { in: SECURITY.md, text: "Reporting a vulnerability" }`
  return `${exists}
        severity: warning
        hint: "add SECURITY.md saying where to report a vulnerability privately: \`wf generate template builtin:security-policy --var contact=ADDRESS\` writes one; \`wf init --security-contact EMAIL|URL\` sets it up in a new plan"`
}

function codeownersGates(facts: StarterFacts): string {
  const exists = `      - name: code owners
        files-exist: ["{CODEOWNERS,.github/CODEOWNERS,docs/CODEOWNERS}"]`
  if (facts.codeowners || writesCodeowners(facts)) return exists
  return `${exists}
        severity: warning
        hint: "add .github/CODEOWNERS naming who reviews changes: \`wf generate template builtin:codeowners --var owners=@org/team\` writes one; \`wf init --owner @user|@org/team\` sets it up in a new plan"`
}

const presetPhase = (name: string) => `
  - id: ${name}
    extends: builtin:${name}
`

const CONTRACTS_PHASE = `
  - id: contracts
    name: Typed contracts
    description: TypeScript types generated from the JSON Schemas in contracts/.
    needs: [baseline]
    inputs: ["contracts/**/*.json"]
    tasks:
      - contracts: contracts
        out: src/generated/contracts
    gates:
      - name: generated code is current
        generated: true
`

const SECURITY_TEMPLATE = `# Security policy

## Supported versions

Security fixes are made on the latest release of {{ project }}.

## Reporting a vulnerability

Please do **not** open a public issue for a security problem. Report it privately
{% if '://' in security_contact %}at **{{ security_contact }}**{% else %}by email to **{{ security_contact }}**{% endif %}, with:

- a description of the problem and its impact,
- the steps or a proof of concept that reproduce it,
- the versions affected, if you know them.

We will acknowledge your report, keep you informed while we work on a fix, and credit you in
the release notes unless you ask us not to.
`
