import { describe, expect, it } from 'vitest'
import { AppError } from '../../errors/app-error.js'
import type { AlertAction } from '../../storage/alert-records.js'
import { checkWebhookUrls, toStoredActions, toWireRule } from './rule-view.js'

const hook = (url: string): AlertAction => ({ type: 'webhook', url, format: 'json', secret: null })

describe('checkWebhookUrls (production)', () => {
  it('when a URL is http or a private literal, then 400 names the action; allowed private passes', () => {
    expect(() => checkWebhookUrls([hook('http://hooks.example.com')], true, false)).toThrow(AppError)
    expect(() => checkWebhookUrls([hook('https://10.0.0.7/x')], true, false)).toThrow(AppError)
    expect(() => checkWebhookUrls([hook('https://10.0.0.7/x')], true, true)).not.toThrow()
    expect(() => checkWebhookUrls([hook('https://hooks.example.com/x')], true, false)).not.toThrow()
    expect(() => checkWebhookUrls([hook('http://127.0.0.1/x')], false, false)).not.toThrow()
  })
})

describe('secrets', () => {
  it('when an action omits its secret, then the stored one for the same URL is kept; null clears it', () => {
    const previous: AlertAction[] = [{ type: 'webhook', url: 'https://a', format: 'json', secret: 's' }]
    expect(toStoredActions([{ type: 'webhook', url: 'https://a', format: 'slack' }], previous)[0]).toMatchObject({
      secret: 's',
    })
    expect(toStoredActions([{ type: 'webhook', url: 'https://b', format: 'json' }], previous)[0]).toMatchObject({
      secret: null,
    })
    expect(
      toStoredActions([{ type: 'webhook', url: 'https://a', format: 'json', secret: null }], previous)[0],
    ).toMatchObject({
      secret: null,
    })
  })

  it('when a rule is read, then secrets are replaced by secret_set', () => {
    const wire = toWireRule(
      {
        rule_id: 'r',
        tenant_id: 't',
        project_id: null,
        name: 'n',
        key_type: 'live',
        condition_type: 'task_failed',
        condition_config: {},
        filters: { agent_id: null, environment: null, group: null },
        actions: [{ type: 'webhook', url: 'https://a', format: 'json', secret: 's' }],
        cooldown_seconds: 0,
        is_enabled: true,
        created_at: '',
        updated_at: '',
      },
      null,
    )
    expect(wire.actions).toEqual([{ type: 'webhook', url: 'https://a', format: 'json', secret_set: true }])
  })
})
