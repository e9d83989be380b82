import { gitRepo } from './helpers.js'

/** A plan whose one phase, `gov`, has a gate of each kind of fix: a template, a command and a manual one. */
export const FIX_PLAN = `version: 1
phases:
  - id: gov
    gates:
      - name: security policy
        files-exist: [SECURITY.md]
        fix: { template: builtin:security-policy, to: SECURITY.md, vars: { contact: sec@acme.dev } }
      - name: notes
        files-exist: [NOTES.txt]
        fix: { run: "echo noted > NOTES.txt" }
      - name: pinned
        files-exist: [PINNED]
        fix: { manual: "pinning needs the tag's commit: look it up and pin it by hand" }
`

/** A committed git repository holding FIX_PLAN (and `files`), with .wf/ ignored. */
export const fixRepo = (files: Record<string, string> = {}) =>
  gitRepo({ 'phases/gov.yaml': FIX_PLAN, '.gitignore': '.wf/\n', ...files })
