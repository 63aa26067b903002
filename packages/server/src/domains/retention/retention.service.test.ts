import { describe, expect, it } from 'vitest'
import { alertHistoryDaysFor, retentionDaysFor } from './retention.service.js'

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

describe('alertHistoryDaysFor (E126)', () => {
  it('is rollup_retention_days, never below the tenant retention', () => {
    expect(alertHistoryDaysFor(7, 90)).toBe(90)
    expect(alertHistoryDaysFor(120, 90)).toBe(120)
  })
})
