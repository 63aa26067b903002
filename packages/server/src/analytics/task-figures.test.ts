import { describe, expect, it } from 'vitest'
import { average, percentile, percentiles } from './task-figures.js'

describe('percentile', () => {
  it('when values are given, then the nearest rank is returned', () => {
    const v = [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]
    expect(percentile(v, 50)).toBe(500)
    expect(percentile(v, 95)).toBe(1000)
    expect(percentile([7], 95)).toBe(7)
    expect(percentile([], 50)).toBeNull()
  })

  it('when values are unsorted with duplicates, then it equals the nearest rank of the sorted values', () => {
    let seed = 42
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648
    for (const n of [1, 2, 3, 10, 101, 1000]) {
      const values = Array.from({ length: n }, () => Math.floor(random() * 50))
      const sorted = [...values].sort((a, b) => a - b)
      for (const p of [1, 50, 90, 95, 99, 100]) {
        expect(percentile(values, p)).toBe(sorted[Math.max(1, Math.ceil((p / 100) * n)) - 1])
      }
    }
  })

  it('when several percentiles share one scratch copy, then each equals its own nearest rank', () => {
    const values = [9, 1, 8, 2, 7, 3, 6, 4, 5, 5, 0]
    const sorted = [...values].sort((a, b) => a - b)
    const ps = [95, 1, 50, 100, 50]
    expect(percentiles(values, ps)).toEqual(ps.map((p) => sorted[Math.max(1, Math.ceil((p / 100) * 11)) - 1]))
    expect(values).toEqual([9, 1, 8, 2, 7, 3, 6, 4, 5, 5, 0])
  })

  it('when averaging, then the result is an integer or null', () => {
    expect(average([1, 2])).toBe(2)
    expect(average([])).toBeNull()
  })
})
