import type { Partition } from '@hiveboard/shared'
import { HourlyRollups } from '../analytics/hourly-rollups.js'
import { Rollups } from '../analytics/rollups.js'
import type { AgentSnapshot } from './agent-snapshot.js'
import { AgentState } from './agent-state.js'
import { compareOrdered, insertOrdered, upperBound, type Ordered } from './order.js'
import { isPipelineEvent } from './pipeline-state.js'
import { earliestOf, removeInPlace, removeOrdered } from './prune-rules.js'
import { TaskState } from './task-state.js'
import { parseRecord, type EventRecord, type StoredEvent } from './stored-event.js'

/** The read side of one (tenant, partition): what every query reads (events.md E138). */
export interface NamespaceView {
  readonly tenantId: string
  readonly partition: Partition
  /** All visible events in canonical order. */
  readonly events: readonly EventRecord[]
  readonly agents: ReadonlyMap<string, AgentState>
  readonly tasks: ReadonlyMap<string, TaskState>
  /** Tasks ordered by their first event (started_at). */
  readonly tasksByStart: readonly TaskState[]
  /** Incremental aggregates behind metrics, cost and insights (events.md E84). */
  readonly rollups: Rollups
  /** The persistent agent_hourly / model_hourly rollups, which outlive raw events (E84–E86). */
  readonly hourly: HourlyRollups
}

/** In-memory indexes of one (tenant, partition), fed in seq order at start and after each durable append. */
export class Namespace implements NamespaceView {
  readonly events: EventRecord[] = []
  readonly agents = new Map<string, AgentState>()
  readonly tasks = new Map<string, TaskState>()
  readonly tasksByStart: TaskState[] = []
  readonly rollups = new Rollups()
  private readonly taskNumbers = new TaskNumbers()
  readonly hourly = new HourlyRollups()
  /** Highest seq applied to the agent registry, and whether it changed since agents.json was written (E133). */
  agentsWatermark = 0
  agentsDirty = false
  /** Watermark of the agents.json last written (an older snapshot must not replace it). */
  agentsWrittenWatermark = 0
  /** At start: agents restored from agents.json, whose lines up to `checkpointedSeq` are only indexed. */
  private readonly restored = new Set<string>()
  private checkpointedSeq = 0

  constructor(
    readonly tenantId: string,
    readonly partition: Partition,
  ) {}

  /**
   * E137 step 4, before any line is applied: the registry as agents.json left it. Its fields already hold
   * every event up to `watermark`, including those retention has since removed (E45).
   */
  restoreAgents(snapshots: readonly AgentSnapshot[], watermark: number): void {
    for (const snapshot of snapshots) {
      this.agents.set(snapshot.agent_id, AgentState.fromSnapshot(snapshot))
      this.restored.add(snapshot.agent_id)
    }
    this.checkpointedSeq = watermark
    this.agentsWrittenWatermark = watermark
    this.agentsWatermark = Math.max(this.agentsWatermark, watermark)
  }

  apply(record: EventRecord, event: StoredEvent): void {
    insertOrdered(this.events, record)
    let agent = this.agents.get(record.agentId)
    if (agent === undefined) {
      agent = new AgentState(record.agentId)
      this.agents.set(record.agentId, agent)
    }
    this.agentsWatermark = Math.max(this.agentsWatermark, record.seq)
    if (record.seq <= this.checkpointedSeq && this.restored.has(record.agentId)) agent.index(record, event)
    else {
      agent.apply(record, event)
      this.agentsDirty = true
    }
    this.hourly.apply(record, event.payload)
    // The task first: it numbers the record, which the rollups' distinct-task counts key on.
    if (record.taskId !== null) this.applyTask(record, event)
    this.rollups.apply(record)
  }

  private applyTask(record: EventRecord, event: StoredEvent): void {
    const taskId = record.taskId as string
    const task = this.tasks.get(taskId)
    if (task === undefined) {
      const created = new TaskState(taskId, record)
      created.no = this.taskNumbers.take()
      record.taskNo = created.no
      created.apply(record, event)
      this.tasks.set(taskId, created)
      insertOrdered(this.tasksByStart, created)
      return
    }
    const before: Ordered = task.first
    record.taskNo = task.no
    task.apply(record, event)
    if (compareOrdered(before, task.first) !== 0) {
      // A late event moved started_at earlier: re-position the task.
      const at = upperBound(this.tasksByStart, before, (t) => t.first) - 1
      if (this.tasksByStart[at] === task) this.tasksByStart.splice(at, 1)
      insertOrdered(this.tasksByStart, task)
    }
  }

  /**
   * Retention (events.md E121–E122): removes events from every list and index. Agents stay (the registry
   * is never pruned); a task keeps only its remaining events and is rebuilt from them, or disappears.
   */
  removeEvents(removed: ReadonlySet<EventRecord>): void {
    if (removed.size === 0) return
    const earliest = earliestOf(removed)
    removeOrdered(this.events, removed, earliest)
    this.rollups.removeMany(removed, earliest)
    const byAgent = new Map<string, EventRecord[]>()
    const taskIds = new Set<string>()
    const pipelineAgentIds = new Set<string>()
    for (const e of removed) {
      const own = byAgent.get(e.agentId)
      if (own === undefined) byAgent.set(e.agentId, [e])
      else own.push(e)
      if (isPipelineEvent(e)) pipelineAgentIds.add(e.agentId)
      if (e.taskId !== null) taskIds.add(e.taskId)
    }
    for (const [id, own] of byAgent) {
      const agent = this.agents.get(id)
      if (agent === undefined) continue
      removeOrdered(agent.events, removed, own)
      if (pipelineAgentIds.has(id)) rebuildPipeline(agent)
    }
    const stale = new Set<TaskState>()
    for (const id of taskIds) {
      const task = this.tasks.get(id)
      if (task === undefined) continue
      const remaining = task.events.filter((e) => !removed.has(e))
      if (onlyRedundantStarts(task, remaining, removed)) {
        removeInPlace(task.events, removed)
        continue
      }
      stale.add(task)
      this.tasks.delete(id)
      const first = remaining[0]
      if (first === undefined) {
        this.taskNumbers.release(task.no)
        continue
      }
      const rebuilt = new TaskState(id, first)
      rebuilt.no = task.no
      for (const e of remaining) rebuilt.apply(e, parseRecord(e))
      this.tasks.set(id, rebuilt)
    }
    if (stale.size === 0) return
    removeInPlace(this.tasksByStart, stale)
    for (const { taskId: id } of stale) {
      const task = this.tasks.get(id)
      if (task !== undefined) insertOrdered(this.tasksByStart, task)
    }
  }
}

/**
 * The pipeline shows only retained events (E78, E122 "no query shows a removed event"): when retention
 * removes one of an agent's pipeline events, its pipeline is recomputed from the ones left, exactly what
 * a restart computes from the retained lines.
 */
function rebuildPipeline(agent: AgentState): void {
  agent.pipeline.reset()
  for (const e of agent.events) if (isPipelineEvent(e)) agent.pipeline.apply(e, parseRecord(e).payload)
}

/**
 * True when the task lost only action_started events that are not its first event and whose action still
 * has another event: its E57 figures are then unchanged and only the event list needs trimming.
 */
function onlyRedundantStarts(
  task: TaskState,
  remaining: readonly EventRecord[],
  removed: ReadonlySet<EventRecord>,
): boolean {
  const kept = new Set<string>()
  for (const e of remaining) if (e.actionId !== null && e.eventType.startsWith('action_')) kept.add(e.actionId)
  for (const e of task.events) {
    if (!removed.has(e)) continue
    if (e.eventType !== 'action_started' || e.actionId === null || !kept.has(e.actionId)) return false
    if (e.ts === task.first.ts && e.seq === task.first.seq) return false
  }
  return true
}

/** Small integers for the namespace's tasks; a pruned task's number is reused. */
class TaskNumbers {
  private next = 0
  private readonly free: number[] = []

  take(): number {
    return this.free.pop() ?? this.next++
  }

  release(no: number): void {
    this.free.push(no)
  }
}
