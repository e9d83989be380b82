import type { Phase } from './plan.generated.js'

/** Phases a plan can reuse with `extends: builtin:NAME`. */
export const BUILTIN_PHASES: Record<string, Omit<Phase, 'id'>> = {
  governance: {
    name: 'Repository governance',
    description: 'Offline checks that a repository carries the files every maintained project needs.',
    gates: [
      { name: 'license', 'files-exist': ['LICENSE*'] },
      { name: 'security policy', 'files-exist': ['{SECURITY.md,.github/SECURITY.md,docs/SECURITY.md}'] },
      { name: 'code owners', 'files-exist': ['{CODEOWNERS,.github/CODEOWNERS,docs/CODEOWNERS}'] },
      { name: 'contributing guide', 'files-exist': ['{CONTRIBUTING.md,.github/CONTRIBUTING.md,docs/CONTRIBUTING.md}'] },
      { name: 'readme', 'files-exist': ['README*'] },
    ],
  },
}
