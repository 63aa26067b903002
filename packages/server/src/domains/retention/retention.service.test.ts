import { describe, expect, it } from 'vitest'
import { retentionDaysFor } from './retention.service.js'

describe('retentionDaysFor', () => {
  it('when config is 0, then the plan decides, unknown plans get 7', () => {
    expect(retentionDaysFor('free', 0)).toBe(7)
    expect(retentionDaysFor('pro', 0)).toBe(30)
    expect(retentionDaysFor('enterprise', 0)).toBe(90)
    expect(retentionDaysFor('gold', 0)).toBe(7)
  })

  it('when config sets a number or a per-plan object, then it overrides', () => {
    expect(retentionDaysFor('free', 3)).toBe(3)
    expect(retentionDaysFor('pro', { pro: 60 })).toBe(60)
    expect(retentionDaysFor('free', { pro: 60 })).toBe(7)
  })
})
