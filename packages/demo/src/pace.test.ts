import { describe, expect, it } from 'vitest'
import { Pace } from './pace.js'
import { stuckThresholdFor } from './stories/index.js'

describe('Pace', () => {
  it('when the speed is 10, then story time runs ten times faster', () => {
    expect(new Pace(10, new AbortController().signal).real(5000)).toBe(500)
  })

  it('when the fleet stops, then pending and later sleeps resolve at once', async () => {
    const controller = new AbortController()
    const pace = new Pace(1, controller.signal)
    const pending = pace.sleep(60_000)
    controller.abort()
    await pending
    await pace.sleep(60_000)
    expect(pace.stopped).toBe(true)
  })

  it('when scaling the stuck threshold, then it never goes below the 10 s minimum', () => {
    expect(stuckThresholdFor(1)).toBe(60)
    expect(stuckThresholdFor(4)).toBe(15)
    expect(stuckThresholdFor(100)).toBe(10)
  })
})
