import { ZodError } from 'zod'
import { describe, expect, it } from 'vitest'
import { parseRuleInput } from './rule-schema.js'
import { costWindowStart } from './window-conditions.js'

describe('parseRuleInput', () => {
  it('when aliases are used, then the canonical name is stored with its defaults', () => {
    expect(
      parseRuleInput({ name: 'x', condition_type: 'heartbeat_missing', condition_config: { agent_id: 'a' } }),
    ).toMatchObject({
      condition_type: 'heartbeat_lost',
      condition_config: { agent_id: 'a', window_seconds: 300 },
    })
  })

  it('when unknown config fields are sent, then they are dropped', () => {
    const rule = parseRuleInput({ name: 'x', condition_type: 'task_failed', condition_config: { junk: 1 } })
    expect(rule.condition_config).toEqual({ task_type: null })
  })

  it('when more than 5 actions are given, then it is refused', () => {
    const actions = Array.from({ length: 6 }, () => ({ type: 'email', to: 'a@b.co' }))
    expect(() => parseRuleInput({ name: 'x', condition_type: 'task_failed', actions })).toThrow(ZodError)
  })
})

describe('costWindowStart', () => {
  const now = Date.parse('2026-02-15T10:30:00Z')
  it.each([
    ['rolling', 24, '2026-02-14T10:30:00.000Z'],
    ['rolling', 1, '2026-02-15T09:30:00.000Z'],
    ['calendar_day', 24, '2026-02-15T00:00:00.000Z'],
    ['calendar_month', 24, '2026-02-01T00:00:00.000Z'],
  ] as const)('when the period is %s (%s h), then the window starts at %s', (period, hours, start) => {
    expect(new Date(costWindowStart(period, hours, now)).toISOString()).toBe(start)
  })
})
