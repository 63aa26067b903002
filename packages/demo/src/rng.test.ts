import { describe, expect, it } from 'vitest'
import { Rng } from './rng.js'

describe('Rng', () => {
  it('when seeded alike, then it replays the same sequence', () => {
    const a = Rng.derive(42, 'support-writer')
    const b = Rng.derive(42, 'support-writer')
    expect(Array.from({ length: 20 }, () => a.next())).toEqual(Array.from({ length: 20 }, () => b.next()))
  })

  it('when labels differ, then each story gets its own sequence', () => {
    expect(Rng.derive(42, 'web-crawler').next()).not.toBe(Rng.derive(42, 'etl-batcher').next())
  })

  it('when drawing, then values stay in their ranges', () => {
    const rng = new Rng(7)
    for (let i = 0; i < 1000; i++) {
      const n = rng.int(3, 5)
      expect(n >= 3 && n <= 5 && Number.isInteger(n)).toBe(true)
      const j = rng.jitter(1000, 0.2)
      expect(j >= 800 && j <= 1200).toBe(true)
    }
    expect(() => rng.pick([])).toThrow()
  })
})
