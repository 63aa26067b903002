import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { classifyResponse, isPrivateAddress, signature, slackPayload } from './webhook-format.js'

describe('classifyResponse', () => {
  it.each([
    [200, 'sent'],
    [204, 'sent'],
    [null, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [503, 'retry'],
    [400, 'fail'],
    [404, 'fail'],
    [301, 'fail'],
  ] as const)('when the status is %s, then %s', (status, verdict) => {
    expect(classifyResponse(status)).toBe(verdict)
  })
})

describe('signature', () => {
  it('when signing, then it is sha256=<hex HMAC of "<ts>.<body>">', () => {
    const hex = createHmac('sha256', 'k').update('1700000000.{"a":1}').digest('hex')
    expect(signature('k', 1_700_000_000, '{"a":1}')).toBe(`sha256=${hex}`)
  })
})

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '::1',
    '[::1]',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    'localhost',
    '0.0.0.0',
  ])('when the host is %s, then it is private', (host) => expect(isPrivateAddress(host)).toBe(true))
  it.each(['8.8.8.8', '172.32.0.1', '2001:4860::8888', 'hooks.slack.com'])(
    'when the host is %s, then it is not',
    (host) => expect(isPrivateAddress(host)).toBe(false),
  )
})

describe('slackPayload', () => {
  it('when formatting, then scalar snapshot facts are listed and tests are marked', () => {
    const alert = {
      alert_id: 'a',
      rule_id: 'r',
      rule_name: 'Budget',
      condition_type: 'cost_threshold' as const,
      project_id: null,
      subject: 'rule',
      fired_at: '2026-02-15T10:00:00.000Z',
      condition_snapshot: { total_cost_usd: 12.5, threshold_usd: 10, nested: { x: 1 } },
      actions_taken: [],
      related_agent_id: 'bot',
      related_task_id: null,
      resolved_at: null,
    }
    expect(slackPayload(alert, true).text).toBe(
      '[TEST] :rotating_light: *Budget* (cost_threshold) agent bot\ntotal_cost_usd=12.5, threshold_usd=10',
    )
  })
})
