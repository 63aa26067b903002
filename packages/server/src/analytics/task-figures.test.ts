import { describe, expect, it } from 'vitest'
import { average, percentile } from './task-figures.js'

describe('percentile', () => {
  it('when values are given, then the nearest rank is returned', () => {
    const v = [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]
    expect(percentile(v, 50)).toBe(500)
    expect(percentile(v, 95)).toBe(1000)
    expect(percentile([7], 95)).toBe(7)
    expect(percentile([], 50)).toBeNull()
  })

  it('when averaging, then the result is an integer or null', () => {
    expect(average([1, 2])).toBe(2)
    expect(average([])).toBeNull()
  })
})
