import { describe, expect, it } from 'vitest'
import { bucketBounds, bucketCount, bucketStart, bucketStarts, decompose, HOUR_MS, MINUTE_MS } from './bucket-math.js'

const NOW = Date.parse('2026-02-15T10:07:30.500Z')

describe('bucket math', () => {
  it('when a timestamp is given, then bucketStart floors to the cell', () => {
    expect(bucketStart(NOW, HOUR_MS)).toBe(Date.parse('2026-02-15T10:00:00.000Z'))
    expect(bucketStart(NOW, 5 * MINUTE_MS)).toBe(Date.parse('2026-02-15T10:05:00.000Z'))
  })

  it('when the range is 1h/5m, then 12 buckets start at now − 1h, not clock-aligned', () => {
    const starts = bucketStarts(NOW, '1h', '5m')
    expect(starts).toHaveLength(12)
    expect(new Date(starts[0] as number).toISOString()).toBe('2026-02-15T09:07:30.500Z')
    expect(new Date(starts[11] as number).toISOString()).toBe('2026-02-15T10:02:30.500Z')
    const bounds = bucketBounds(NOW, '1h', '5m')
    expect(bounds[11]).toEqual([starts[11], NOW + 1])
  })

  it('when each default range is used, then the count is range ÷ interval', () => {
    expect(bucketCount('1h', '5m')).toBe(12)
    expect(bucketCount('6h', '15m')).toBe(24)
    expect(bucketCount('24h', '1h')).toBe(24)
    expect(bucketCount('7d', '6h')).toBe(28)
    expect(bucketCount('30d', '1d')).toBe(30)
    expect(bucketCount('1h', '1d')).toBeNull()
    expect(bucketCount('30d', '1m')).toBeNull()
    expect(bucketCount('24h', '1m')).toBe(1440)
  })

  it('when a window is decomposed, then pieces cover it exactly once', () => {
    const from = NOW - 3 * HOUR_MS
    const to = NOW + 1
    const pieces = decompose(from, to, [HOUR_MS, 5 * MINUTE_MS])
    expect(pieces[0]).toEqual({ sizeMs: 0, from, to: Date.parse('2026-02-15T07:10:00.000Z') })
    expect(pieces.map((p) => p.sizeMs)).toEqual([0, 5 * MINUTE_MS, HOUR_MS, 5 * MINUTE_MS, 0])
    for (let i = 1; i < pieces.length; i++) expect(pieces[i]?.from).toBe(pieces[i - 1]?.to)
    expect(pieces[pieces.length - 1]?.to).toBe(to)
  })

  it('when the window is inside one cell, then it is raw only', () => {
    expect(decompose(NOW, NOW + 1000, [HOUR_MS, 5 * MINUTE_MS])).toEqual([{ sizeMs: 0, from: NOW, to: NOW + 1000 }])
    expect(decompose(NOW, NOW, [HOUR_MS])).toEqual([])
  })
})
