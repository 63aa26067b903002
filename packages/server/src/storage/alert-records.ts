/** Alert rules and history as stored (events.md E100, E108, E132; api.md §4.11). */

import type { ConditionType } from '@hiveboard/shared'

export interface WebhookAction {
  type: 'webhook'
  url: string
  /** `json` (default) posts the alert; `slack` posts `{text}` for Slack-compatible incoming webhooks. */
  format: 'json' | 'slack'
  /** Write-only HMAC secret (E107); never returned. */
  secret: string | null
}

export interface EmailAction {
  type: 'email'
  to: string
}

export type AlertAction = WebhookAction | EmailAction

export interface AlertFilters {
  agent_id: string | null
  environment: string | null
  group: string | null
}

export interface AlertRule {
  rule_id: string
  tenant_id: string
  project_id: string | null
  name: string
  key_type: 'live'
  condition_type: ConditionType
  condition_config: Record<string, unknown>
  filters: AlertFilters
  actions: AlertAction[]
  cooldown_seconds: number
  is_enabled: boolean
  created_at: string
  updated_at: string
}

/** One action's outcome inside a history record: webhooks start `pending`, then become `sent` or `failed`. */
export interface ActionTaken {
  type: 'webhook' | 'email'
  url?: string
  to?: string
  format?: 'json' | 'slack'
  status: 'pending' | 'sent' | 'failed' | 'logged'
  attempts?: number
  http_status?: number | null
  error?: string | null
}

export interface AlertHistoryRecord {
  alert_id: string
  tenant_id: string
  rule_id: string
  rule_name: string
  condition_type: ConditionType
  project_id: string | null
  key_type: 'live'
  /** What the episode and cooldown are keyed by (E104, E105): `rule`, `agent:<id>`, `task:<id>`, … */
  subject: string
  fired_at: string
  condition_snapshot: Record<string, unknown>
  actions_taken: ActionTaken[]
  related_agent_id: string | null
  related_task_id: string | null
}

/** A webhook's final outcome, appended after the firing and merged on read (E132). */
export interface DeliveryRecord {
  alert_id: string
  action_index: number
  status: 'sent' | 'failed'
  attempts: number
  http_status: number | null
  error: string | null
  at: string
}

/** The condition of a level episode cleared (merged on read as `resolved_at`). */
export interface ResolutionRecord {
  alert_id: string
  resolved_at: string
}

export type AlertLine = AlertHistoryRecord | { delivery: DeliveryRecord } | { resolution: ResolutionRecord }

/** Append-only alert history, per tenant (events.md E130 `alerts/<YYYY-MM-DD>.ndjson`). */
export interface AlertHistoryStore {
  /** Every line of the tenant, in append order. */
  lines(tenantId: string): readonly AlertLine[]
  /** Appends durably to the file of the day `firedAtMs` falls in (UTC), then to memory. */
  append(tenantId: string, firedAtMs: number, lines: AlertLine[]): Promise<void>
  /**
   * E126: removes every alert fired on a UTC day before `beforeDayMs`'s day (whole day files, through the single
   * writer) with its delivery and resolution lines; returns the number of day files deleted (0 = nothing written).
   */
  pruneDaysBefore(tenantId: string, beforeDayMs: number): Promise<number>
  /** Called after a prune removed alerts, so indexes built over `lines()` can drop them. */
  onPrune(listener: (tenantId: string, removedAlertIds: ReadonlySet<string>, beforeDayMs: number) => void): void
}

/** The alert a line belongs to (a record, or the `alert_id` of a delivery/resolution). */
export function alertIdOf(line: AlertLine): string | undefined {
  if ('delivery' in line) return line.delivery.alert_id
  if ('resolution' in line) return line.resolution.alert_id
  return typeof line.alert_id === 'string' ? line.alert_id : undefined
}
