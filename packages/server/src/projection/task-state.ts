import type { TaskStatus } from '@hiveboard/shared'
import { insertOrdered, isAfter, type Ordered } from './order.js'
import type { EventRecord, StoredEvent } from './stored-event.js'

interface FirstValue extends Ordered {
  value: string
}

/** One task: every event of the namespace sharing a task_id, all runs merged (events.md E55–E58). */
export class TaskState {
  readonly events: EventRecord[] = []
  /** Its number in the namespace (see EventRecord.taskNo); −1 for a summary outside any namespace. */
  no = -1
  /** Canonical position of the task's first event (its started_at). */
  first: Ordered
  /** task_type is not on the records; the other first values are read from `events` (E55). */
  private firstTaskType: FirstValue | null = null
  completedCount = 0
  failedCount = 0
  escalations = 0
  approvalsRequested = 0
  approvalsReceived = 0
  errorCount = 0
  readonly actionIds = new Set<string>()
  latestTerminal: (Ordered & { durationMs: number | null }) | null = null
  totalCost = 0
  pricedCalls = 0
  llmCallCount = 0
  tokensIn = 0
  tokensOut = 0

  constructor(
    readonly taskId: string,
    first: EventRecord,
  ) {
    this.first = { ts: first.ts, seq: first.seq }
  }

  /** Position of the task in start order (its first event), so task lists sort canonically. */
  get ts(): number {
    return this.first.ts
  }
  get seq(): number {
    return this.first.seq
  }

  apply(record: EventRecord, event: StoredEvent): void {
    insertOrdered(this.events, record)
    if (!isAfter(record, this.first)) this.first = { ts: record.ts, seq: record.seq }
    if (event.task_type !== null && (this.firstTaskType === null || isAfter(this.firstTaskType, record))) {
      this.firstTaskType = { ts: record.ts, seq: record.seq, value: event.task_type }
    }
    switch (record.eventType) {
      case 'task_completed':
      case 'task_failed':
        if (record.eventType === 'task_completed') this.completedCount++
        else {
          this.failedCount++
          this.errorCount++
        }
        if (isAfter(record, this.latestTerminal)) {
          this.latestTerminal = { ts: record.ts, seq: record.seq, durationMs: record.durationMs }
        }
        break
      case 'action_failed':
        this.errorCount++
        break
      case 'escalated':
        this.escalations++
        break
      case 'approval_requested':
        this.approvalsRequested++
        break
      case 'approval_received':
        this.approvalsReceived++
        break
      default:
        break
    }
    if (record.actionId !== null && record.eventType.startsWith('action_')) this.actionIds.add(record.actionId)
    if (record.llm !== null) {
      this.llmCallCount++
      this.tokensIn += record.llm.tokensIn
      this.tokensOut += record.llm.tokensOut
      if (record.llm.cost !== null) {
        this.totalCost += record.llm.cost
        this.pricedCalls++
      }
    }
  }

  /**
   * The value of the canonically first event that has one. Records carry every field but task_type, and
   * the first event nearly always has them, so reading `events` saves a map per task (~100k tasks at 1M events).
   */
  firstValue(field: 'task_type' | 'task_run_id' | 'agent_id' | 'project_id' | 'environment'): string | null {
    if (field === 'task_type') return this.firstTaskType?.value ?? null
    for (const record of this.events) {
      const value =
        field === 'agent_id'
          ? record.agentId
          : field === 'environment'
            ? record.environment
            : field === 'project_id'
              ? record.projectId
              : record.taskRunId
      if (value !== null) return value
    }
    return null
  }

  /** E56, first match. */
  status(): TaskStatus {
    if (this.completedCount > 0) return 'completed'
    if (this.failedCount > 0) return 'failed'
    if (this.escalations > 0) return 'escalated'
    if (this.approvalsRequested > this.approvalsReceived) return 'waiting'
    return 'processing'
  }

  /** E58: the latest terminal event's duration, else completed_at − started_at, else null. */
  durationMs(): number | null {
    if (this.latestTerminal === null) return null
    return this.latestTerminal.durationMs ?? this.latestTerminal.ts - this.first.ts
  }
}
