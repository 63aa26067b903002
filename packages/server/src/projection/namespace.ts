import type { Partition } from '@hiveboard/shared'
import { Rollups } from '../analytics/rollups.js'
import { AgentState } from './agent-state.js'
import { compareOrdered, insertOrdered, upperBound, type Ordered } from './order.js'
import { removeInPlace } from './prune-rules.js'
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
}

/** In-memory indexes of one (tenant, partition), fed in seq order at start and after each durable append. */
export class Namespace implements NamespaceView {
  readonly events: EventRecord[] = []
  readonly agents = new Map<string, AgentState>()
  readonly tasks = new Map<string, TaskState>()
  readonly tasksByStart: TaskState[] = []
  readonly rollups = new Rollups()

  constructor(
    readonly tenantId: string,
    readonly partition: Partition,
  ) {}

  apply(record: EventRecord, event: StoredEvent): void {
    insertOrdered(this.events, record)
    let agent = this.agents.get(record.agentId)
    if (agent === undefined) {
      agent = new AgentState(record.agentId)
      this.agents.set(record.agentId, agent)
    }
    agent.apply(record, event)
    this.rollups.apply(record)
    if (record.taskId !== null) this.applyTask(record, event)
  }

  private applyTask(record: EventRecord, event: StoredEvent): void {
    const taskId = record.taskId as string
    const task = this.tasks.get(taskId)
    if (task === undefined) {
      const created = new TaskState(taskId, record)
      created.apply(record, event)
      this.tasks.set(taskId, created)
      insertOrdered(this.tasksByStart, created)
      return
    }
    const before: Ordered = task.first
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
    removeInPlace(this.events, removed)
    this.rollups.removeMany(removed)
    const agentIds = new Set<string>()
    const taskIds = new Set<string>()
    for (const e of removed) {
      agentIds.add(e.agentId)
      if (e.taskId !== null) taskIds.add(e.taskId)
    }
    for (const id of agentIds) {
      const agent = this.agents.get(id)
      if (agent !== undefined) removeInPlace(agent.events, removed)
    }
    const stale = new Set<TaskState>()
    for (const id of taskIds) {
      const task = this.tasks.get(id)
      if (task === undefined) continue
      stale.add(task)
      const remaining = task.events.filter((e) => !removed.has(e))
      this.tasks.delete(id)
      const first = remaining[0]
      if (first === undefined) continue
      const rebuilt = new TaskState(id, first)
      for (const e of remaining) rebuilt.apply(e, parseRecord(e))
      this.tasks.set(id, rebuilt)
    }
    if (stale.size === 0) return
    removeInPlace(this.tasksByStart, stale)
    for (const id of taskIds) {
      const task = this.tasks.get(id)
      if (task !== undefined) insertOrdered(this.tasksByStart, task)
    }
  }
}
