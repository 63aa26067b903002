import { fieldError } from '../../errors/app-error.js'
import type { AlertAction, AlertRule } from '../../storage/alert-records.js'
import type { ActionInput } from './rule-schema.js'
import { isPrivateAddress } from './webhook-format.js'

export type WireAction =
  { type: 'webhook'; url: string; format: 'json' | 'slack'; secret_set: boolean } | { type: 'email'; to: string }

export type WireRule = Omit<AlertRule, 'actions'> & { actions: WireAction[]; last_fired_at: string | null }

/** The AlertRule of api.md §4.11: secrets are write-only (`secret_set`). */
export function toWireRule(rule: AlertRule, lastFiredMs: number | null): WireRule {
  return {
    ...rule,
    actions: rule.actions.map((a) =>
      a.type === 'webhook' ? { type: a.type, url: a.url, format: a.format, secret_set: a.secret !== null } : { ...a },
    ),
    last_fired_at: lastFiredMs === null ? null : new Date(lastFiredMs).toISOString(),
  }
}

/** An omitted secret keeps the one stored for the same URL (updates re-send actions without secrets). */
export function toStoredActions(inputs: ActionInput[], previous: readonly AlertAction[]): AlertAction[] {
  return inputs.map((input) => {
    if (input.type === 'email') return { type: 'email', to: input.to }
    let secret = input.secret ?? null
    if (input.secret === undefined) {
      const same = previous.find((p) => p.type === 'webhook' && p.url === input.url)
      secret = same?.type === 'webhook' ? same.secret : null
    }
    return { type: 'webhook', url: input.url, format: input.format, secret }
  })
}

/** Production: https only, never a literal loopback/private/link-local host (api.md §4.11, §5). */
export function checkWebhookUrls(actions: readonly AlertAction[], production: boolean, allowPrivate: boolean): void {
  if (!production) return
  actions.forEach((action, i) => {
    if (action.type !== 'webhook') return
    const url = new URL(action.url)
    if (url.protocol !== 'https:') throw fieldError(`body.actions.${i}.url`, 'Webhook URLs must use https')
    if (!allowPrivate && isPrivateAddress(url.hostname)) {
      throw fieldError(`body.actions.${i}.url`, 'Webhook URLs may not target private or loopback addresses')
    }
  })
}
