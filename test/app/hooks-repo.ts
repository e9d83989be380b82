import { gitRepo } from '../helpers.js'

const plan = `version: 1
phases:
  - id: hygiene
    gates:
      - forbid: { patterns: [secrets] }
      - files-exist: [README.md]
`
/** A git repository whose plan has one phase of file gates, as a pre-commit hook checks them. */
export const repo = () => gitRepo({ 'phases/p.yaml': plan, 'README.md': '# x\n' })
