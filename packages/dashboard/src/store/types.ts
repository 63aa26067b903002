/** API shapes the dashboard reads beyond @hiveboard/shared (api.md §4.4–§4.7). */
import type { JsonObject, WireAgent, WireEvent, WirePlan, WireTask } from '@hiveboard/shared'

export type { WireAgent, WireEvent, WireTask }

export interface ActionNode {
  action_id: string
  parent_action_id: string | null
  name: string | null
  status: string
  started_at: string | null
  duration_ms: number | null
  error: { type: string | null; message: string | null } | null
  events: WireEvent[]
  children: ActionNode[]
}

export interface Timeline extends WireTask {
  events: WireEvent[]
  events_truncated: boolean
  action_tree: ActionNode[]
  error_chains: (Pick<WireEvent, 'event_id' | 'event_type' | 'parent_event_id' | 'timestamp'> & {
    payload: JsonObject | null
  })[]
  plan: WirePlan | null
}

export interface MetricsSummary {
  total_tasks: number
  completed: number
  failed: number
  success_rate: number | null
  avg_duration_ms: number | null
  total_cost: number | null
  llm_call_count: number
}

export interface MetricsBucket {
  timestamp: string
  tasks_completed: number
  tasks_failed: number
  success_rate: number | null
  cost: number | null
  error_count: number
  /** Present on /v1/metrics buckets (api.md §4.6); optional so older fixtures still type. */
  avg_duration_ms?: number | null
  llm_call_count?: number
}

export interface Metrics {
  range: string
  interval: string
  summary: MetricsSummary
  timeseries: MetricsBucket[]
}

export interface StatusChanged {
  agent_id: string
  previous_status: WireAgent['derived_status'] | null
  new_status: WireAgent['derived_status']
  timestamp: string
  current_task_id: string | null
  heartbeat_age_seconds: number | null
}

export interface StuckMessage {
  agent_id: string
  last_heartbeat: string | null
  stuck_threshold_seconds: number
  current_task_id: string | null
}
