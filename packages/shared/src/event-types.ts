/** The 13 event types of events.md E10; anything else is rejected `invalid_event_type` (E11). */
export const EVENT_TYPES = [
  'agent_registered',
  'heartbeat',
  'task_started',
  'task_completed',
  'task_failed',
  'action_started',
  'action_completed',
  'action_failed',
  'retry_started',
  'escalated',
  'approval_requested',
  'approval_received',
  'custom',
] as const
export type EventType = (typeof EVENT_TYPES)[number]

const EVENT_TYPE_SET: ReadonlySet<string> = new Set(EVENT_TYPES)
export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && EVENT_TYPE_SET.has(value)
}

/** Severities in rank order (E14): debug < info < warn < error. */
export const SEVERITIES = ['debug', 'info', 'warn', 'error'] as const
export type Severity = (typeof SEVERITIES)[number]

export function isSeverity(value: unknown): value is Severity {
  return value === 'debug' || value === 'info' || value === 'warn' || value === 'error'
}

/** Rank for filters; a missing or unknown severity ranks as info (E14). */
export function severityRank(value: string | null | undefined): number {
  const rank = value === undefined || value === null ? -1 : (SEVERITIES as readonly string[]).indexOf(value)
  return rank < 0 ? 1 : rank
}

/** Agent statuses, in the dashboard's attention order (api.md §4.3). */
export const AGENT_STATUSES = ['stuck', 'error', 'waiting_approval', 'processing', 'idle'] as const
export type AgentStatus = (typeof AGENT_STATUSES)[number]

export const TASK_STATUSES = ['completed', 'failed', 'escalated', 'waiting', 'processing'] as const
export type TaskStatus = (typeof TASK_STATUSES)[number]

/** Well-known `payload.kind` values on `custom` events (E13). */
export const PAYLOAD_KINDS = [
  'llm_call',
  'queue_snapshot',
  'todo',
  'scheduled',
  'plan_created',
  'plan_step',
  'issue',
] as const
export type PayloadKind = (typeof PAYLOAD_KINDS)[number]

/** Keys each well-known kind recommends in `payload.data` (E13/E23). */
export const RECOMMENDED_DATA_KEYS: Readonly<Record<PayloadKind, readonly string[]>> = {
  llm_call: ['name', 'model'],
  queue_snapshot: ['depth'],
  todo: ['todo_id', 'action'],
  scheduled: ['items'],
  plan_created: ['steps'],
  plan_step: ['step_index', 'total_steps', 'action'],
  issue: ['severity'],
}

export const API_KEY_TYPES = ['live', 'test', 'read'] as const
export type ApiKeyType = (typeof API_KEY_TYPES)[number]

/** The data partition a caller reads and writes (api.md §2.6). */
export type Partition = 'live' | 'test'

export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const
export type Role = (typeof ROLES)[number]
