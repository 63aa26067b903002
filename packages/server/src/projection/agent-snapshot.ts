import type { EventType, JsonObject } from '@hiveboard/shared'
import type { Ordered } from './order.js'

/** Agent state as `state/{live,test}/agents.json` holds it (events.md E133): plain JSON, no event lists. */
export interface AgentSnapshot {
  agent_id: string
  metadata: Record<string, { seq: number; value: string }>
  environment: string
  group: string
  env_seq: number
  /** Null stands for "no event yet" (±Infinity in memory, which JSON cannot hold). */
  first_seen: number | null
  last_seen: number | null
  last_heartbeat: number | null
  last_heartbeat_payload: JsonObject | null
  last_event: (Ordered & { type: EventType }) | null
  last_task: (Ordered & { value: string }) | null
  last_project: (Ordered & { value: string }) | null
  latest_status_event: (Ordered & { type: EventType }) | null
  registered: Ordered | null
  threshold: (Ordered & { value: number }) | null
  queue_summary: (Ordered & { summary: string | null }) | null
  heartbeat_summary: (Ordered & { summary: string | null }) | null
  runs: Array<[string, { taskId: string; projectId: string | null; start: Ordered | null; end: Ordered | null }]>
  task_ends: Array<[string, Ordered]>
  open_runs: string[]
  actions: Array<[string, { start: Ordered | null; ended: boolean }]>
  open_actions: string[]
}

export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null
}
