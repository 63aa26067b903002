import { describe, expect, it } from 'vitest'
import { mapLimit } from '../src/lib/map-limit.js'

describe('mapLimit (D43: per-project costs, 4 at a time)', () => {
  it('never has more than the limit in flight and keeps the input order', async () => {
    let inFlight = 0
    let most = 0
    const gates: (() => void)[] = []
    const run = mapLimit([1, 2, 3, 4, 5, 6, 7, 8, 9], 4, async (n) => {
      inFlight++
      most = Math.max(most, inFlight)
      await new Promise<void>((resolve) => gates.push(resolve))
      inFlight--
      return n * 10
    })
    // Release in reverse order of arrival, a few at a time, until all are done.
    while (gates.length > 0 || inFlight > 0) {
      await new Promise((r) => setTimeout(r, 0))
      gates
        .splice(0)
        .reverse()
        .forEach((g) => g())
    }
    expect(await run).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90])
    expect(most).toBe(4)
  })

  it('handles no items and rejects when one call fails', async () => {
    expect(await mapLimit([], 4, () => Promise.resolve(1))).toEqual([])
    await expect(
      mapLimit([1, 2], 4, (n) => (n === 2 ? Promise.reject(new Error('boom')) : Promise.resolve(n))),
    ).rejects.toThrow('boom')
  })
})
