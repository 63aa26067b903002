import { randomUUID } from 'node:crypto'
import { iso } from '../../clock.js'
import type { Logger } from '../../logger.js'
import type { Broadcaster } from '../../realtime/broadcaster.js'
import type { ActionTaken, AlertHistoryRecord, AlertRule } from '../../storage/alert-records.js'
import type { AlertHistory, AlertView } from './alert-history.js'
import type { Firing } from './condition-context.js'
import { jsonPayload, slackPayload, type WireAlert } from './webhook-format.js'
import type { WebhookSender } from './webhook-sender.js'

/** The record as `GET /v1/alerts/history` and `alert.fired` show it (api.md §4.11, realtime.md). */
export function toWireAlert(view: AlertView): WireAlert {
  const { tenant_id: _tenant, key_type: _keyType, ...wire } = view
  return wire
}

export function actionsTaken(rule: AlertRule): ActionTaken[] {
  return rule.actions.map((action): ActionTaken =>
    action.type === 'webhook'
      ? {
          type: 'webhook',
          url: action.url,
          format: action.format,
          status: 'pending',
          attempts: 0,
          http_status: null,
          error: null,
        }
      : { type: 'email', to: action.to, status: 'logged' },
  )
}

export function webhookBody(rule: AlertRule, alert: WireAlert, test: boolean, format: 'json' | 'slack'): string {
  return JSON.stringify(format === 'slack' ? slackPayload(alert, test) : jsonPayload(alert, rule, test))
}

export interface AlertFiringDeps {
  history: AlertHistory
  broadcaster: Broadcaster
  sender: WebhookSender
  logger: Logger
}

/** E105 cooldown, E108 history, E107 actions: everything that happens when a condition holds. */
export class AlertFiring {
  constructor(private readonly deps: AlertFiringDeps) {}

  /**
   * Decides synchronously (cooldown claimed at once, so concurrent evaluations cannot double-fire); the
   * returned promise persists, pushes and queues webhooks. Null when suppressed by cooldown.
   */
  fire(rule: AlertRule, firing: Firing, now: number): { alertId: string; done: Promise<void> } | null {
    if (!this.deps.history.claim(rule.tenant_id, rule.rule_id, firing.subject, now, rule.cooldown_seconds)) return null
    const record: AlertHistoryRecord = {
      alert_id: randomUUID(),
      tenant_id: rule.tenant_id,
      rule_id: rule.rule_id,
      rule_name: rule.name,
      condition_type: rule.condition_type,
      project_id: rule.project_id,
      key_type: 'live',
      subject: firing.subject,
      fired_at: iso(now),
      condition_snapshot: firing.snapshot,
      actions_taken: actionsTaken(rule),
      related_agent_id: firing.agentId,
      related_task_id: firing.taskId,
    }
    return { alertId: record.alert_id, done: this.persist(rule, record) }
  }

  private async persist(rule: AlertRule, record: AlertHistoryRecord): Promise<void> {
    await this.deps.history.record(record)
    const wire = toWireAlert({ ...record, resolved_at: null })
    this.deps.broadcaster.broadcastAlertFired({ tenantId: rule.tenant_id, partition: 'live' }, { ...wire })
    rule.actions.forEach((action, index) => {
      if (action.type !== 'webhook') return
      const body = webhookBody(rule, wire, false, action.format)
      this.deps.sender.enqueue(async () => {
        const outcome = await this.deps.sender.deliver(action, body, record.alert_id)
        await this.deps.history.recordDelivery(rule.tenant_id, Date.parse(record.fired_at), {
          alert_id: record.alert_id,
          action_index: index,
          status: outcome.status,
          attempts: outcome.attempts,
          http_status: outcome.http_status,
          error: outcome.error,
          at: iso(Date.parse(record.fired_at) + outcome.duration_ms),
        })
      })
    })
  }

  /** The episode of a recorded firing ended (appended next to its history record). */
  async resolve(tenantId: string, alertId: string, firedMs: number, now: number): Promise<void> {
    await this.deps.history.recordResolution(tenantId, firedMs, { alert_id: alertId, resolved_at: iso(now) })
  }
}
