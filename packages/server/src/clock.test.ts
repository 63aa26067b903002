import { describe, expect, it } from 'vitest'
import { iso } from './clock.js'

describe('iso (api.md §1.6)', () => {
  it('when instants repeat and the cache fills and empties, then every string equals toISOString', () => {
    const base = Date.parse('2026-02-15T10:00:00.000Z')
    for (let round = 0; round < 2; round++) {
      // more distinct instants than the cache holds, so it is emptied at least once per round
      for (let i = 0; i < 70_000; i++) expect(iso(base + i * 997)).toBe(new Date(base + i * 997).toISOString())
    }
    expect(iso(0)).toBe('1970-01-01T00:00:00.000Z')
  })

  it('when the instant is not a valid time, then it throws as Date does and caches nothing', () => {
    expect(() => iso(Number.NaN)).toThrow(RangeError)
    expect(() => iso(Number.NaN)).toThrow(RangeError)
  })
})
