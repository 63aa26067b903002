import type { AgentStatus, EventType, JsonObject } from '@hiveboard/shared'
import { insertOrdered, isAfter, type Ordered } from './order.js'
import { finiteOrNull, positionOf, runTuple, type AgentSnapshot } from './agent-snapshot.js'
import { PipelineState } from './pipeline-state.js'
import { payloadData, type EventRecord, type StoredEvent } from './stored-event.js'

interface Stamp extends Ordered {
  value: string
}

interface RunState {
  taskId: string
  projectId: string | null
  start: Ordered | null
  end: Ordered | null
}

/** Event types that decide status (events.md E46); heartbeat, custom and escalated are neutral. */
const STATUS_EVENTS: ReadonlySet<EventType> = new Set<EventType>([
  'agent_registered',
  'task_started',
  'task_completed',
  'task_failed',
  'action_started',
  'action_completed',
  'action_failed',
  'retry_started',
  'approval_requested',
  'approval_received',
])

const METADATA_FIELDS = ['agent_type', 'agent_version', 'framework', 'runtime', 'sdk_version'] as const
type MetadataField = (typeof METADATA_FIELDS)[number]

/** Smallest and largest valid `stuck_threshold` (events.md E51). */
export const STUCK_THRESHOLD_RANGE = { min: 10, max: 604_800 } as const

export function validStuckThreshold(value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null
  const whole = Math.trunc(value)
  return whole >= STUCK_THRESHOLD_RANGE.min && whole <= STUCK_THRESHOLD_RANGE.max ? whole : null
}

/**
 * Everything derived about one agent (events.md E44–E53), maintained event by event in any arrival
 * order, so status always reflects the agent's whole ordered history.
 */
export class AgentState {
  readonly events: EventRecord[] = []
  readonly metadata = new Map<MetadataField, { seq: number; value: string }>()
  environment = 'production'
  group = 'default'
  private envSeq = -1
  firstSeen = Number.POSITIVE_INFINITY
  lastSeen = Number.NEGATIVE_INFINITY
  lastHeartbeat: number | null = null
  lastHeartbeatPayload: JsonObject | null = null
  lastEvent: (Ordered & { type: EventType }) | null = null
  lastTask: Stamp | null = null
  lastProject: Stamp | null = null
  latestStatusEvent: (Ordered & { type: EventType }) | null = null
  registered: Ordered | null = null
  threshold: (Ordered & { value: number }) | null = null
  private queueSummary: (Ordered & { summary: string | null }) | null = null
  private heartbeatSummary: (Ordered & { summary: string | null }) | null = null
  private readonly runs = new Map<string, RunState>()
  private readonly taskEnds = new Map<string, Ordered>()
  private readonly openRuns = new Set<string>()
  /** Actions with a terminal event (their start no longer matters: they never reopen). */
  private readonly endedActions = new Set<string>()
  /** Started actions without a terminal event yet, with their latest start. */
  private readonly openActions = new Map<string, Ordered>()
  readonly pipeline = new PipelineState()
  /** Published status bookkeeping (E50, E54). */
  published: AgentStatus | null = null
  previousStatus: AgentStatus | null = null
  stuckEpisode = false

  constructor(readonly agentId: string) {}

  apply(record: EventRecord, event: StoredEvent): void {
    this.index(record, event)
    this.derive(record, event)
  }

  /**
   * The part of apply that follows the retained lines: the event list and the pipeline (E78, E122). At start,
   * lines already covered by agents.json get only this (E137 step 4).
   */
  index(record: EventRecord, event: StoredEvent): void {
    insertOrdered(this.events, record)
    this.pipeline.apply(record, event.payload)
  }

  /** The registry fields (E44–E47), never pruned (E45), checkpointed in agents.json (E133). */
  derive(record: EventRecord, event: StoredEvent): void {
    this.applyMetadata(record, event)
    const effective = Math.min(record.ts, record.receivedAt)
    this.firstSeen = Math.min(this.firstSeen, effective)
    this.lastSeen = Math.max(this.lastSeen, effective)
    if (isAfter(record, this.lastEvent)) this.lastEvent = { ts: record.ts, seq: record.seq, type: record.eventType }
    if (record.taskId !== null && isAfter(record, this.lastTask)) this.lastTask = stamp(record, record.taskId)
    if (record.projectId !== null && isAfter(record, this.lastProject)) {
      this.lastProject = stamp(record, record.projectId)
    }
    if (record.eventType === 'heartbeat') this.applyHeartbeat(record, event, effective)
    if (STATUS_EVENTS.has(record.eventType) && isAfter(record, this.latestStatusEvent)) {
      this.latestStatusEvent = { ts: record.ts, seq: record.seq, type: record.eventType }
    }
    this.applyOpenWork(record, event)
    if (record.kind === 'queue_snapshot' && isAfter(record, this.queueSummary)) {
      const processing = payloadData(event.payload)?.['processing']
      const summary =
        typeof processing === 'object' && processing !== null && !Array.isArray(processing)
          ? (processing as Record<string, unknown>)['summary']
          : null
      this.queueSummary = { ts: record.ts, seq: record.seq, summary: typeof summary === 'string' ? summary : null }
    }
  }

  toSnapshot(): AgentSnapshot {
    // Drops the runs a later end closed first, so the file lists open work only and no forgettable run.
    this.currentRun()
    return {
      agent_id: this.agentId,
      metadata: Object.fromEntries(this.metadata),
      environment: this.environment,
      group: this.group,
      env_seq: this.envSeq,
      first_seen: finiteOrNull(this.firstSeen),
      last_seen: finiteOrNull(this.lastSeen),
      last_heartbeat: this.lastHeartbeat,
      last_heartbeat_payload: this.lastHeartbeatPayload,
      last_event: this.lastEvent,
      last_task: this.lastTask,
      last_project: this.lastProject,
      latest_status_event: this.latestStatusEvent,
      registered: this.registered,
      threshold: this.threshold,
      queue_summary: this.queueSummary,
      heartbeat_summary: this.heartbeatSummary,
      runs: [...this.runs].map(([key, run]) => runTuple(key, run)),
      // Only the position: taskEnds holds whole event records, which must not reach the file.
      task_ends: [...this.taskEnds].map(([taskId, end]) => [taskId, end.ts, end.seq]),
      open_runs: [...this.openRuns],
      ended_actions: [...this.endedActions],
      open_actions: [...this.openActions].map(([id, start]) => [id, start.ts, start.seq]),
    }
  }

  /** An agent as a checkpoint left it; its event list and pipeline refill from the retained lines. */
  static fromSnapshot(s: AgentSnapshot): AgentState {
    const agent = new AgentState(s.agent_id)
    for (const [field, value] of Object.entries(s.metadata)) {
      if ((METADATA_FIELDS as readonly string[]).includes(field)) agent.metadata.set(field as MetadataField, value)
    }
    agent.environment = s.environment
    agent.group = s.group
    agent.envSeq = s.env_seq
    agent.firstSeen = s.first_seen ?? Number.POSITIVE_INFINITY
    agent.lastSeen = s.last_seen ?? Number.NEGATIVE_INFINITY
    agent.lastHeartbeat = s.last_heartbeat
    agent.lastHeartbeatPayload = s.last_heartbeat_payload
    agent.lastEvent = s.last_event
    agent.lastTask = s.last_task
    agent.lastProject = s.last_project
    agent.latestStatusEvent = s.latest_status_event
    agent.registered = s.registered
    agent.threshold = s.threshold
    agent.queueSummary = s.queue_summary
    agent.heartbeatSummary = s.heartbeat_summary
    for (const [taskId, runId, projectId, startTs, startSeq, endTs, endSeq] of s.runs) {
      const run = { taskId, projectId, start: positionOf(startTs, startSeq), end: positionOf(endTs, endSeq) }
      agent.runs.set(runKey(taskId, runId), run)
    }
    for (const [taskId, ts, seq] of s.task_ends) agent.taskEnds.set(taskId, { ts, seq })
    for (const key of s.open_runs) agent.openRuns.add(key)
    for (const id of s.ended_actions) agent.endedActions.add(id)
    for (const [id, ts, seq] of s.open_actions) agent.openActions.set(id, { ts, seq })
    agent.forgetClosedRuns()
    return agent
  }

  private applyMetadata(record: EventRecord, event: StoredEvent): void {
    for (const field of METADATA_FIELDS) {
      const value = event[field]
      if (value === null) continue
      const known = this.metadata.get(field)
      if (known === undefined) this.metadata.set(field, { seq: record.seq, value })
      else if (record.seq > known.seq) {
        // In place: nearly every event repeats the agent's metadata, and a new object each time was GC load.
        known.seq = record.seq
        known.value = value
      }
    }
    if (record.seq > this.envSeq) {
      this.envSeq = record.seq
      this.environment = record.environment
      this.group = record.group
    }
  }

  private applyHeartbeat(record: EventRecord, event: StoredEvent, effective: number): void {
    if (this.lastHeartbeat === null || effective >= this.lastHeartbeat) {
      this.lastHeartbeat = effective
      this.lastHeartbeatPayload = event.payload
    }
    if (isAfter(record, this.heartbeatSummary)) {
      const summary = event.payload?.['summary']
      this.heartbeatSummary = { ts: record.ts, seq: record.seq, summary: typeof summary === 'string' ? summary : null }
    }
  }

  private applyOpenWork(record: EventRecord, event: StoredEvent): void {
    switch (record.eventType) {
      case 'agent_registered': {
        if (isAfter(record, this.registered)) this.registered = { ts: record.ts, seq: record.seq }
        const threshold = validStuckThreshold(payloadData(event.payload)?.['stuck_threshold'])
        if (threshold !== null && isAfter(record, this.threshold)) {
          this.threshold = { ts: record.ts, seq: record.seq, value: threshold }
        }
        return
      }
      case 'task_started':
      case 'task_completed':
      case 'task_failed':
        if (record.taskId !== null) this.applyRun(record)
        return
      case 'action_started':
      case 'action_completed':
      case 'action_failed':
        if (record.actionId !== null) this.applyAction(record)
        return
      default:
        return
    }
  }

  private applyRun(record: EventRecord): void {
    const taskId = record.taskId as string
    if (record.eventType !== 'task_started' && record.taskRunId === null) {
      // A terminal event without task_run_id closes every run of its task (E47).
      if (isAfter(record, this.taskEnds.get(taskId))) this.taskEnds.set(taskId, record)
      return
    }
    const key = runKey(taskId, record.taskRunId ?? '')
    const run = this.runs.get(key) ?? { taskId, projectId: null, start: null, end: null }
    if (record.eventType === 'task_started') {
      if (isAfter(record, run.start)) {
        run.start = { ts: record.ts, seq: record.seq }
        run.projectId = record.projectId
      }
      this.openRuns.add(key)
    } else if (isAfter(record, run.end)) run.end = { ts: record.ts, seq: record.seq }
    this.runs.set(key, run)
  }

  private applyAction(record: EventRecord): void {
    const id = record.actionId as string
    if (record.eventType !== 'action_started') {
      this.endedActions.add(id)
      this.openActions.delete(id)
    } else if (!this.endedActions.has(id) && isAfter(record, this.openActions.get(id))) {
      this.openActions.set(id, { ts: record.ts, seq: record.seq })
    }
  }

  /** The most recently started open run (E47), pruning candidates that can never reopen. */
  currentRun(): RunState | null {
    let best: RunState | null = null
    for (const key of this.openRuns) {
      const run = this.runs.get(key)
      const start = run?.start
      if (run === undefined || start === null || start === undefined) {
        this.openRuns.delete(key)
        continue
      }
      const closure = this.closure(run, start)
      if (closure !== 'open') {
        this.openRuns.delete(key)
        if (closure === 'forgettable') this.runs.delete(key)
        continue
      }
      if (this.registered !== null && !isAfter(start, this.registered)) continue
      if (best === null || isAfter(start, best.start)) best = run
    }
    return best
  }

  /**
   * Closed by its task's end with no later end of its own, a run is 'forgettable': any later start of it gets the
   * same answer from a fresh run, so its bookkeeping can go (it otherwise grows by one run per task forever).
   */
  private closure(run: RunState, start: Ordered): 'open' | 'closed' | 'forgettable' {
    const taskEnd = this.taskEnds.get(run.taskId)
    if (taskEnd !== undefined && isAfter(taskEnd, start) && (run.end === null || !isAfter(run.end, taskEnd))) {
      return 'forgettable'
    }
    return (run.end !== null && isAfter(run.end, start)) || (taskEnd !== undefined && isAfter(taskEnd, start))
      ? 'closed'
      : 'open'
  }

  /** Drops every forgettable run, open-listed or not (a checkpoint may hold runs an earlier release kept). */
  private forgetClosedRuns(): void {
    for (const [key, run] of this.runs) {
      if (run.start !== null && this.closure(run, run.start) === 'forgettable') {
        this.runs.delete(key)
        this.openRuns.delete(key)
      }
    }
  }

  hasOpenAction(): boolean {
    for (const start of this.openActions.values()) {
      if (this.registered === null || isAfter(start, this.registered)) return true
    }
    return false
  }

  metadataValue(field: MetadataField): string | null {
    return this.metadata.get(field)?.value ?? null
  }

  /** processing_summary: the latest queue snapshot's processing summary, else the latest heartbeat's. */
  processingSummary(): string | null {
    return this.queueSummary?.summary ?? this.heartbeatSummary?.summary ?? null
  }
}

function runKey(taskId: string, runId: string): string {
  return `${taskId}\u0000${runId}`
}

function stamp(record: EventRecord, value: string): Stamp {
  return { ts: record.ts, seq: record.seq, value }
}
