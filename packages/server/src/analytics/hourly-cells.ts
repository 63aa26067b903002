import type { JsonObject } from '@hiveboard/shared'

/** Name → count maps of E84 (actions_by_name, calls_by_name, models, …). */
export type Counts = Record<string, number>

/**
 * One `agent_hourly` row of events.md E84. Costs are integer micro-USD in memory (exact in any order) and
 * 6-decimal USD in the checkpoint file.
 */
export interface AgentHour {
  event_count: number
  tasks_started: number
  tasks_completed: number
  tasks_failed: number
  task_duration_sum_ms: number
  task_duration_count: number
  actions_started: number
  actions_completed: number
  actions_failed: number
  actions_by_name: Counts
  errors_by_type: Counts
  llm_call_count: number
  llm_tokens_in: number
  llm_tokens_out: number
  llm_cost_micros: number
  llm_max_tokens_in: number
  llm_max_tokens_in_call: string | null
  models: Counts
  calls_by_name: Counts
  retries: number
  escalations: number
  approvals_requested: number
  approvals_received: number
  issues_reported: number
  issues_resolved: number
  errors_by_category: Counts
  heartbeat_count: number
  last_heartbeat_payload: JsonObject | null
  /** (ts, seq) of the payload sample, so the sample does not depend on arrival order (E85). */
  last_heartbeat_at: [number, number] | null
}

/** One `model_hourly` row of events.md E84. */
export interface ModelHour {
  call_count: number
  tokens_in: number
  tokens_out: number
  cost_micros: number
  duration_sum_ms: number
  duration_count: number
  max_tokens_in: number
  max_tokens_in_agent: string | null
  max_tokens_in_call: string | null
  agents: Counts
  calls_by_name: Counts
}

export function emptyAgentHour(): AgentHour {
  return {
    event_count: 0,
    tasks_started: 0,
    tasks_completed: 0,
    tasks_failed: 0,
    task_duration_sum_ms: 0,
    task_duration_count: 0,
    actions_started: 0,
    actions_completed: 0,
    actions_failed: 0,
    actions_by_name: {},
    errors_by_type: {},
    llm_call_count: 0,
    llm_tokens_in: 0,
    llm_tokens_out: 0,
    llm_cost_micros: 0,
    llm_max_tokens_in: 0,
    llm_max_tokens_in_call: null,
    models: {},
    calls_by_name: {},
    retries: 0,
    escalations: 0,
    approvals_requested: 0,
    approvals_received: 0,
    issues_reported: 0,
    issues_resolved: 0,
    errors_by_category: {},
    heartbeat_count: 0,
    last_heartbeat_payload: null,
    last_heartbeat_at: null,
  }
}

export function emptyModelHour(): ModelHour {
  return {
    call_count: 0,
    tokens_in: 0,
    tokens_out: 0,
    cost_micros: 0,
    duration_sum_ms: 0,
    duration_count: 0,
    max_tokens_in: 0,
    max_tokens_in_agent: null,
    max_tokens_in_call: null,
    agents: {},
    calls_by_name: {},
  }
}

export function bump(counts: Counts, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by
}

/**
 * The larger of two (tokens, label) maxima with a deterministic tie-break (smaller label wins), so the
 * result does not depend on arrival order (E85).
 */
export function beats(tokens: number, label: string, bestTokens: number, bestLabel: string | null): boolean {
  if (tokens !== bestTokens) return tokens > bestTokens
  return bestLabel === null || label < bestLabel
}
