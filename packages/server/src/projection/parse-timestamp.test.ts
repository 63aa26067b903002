import { describe, expect, it } from 'vitest'
import { parseTimestamp } from './stored-event.js'

describe('parseTimestamp', () => {
  it('when given canonical timestamps, then it equals Date.parse', () => {
    for (let ms = Date.UTC(1999, 11, 31, 23, 59, 59, 999); ms < Date.UTC(2031, 0, 1); ms += 86_399_997 * 3 + 17) {
      const text = new Date(ms).toISOString()
      expect(parseTimestamp(text)).toBe(ms)
    }
  })

  it('when given anything else, then it answers what Date.parse answers', () => {
    for (const text of [
      '2026-02-30T10:00:00.000Z',
      '2026-13-01T10:00:00.000Z',
      '2026-01-01T24:00:00.000Z',
      '2026-01-01 10:00:00.000Z',
      '2026-01-01T10:00:00.000+01:00',
      '2026-01-01T1a:00:00.000Z',
      '2026-01-01T10:00:00Z',
      'not a date at all, 24 ch',
      '',
    ]) {
      expect(Object.is(parseTimestamp(text), Date.parse(text)), text).toBe(true)
    }
  })
})
