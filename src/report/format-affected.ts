import type { Affected } from '../engine/affected-phases.js'

/** One line: the ref and merge base `--affected` compared with, and how many files changed. */
export function affectedHeadline(affected: Affected): string {
  const count = affected.files.length
  return `Affected since ${affected.since} (merge base ${affected.base.slice(0, 12)}), ${count} changed ${count === 1 ? 'file' : 'files'}`
}

/** What `--affected` found, as lines: the headline, then each phase with why (or that none is affected). */
export function formatAffected(affected: Affected): string {
  if (affected.phases.length === 0) return `${affectedHeadline(affected)}: no phase is affected.\n`
  return `${affectedHeadline(affected)}:\n${affected.phases.map((p) => `  ${p.id}: ${p.reason}\n`).join('')}`
}
