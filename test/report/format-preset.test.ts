import { describe, expect, it } from 'vitest'
import { formatPreset } from '../../src/report/format-preset.js'
import { formatPresets, presetsMarkdown } from '../../src/report/format-presets.js'

describe('formatPreset', () => {
  it('shows the condition, marks warnings, and indents the plan lines', () => {
    const text = formatPreset({
      id: 'node',
      name: 'Node.js',
      category: 'ecosystem',
      tags: ['node', 'npm'],
      description: 'Why it matters.',
      when: { language: 'node' },
      gates: [
        { name: 'lockfile', checks: 'files exist: package-lock.json', severity: 'error', hint: 'commit it' },
        { name: 'engines', checks: 'manifest (not available)', severity: 'warning', hint: 'pin it' },
      ],
      usage: 'version: 1\nphases:\n  - id: node\n    extends: builtin:node\n',
    })
    expect(text).toBe(
      [
        'node: Node.js',
        'category: Ecosystems (ecosystem)',
        'tags: node, npm',
        'when: {"language":"node"}',
        '',
        'Why it matters.',
        '',
        'checks (2):',
        '  - lockfile',
        '    checks: files exist: package-lock.json',
        '    hint: commit it',
        '  - engines (warning)',
        '    checks: manifest (not available)',
        '    hint: pin it',
        '',
        'use it in phases/wf.yaml:',
        '  version: 1',
        '  phases:',
        '    - id: node',
        '      extends: builtin:node',
      ].join('\n'),
    )
  })
})

describe('formatPresets and presetsMarkdown', () => {
  const rows = [
    { id: 'secrets', name: 'No secrets', category: 'security' as const, summary: 'Keys leak | forever.', checks: 1 },
    { id: 'community-health', name: 'Community', category: 'community' as const, summary: 'Files.', checks: 19 },
  ]

  it('groups in the order given (best match first) and counts checks', () => {
    expect(formatPresets(rows)).toBe(
      [
        'Security policy (security)',
        '  secrets           No secrets · 1 check',
        '                    Keys leak | forever.',
        '',
        'Community health (community)',
        '  community-health  Community · 19 checks',
        '                    Files.',
      ].join('\n'),
    )
  })

  it('orders the table by category and escapes pipes', () => {
    expect(presetsMarkdown(rows).split('\n').slice(2)).toEqual([
      '| `community-health` | Community health | 19 | Files. |',
      '| `secrets` | Security policy | 1 | Keys leak \\| forever. |',
    ])
  })
})
