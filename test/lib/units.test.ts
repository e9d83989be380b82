import { describe, expect, it } from 'vitest'
import { formatDuration, parseDuration, parseSize } from '../../src/lib/units.js'

describe('units', () => {
  it.each([
    [1, 1000],
    ['500ms', 500],
    ['30s', 30_000],
    ['1.5m', 90_000],
    ['2h', 7_200_000],
  ] as const)('duration %s = %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms)
  })
  it.each([
    [10, 10],
    ['5MB', 5_000_000],
    ['1 KiB', 1024],
    ['2GiB', 2 * 1024 ** 3],
  ] as const)('size %s = %d bytes', (input, bytes) => {
    expect(parseSize(input)).toBe(bytes)
  })
  it.each([
    [850, '850ms'],
    [4200, '4.2s'],
    [185_000, '3m 05s'],
  ])('formats %d ms as %s', (ms, text) => expect(formatDuration(ms)).toBe(text))
})
