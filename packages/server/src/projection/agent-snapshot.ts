import type { EventType, JsonObject } from '@hiveboard/shared'
import type { Ordered } from './order.js'

/** The agents.json format written now; version 1 files are still read (`upgradeAgentSnapshot`). */
export const AGENTS_FILE_VERSION = 2

/** A task run: task id, run id ('' without one), project id, then start and end as (ts, seq) or nulls. */
export type RunTuple = [string, string, string | null, number | null, number | null, number | null, number | null]

/** An (id, ts, seq) position: task ends and open actions. */
export type PositionTuple = [string, number, number]

/**
 * Agent state as `state/{live,test}/agents.json` holds it (events.md E133): plain JSON, no event lists.
 * The E47 bookkeeping (never pruned, E45) is written as flat tuples and ended actions as bare ids: at a
 * million events version 1's objects made the file ~30 MB, serialised every checkpoint interval.
 */
export interface AgentSnapshot extends AgentScalars {
  runs: RunTuple[]
  task_ends: PositionTuple[]
  open_runs: string[]
  /** Actions with a terminal event: a late action_started never reopens them. */
  ended_actions: string[]
  open_actions: PositionTuple[]
}

interface AgentScalars {
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
}

/** An item of a version 1 agents.json (sessions before the tuple format). */
export interface AgentSnapshotV1 extends AgentScalars {
  runs: Array<[string, { taskId: string; projectId: string | null; start: Ordered | null; end: Ordered | null }]>
  task_ends: Array<[string, Ordered]>
  open_runs: string[]
  actions: Array<[string, { start: Ordered | null; ended: boolean }]>
  open_actions: string[]
}

/** A version 1 item in the current shape (nothing is lost: version 2 holds the same facts). */
export function upgradeAgentSnapshot(v1: AgentSnapshotV1): AgentSnapshot {
  const { runs, task_ends, actions, open_actions, ...scalars } = v1
  const openIds = new Set(open_actions)
  const openActions: PositionTuple[] = []
  for (const [id, action] of actions) {
    if (!action.ended && action.start !== null && openIds.has(id))
      openActions.push([id, action.start.ts, action.start.seq])
  }
  return {
    ...scalars,
    runs: runs.map(([key, run]) => runTuple(key, run)),
    task_ends: task_ends.map(([id, end]) => [id, end.ts, end.seq]),
    ended_actions: actions.filter(([, action]) => action.ended).map(([id]) => id),
    open_actions: openActions,
  }
}

export function runTuple(
  key: string,
  run: { taskId: string; projectId: string | null; start: Ordered | null; end: Ordered | null },
): RunTuple {
  const { start, end } = run
  const runId = key.slice(run.taskId.length + 1)
  return [run.taskId, runId, run.projectId, start?.ts ?? null, start?.seq ?? null, end?.ts ?? null, end?.seq ?? null]
}

/** The (ts, seq) a tuple holds, or null. */
export function positionOf(ts: number | null, seq: number | null): Ordered | null {
  return ts === null || seq === null ? null : { ts, seq }
}

export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null
}
