export const SHA = 'b4ffde65f46336ab88eb53be808477a3936bae11'
const DIGEST = `sha256:${'c'.repeat(64)}`

/** A repository whose workflows do the right thing in the ways real projects do: per-job permissions, a labeler on pull_request_target, a release job with write scopes. */
export const HEALTHY_WORKFLOWS: Record<string, string> = {
  '.github/workflows/ci.yml': `name: ci
on:
  push:
    branches: [main]
  pull_request:
  merge_group:
jobs:
  test:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@${SHA} # v4
      - uses: ./.github/actions/setup
      - run: |
          npm ci
          npm test -- --reporter "\${{ matrix.reporter || 'default' }}"
  codeql:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write
    steps:
      - uses: actions/checkout@${SHA} # v4
      - uses: github/codeql-action/init@${SHA} # v3
        with:
          languages: javascript
      - uses: github/codeql-action/analyze@${SHA} # v3
`,
  '.github/workflows/label.yaml': `name: label
on:
  pull_request_target:
    types: [opened, edited]
permissions: {}
jobs:
  label:
    runs-on: ubuntu-latest
    permissions:
      pull-requests: write
    steps:
      - uses: actions/checkout@${SHA} # the base branch, not the pull request
      - name: label by title
        env:
          TITLE: \${{ github.event.pull_request.title }}
        run: echo "$TITLE" | ./scripts/label.sh
      - uses: docker://ghcr.io/acme/labeler@${DIGEST}
`,
  '.github/workflows/release.yml': `name: release
on:
  release:
    types: [published]
permissions:
  contents: read
jobs:
  publish:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      id-token: write
    steps:
      - uses: actions/checkout@${SHA}
      - uses: actions/setup-node@${SHA}
        with:
          node-version: 20
          registry-url: https://registry.npmjs.org
      - run: npm publish --provenance
        env:
          NODE_AUTH_TOKEN: \${{ secrets.NPM_TOKEN }}
  docs:
    uses: ./.github/workflows/docs.yml
`,
}
