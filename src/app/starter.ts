/** The files `wf init` writes: a working governance plan with its templates and a contract. */
export function starterFiles(facts: { project: string; schemaRef?: string }): Record<string, string> {
  const modeline = facts.schemaRef ? `# yaml-language-server: $schema=${facts.schemaRef}\n` : ''
  return {
    'phases/governance.yaml': `${modeline}${governancePlan(facts.project)}`,
    'templates/SECURITY.md.njk': SECURITY_TEMPLATE,
    'templates/CODEOWNERS.njk': CODEOWNERS_TEMPLATE,
    'contracts/event.schema.json': `${JSON.stringify(EVENT_SCHEMA, null, 2)}\n`,
  }
}

function governancePlan(project: string): string {
  return `# Governance plan for ${project}.
# \`wf list\` shows the phases, \`wf run\` runs them, \`wf status --detailed\` shows what passed.
version: 1
vars:
  project: ${project}
  security_contact: security@example.com   # where vulnerability reports go
  owners: "@${project}-maintainers"   # default code owners

phases:
  - id: baseline
    name: Repository baseline
    description: The repository is in a state worth governing.
    gates:
      - name: readme
        files-exist: ["README*"]
      - name: no large files
        git: { max_file_size: 5MB }
      - name: no committed key material or env files
        files-absent:
          paths: ["**/*.pem", "**/*.key", "**/.env"]
          exclude: ["**/test/**", "**/tests/**", "**/fixtures/**", "**/__fixtures__/**"]

  - id: governance-files
    name: Governance files
    description: The files every maintained repository carries, generated from templates/.
    needs: [baseline]
    tasks:
      - template: templates/SECURITY.md.njk
        to: SECURITY.md
      - template: templates/CODEOWNERS.njk
        to: .github/CODEOWNERS
    gates:
      - files-exist: [SECURITY.md, .github/CODEOWNERS]
      - name: security policy says how to report
        file-contains: { in: SECURITY.md, text: "Reporting a vulnerability" }

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

  - id: quality
    name: Quality gates
    description: Nothing secret and no debugging leftovers are committed.
    needs: [governance-files, contracts]
    gates:
      - name: no secrets
        forbid: { patterns: [secrets] }
      - name: no debugging leftovers
        file-contains: { in: "src/**/*.{js,ts}", regex: '^\\s*debugger;?\\s*$', flags: m, count: 0, missing_ok: true }
`
}

const SECURITY_TEMPLATE = `# Security policy

## Supported versions

Security fixes are made on the latest release of {{ project }}. Older releases receive fixes
only when the issue is critical and an upgrade is not possible.

## Reporting a vulnerability

Please do **not** open a public issue for a security problem. Write to
**{{ security_contact }}** with:

- a description of the problem and its impact,
- the steps or a proof of concept that reproduce it,
- the versions affected, if you know them.

You will receive an acknowledgement within three working days and a plan for a fix within
ten. We will credit you in the release notes unless you ask us not to.
`

const CODEOWNERS_TEMPLATE = `# Code owners of {{ project }}: they are asked to review every pull request that touches
# the paths below. The last matching pattern wins.
*                 {{ owners }}
/phases/          {{ owners }}
/.github/         {{ owners }}
/contracts/       {{ owners }}
`

const EVENT_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'event.schema.json',
  title: 'Event',
  description: 'Something that happened, as published to other services.',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'type', 'occurredAt'],
  properties: {
    id: { type: 'string', description: 'A unique id (UUID).' },
    type: { type: 'string', description: 'What happened, e.g. `order.created`.' },
    occurredAt: { type: 'string', format: 'date-time' },
    data: { type: 'object', description: 'Event-specific payload.' },
  },
  examples: [{ id: '3f0c2b0e-8d2a-4c59-9a4e-2d7b1f6f8c11', type: 'order.created', occurredAt: '2026-01-01T12:00:00Z' }],
}
