import { FIXES } from './fixes.js'
import type { Preset, PresetGate } from './preset.js'

/** The workflow gates the GitHub Actions and supply-chain presets share, one per rule of the `workflow` gate. */
export const ACTIONS_GATES = {
  pinned: {
    name: 'workflow actions pinned to a commit',
    workflow: ['pinned-actions'],
    fix: FIXES.pinnedActions,
    hint: 'pin each `uses:` to a full 40-character commit SHA (keep the tag in a comment: `uses: actions/checkout@<sha> # v4`) and `docker://` images to `@sha256:` digests; Dependabot and Renovate keep such pins up to date',
  },
  permissions: {
    name: 'workflow token permissions',
    workflow: ['token-permissions'],
    fix: FIXES.workflowPermissions,
    hint: 'declare `permissions:` at the top of each workflow (`permissions: { contents: read }`) or on every job; never `write-all`; give write scopes (`contents: write`, `pull-requests: write`) to the jobs that need them',
  },
  triggers: {
    name: 'no untrusted checkout in privileged workflows',
    workflow: ['dangerous-triggers'],
    fix: FIXES.dangerousTriggers,
    hint: 'in a `pull_request_target` or `workflow_run` workflow, do not check out the pull request or run head; build untrusted code in a `pull_request` workflow and pass results on as artifacts',
  },
  injection: {
    name: 'no untrusted input expanded in scripts',
    workflow: ['script-injection'],
    fix: FIXES.scriptInjection,
    hint: 'pass the value through `env:` (`env: { TITLE: ${{ github.event.pull_request.title }} }`) and use `"$TITLE"` in the script',
  },
  remote: {
    name: 'no downloaded scripts piped into a shell in workflows',
    workflow: ['remote-scripts'],
    fix: FIXES.remoteScripts,
    hint: 'download to a file, verify its checksum or signature, then run it; or use a pinned action or a package manager with a lockfile',
  },
} satisfies Record<string, PresetGate>

/** GitHub Actions hygiene: workflows that cannot be turned against the repository. */
export const GITHUB_ACTIONS_PRESETS: Record<string, Preset> = {
  'actions-hygiene': {
    name: 'GitHub Actions hygiene',
    category: 'github-actions',
    tags: ['github-actions', 'workflows', 'security', 'scorecard'],
    description:
      "Workflows run with a token that can push code and publish releases: an action moved under its tag, an over-broad token, a checkout of a pull request's code in a privileged workflow or an issue title spliced into a shell script hands that token to an outsider. Checks every workflow, parsed, with OpenSSF Scorecard's Pinned-Dependencies (actions), Token-Permissions and Dangerous-Workflow rules; per-job permissions are enough (Scorecard also wants them at the top). `timeout-minutes` is not required: most healthy workflows rely on the default and it guards cost, not security.",
    gates: [
      ACTIONS_GATES.pinned,
      ACTIONS_GATES.permissions,
      ACTIONS_GATES.triggers,
      ACTIONS_GATES.injection,
      ACTIONS_GATES.remote,
    ],
  },
}
