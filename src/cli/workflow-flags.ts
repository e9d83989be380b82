import * as Flags from '@oclif/core/flags'
import { DEFAULT_WORKFLOW_OPTIONS, type GithubWorkflowOptions } from '../generate/github-workflow.js'

/** Flags that shape the GitHub Actions workflow `wf ci github` writes; each defaults to the workflow's default. */
export const workflowFlags = {
  'wf-command': Flags.string({
    summary: 'How the jobs start wf after installing dependencies.',
    default: DEFAULT_WORKFLOW_OPTIONS.wfCommand,
    helpValue: 'COMMAND',
  }),
  install: Flags.string({
    summary: 'The command that installs dependencies in each job.',
    default: DEFAULT_WORKFLOW_OPTIONS.install,
    helpValue: 'COMMAND',
  }),
  'node-version': Flags.string({
    summary: 'The Node.js version actions/setup-node installs.',
    default: DEFAULT_WORKFLOW_OPTIONS.nodeVersion,
    helpValue: 'VERSION',
  }),
  'runs-on': Flags.string({
    summary: 'The runner label of every job.',
    default: DEFAULT_WORKFLOW_OPTIONS.runsOn,
    helpValue: 'LABEL',
  }),
  branch: Flags.string({
    summary: 'A branch whose pushes run the workflow (repeatable); pull requests always do.',
    multiple: true,
    default: DEFAULT_WORKFLOW_OPTIONS.branches,
    helpValue: 'NAME',
  }),
  'use-action': Flags.string({
    summary:
      "Run each phase through wf's GitHub Action (OWNER/REPO@REF, best pinned to a full commit SHA, or ./ in wf's own repository) instead of a run: step.",
    helpValue: 'REF',
  }),
}

/** The workflow options the workflow flags give. */
export function workflowOptions(flags: {
  'wf-command': string
  install: string
  'node-version': string
  'runs-on': string
  branch: string[]
  'use-action'?: string
}): GithubWorkflowOptions {
  return {
    wfCommand: flags['wf-command'],
    install: flags.install,
    nodeVersion: flags['node-version'],
    runsOn: flags['runs-on'],
    branches: flags.branch,
    ...(flags['use-action'] === undefined ? {} : { useAction: flags['use-action'] }),
  }
}
