import type { CheckScope } from '../ledger/ledger.js'

/** How long before `now` (ms since the epoch) an ISO time was: `45s ago`, `2m ago`, `3h ago`, `5d ago`; `-` for none. */
export function ago(iso: string | undefined, now: number): string {
  if (!iso) return '-'
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000))
  if (s < 60) return `${s}s ago`
  if (s < 3600) return `${Math.round(s / 60)}m ago`
  if (s < 86400) return `${Math.round(s / 3600)}h ago`
  return `${Math.round(s / 86400)}d ago`
}

/** What a check looked at, in words: `whole tree`, `staged, 1 file`, `2 files named`. */
export function scopeText(scope: CheckScope | undefined): string {
  if (!scope) return 'scope not recorded'
  const files = `${scope.fileCount ?? 0} ${scope.fileCount === 1 ? 'file' : 'files'}`
  switch (scope.kind) {
    case 'full':
      return 'whole tree'
    case 'phases':
      return 'phases named, whole tree'
    case 'files':
      return `${files} named`
    case 'staged':
      return `staged, ${files}`
  }
}

/**
 * A phase's last check, to show beside its status: `passed (staged, 1 file) 2m ago`; `gates` (how
 * many it evaluated) adds `no gate applied` to a check that evaluated none.
 */
export function checkText(
  check: { status: string; scope?: CheckScope; endedAt?: string },
  now: number,
  gates?: number,
): string {
  const none = gates === 0 && check.status === 'passed' ? '; no gate applied' : ''
  return `${check.status} (${scopeText(check.scope)}${none})${check.endedAt ? ` ${ago(check.endedAt, now)}` : ''}`
}
