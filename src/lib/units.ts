/** A duration: milliseconds, or a number with a unit (`90s`, `10m`). */
export type Duration = number | string
/** A size: bytes, or a number with a unit (`64kb`, `1mb`). */
export type Size = number | string

const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }
const SIZE_BYTES: Record<string, number> = {
  B: 1,
  KB: 1000,
  MB: 1000 ** 2,
  GB: 1000 ** 3,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
}

/** Milliseconds of a plan duration (`500ms`, `30s`, `10m`, `1h`, or seconds as a number). */
export function parseDuration(value: Duration): number {
  if (typeof value === 'number') return value * 1000
  const match = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)$/.exec(value)
  if (!match) throw new Error(`invalid duration ${value}`)
  return Number(match[1]) * DURATION_MS[match[2]!]!
}

/** Bytes of a plan size (`500KB`, `5MB`, `1GiB`, or bytes as a number). */
export function parseSize(value: Size): number {
  if (typeof value === 'number') return value
  const match = /^([0-9]+(?:\.[0-9]+)?)\s*(B|KB|MB|GB|KiB|MiB|GiB)$/.exec(value)
  if (!match) throw new Error(`invalid size ${value}`)
  return Number(match[1]) * SIZE_BYTES[match[2]!]!
}

/** A short human duration: `850ms`, `4.2s`, `3m 05s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`
  const minutes = Math.floor(ms / 60_000)
  return `${minutes}m ${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`
}
