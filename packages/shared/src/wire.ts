import type { AgentStatus, EventType, Severity, TaskStatus } from './event-types.js'

/** JSON value as it travels on the wire. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json }
export type JsonObject = { [key: string]: Json }

/** `envelope` of `POST /v1/ingest` (events.md E4). */
export interface IngestEnvelope {
  agent_id: string
  agent_type?: string | null
  agent_version?: string | null
  framework?: string | null
  runtime?: string | null
  sdk_version?: string | null
  environment?: string | null
  group?: string | null
}

/** One client event as SDKs send it (events.md E5). */
export interface IngestEvent {
  event_id: string
  timestamp: string
  event_type: EventType | (string & {})
  project_id?: string | null
  agent_id?: string | null
  agent_type?: string | null
  task_id?: string | null
  task_type?: string | null
  task_run_id?: string | null
  correlation_id?: string | null
  action_id?: string | null
  parent_action_id?: string | null
  parent_event_id?: string | null
  severity?: Severity | (string & {}) | null
  status?: string | null
  duration_ms?: number | null
  payload?: JsonObject | null
}

export interface IngestBody {
  envelope: IngestEnvelope
  events: IngestEvent[]
}

export interface IngestError {
  index: number
  event_id: string | null
  error: string
  message: string
}

export interface IngestWarning {
  index: number | null
  event_id: string | null
  code: string
  warning: string
  project_slug?: string
}

export interface IngestResponse {
  accepted: number
  rejected: number
  duplicates: number
  errors: IngestError[]
  warnings: IngestWarning[]
}

/** The API Event object (api.md §4.0); stored events add `key_type` and `seq`, never returned. */
export interface WireEvent {
  event_id: string
  tenant_id: string
  agent_id: string
  agent_type: string | null
  project_id: string | null
  timestamp: string
  received_at: string
  environment: string
  group: string
  task_id: string | null
  task_type: string | null
  task_run_id: string | null
  correlation_id: string | null
  action_id: string | null
  parent_action_id: string | null
  event_type: EventType
  severity: Severity
  status: string | null
  duration_ms: number | null
  parent_event_id: string | null
  payload: JsonObject | null
}

export interface AgentStats1h {
  tasks_completed: number
  tasks_failed: number
  success_rate: number | null
  error_rate: number | null
  avg_duration_ms: number | null
  total_cost: number | null
  throughput: number
  llm_call_count: number
  queue_depth: number | null
  active_issues: number
}

export type HeartbeatHealth = 'none' | 'fresh' | 'stale' | 'dead'

export interface WireAgent {
  agent_id: string
  agent_type: string
  agent_version: string | null
  framework: string | null
  runtime: string | null
  sdk_version: string | null
  environment: string
  group: string
  derived_status: AgentStatus
  previous_status: AgentStatus | null
  is_stuck: boolean
  stuck_threshold_seconds: number
  current_task_id: string | null
  current_project_id: string | null
  last_task_id: string | null
  last_project_id: string | null
  last_event_type: EventType | null
  processing_summary: string | null
  last_heartbeat: string | null
  heartbeat_age_seconds: number | null
  heartbeat_health: HeartbeatHealth
  first_seen: string
  last_seen: string
  stats_1h: AgentStats1h
  sparkline_1h: number[]
}

export interface WireTask {
  task_id: string
  task_type: string | null
  task_run_id: string | null
  agent_id: string | null
  project_id: string | null
  environment: string | null
  derived_status: TaskStatus
  started_at: string
  completed_at: string | null
  duration_ms: number | null
  total_cost: number | null
  action_count: number
  error_count: number
  has_escalation: boolean
  has_human_intervention: boolean
  llm_call_count: number
  total_tokens_in: number
  total_tokens_out: number
}

/** One step of a task's plan in `GET /v1/tasks/{task_id}/timeline` (api.md §4.4 `plan.steps`). */
export interface WirePlanStep {
  index: number
  description: string | null
  status: string
  action: string | null
  started_at: string | null
  completed_at: string | null
}

/** `plan` of the task timeline (api.md §4.4): null without plan events. */
export interface WirePlan {
  goal: string | null
  revision: number
  steps: WirePlanStep[]
  progress: { completed: number; failed: number; skipped: number; total: number }
}

export interface Pagination {
  cursor: string | null
  has_more: boolean
}

export interface Page<T> {
  data: T[]
  pagination: Pagination
}

/** The error envelope every failure uses (api.md §1.3). */
export interface ErrorEnvelope {
  error: string
  message: string
  status: number
  details?: Record<string, unknown>
}
