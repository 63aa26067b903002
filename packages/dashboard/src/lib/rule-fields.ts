/** Alert rule form model (D49): config fields per condition type with their defaults, and API field errors. Pure. */
import { ApiError } from './api.js'
import { EVENT_TYPES, type ConditionType } from '@hiveboard/shared'

export type FieldKind =
  { kind: 'number'; def: number | null } | { kind: 'text' } | { kind: 'select'; options: string[] }

export interface ConfigField {
  key: string
  label: string
  spec: FieldKind
  hint?: string
}

const optionalAgent: ConfigField = { key: 'agent_id', label: 'Agent', spec: { kind: 'text' }, hint: 'blank = any' }

export const CONDITION_LABEL: Record<ConditionType, string> = {
  agent_stuck: 'Agent stuck',
  heartbeat_lost: 'Heartbeat lost',
  task_failed: 'Task failed',
  duration_exceeded: 'Task duration exceeded',
  error_rate: 'Error rate',
  cost_threshold: 'Cost over budget',
  loop_detected: 'Loop detected',
  custom_event: 'Custom event',
  approval_waiting: 'Approval waiting too long',
  escalation_open: 'Escalation open too long',
}

/** Config fields per type, defaults as the server applies them (server README "Alerts" → Conditions). */
export const CONFIG_FIELDS: Record<ConditionType, ConfigField[]> = {
  agent_stuck: [
    optionalAgent,
    {
      key: 'stuck_threshold_seconds',
      label: 'Threshold (seconds)',
      spec: { kind: 'number', def: null },
      hint: "blank = the agent's own",
    },
  ],
  heartbeat_lost: [
    { key: 'agent_id', label: 'Agent', spec: { kind: 'text' }, hint: 'required' },
    { key: 'window_seconds', label: 'Window (seconds)', spec: { kind: 'number', def: 300 } },
  ],
  task_failed: [{ key: 'task_type', label: 'Task type', spec: { kind: 'text' }, hint: 'blank = any' }],
  duration_exceeded: [{ key: 'threshold_ms', label: 'Threshold (ms)', spec: { kind: 'number', def: 60_000 } }],
  error_rate: [
    { key: 'threshold_percent', label: 'Threshold (%)', spec: { kind: 'number', def: 50 } },
    { key: 'window_minutes', label: 'Window (minutes)', spec: { kind: 'number', def: 60 } },
    { key: 'min_actions', label: 'Minimum actions', spec: { kind: 'number', def: 5 } },
  ],
  cost_threshold: [
    { key: 'threshold_usd', label: 'Budget (USD)', spec: { kind: 'number', def: 10 } },
    {
      key: 'period',
      label: 'Period',
      spec: { kind: 'select', options: ['rolling', 'calendar_day', 'calendar_month'] },
    },
    { key: 'window_hours', label: 'Rolling window (hours)', spec: { kind: 'number', def: 24 } },
    optionalAgent,
    { key: 'model', label: 'Model', spec: { kind: 'text' }, hint: 'blank = any' },
  ],
  loop_detected: [
    { key: 'window_seconds', label: 'Window (seconds)', spec: { kind: 'number', def: 300 } },
    { key: 'min_repeats', label: 'Repeats', spec: { kind: 'number', def: 5 } },
    { key: 'match', label: 'Match', spec: { kind: 'select', options: ['any', 'llm_call', 'action'] } },
    optionalAgent,
  ],
  custom_event: [
    { key: 'event_type', label: 'Event type', spec: { kind: 'select', options: ['', ...EVENT_TYPES] } },
    { key: 'payload_kind', label: 'Payload kind', spec: { kind: 'text' }, hint: 'blank = any' },
    {
      key: 'min_severity',
      label: 'Minimum severity',
      spec: { kind: 'select', options: ['', 'debug', 'info', 'warn', 'error'] },
    },
  ],
  approval_waiting: [
    { key: 'threshold_seconds', label: 'Threshold (seconds)', spec: { kind: 'number', def: 600 } },
    optionalAgent,
  ],
  escalation_open: [
    { key: 'threshold_seconds', label: 'Threshold (seconds)', spec: { kind: 'number', def: 600 } },
    optionalAgent,
  ],
}

/** '' → omitted (server default); a number → the number; anything else is sent as typed so the server explains. */
export function numberOrRaw(text: string): number | string | undefined {
  const t = text.trim()
  if (t === '') return undefined
  const n = Number(t)
  return Number.isFinite(n) ? n : t
}

export interface FieldError {
  field: string
  message: string
}

/** The envelope's `details.fields` with the `body.` prefix dropped (api.md §1.3). */
export function fieldErrors(e: unknown): FieldError[] {
  if (!(e instanceof ApiError) || e.details === null) return []
  const fields = e.details['fields']
  if (!Array.isArray(fields)) return []
  return fields
    .filter(
      (f): f is { field: string; message: string } =>
        typeof (f as { field?: unknown }).field === 'string' &&
        typeof (f as { message?: unknown }).message === 'string',
    )
    .map((f) => ({ field: f.field.replace(/^body\./, ''), message: f.message }))
}
