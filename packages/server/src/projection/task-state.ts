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
  private readonly firsts = new Map<
    'task_type' | 'task_run_id' | 'agent_id' | 'project_id' | 'environment',
    FirstValue
  >()
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
    this.noteFirst('task_type', event.task_type, record)
    this.noteFirst('task_run_id', event.task_run_id, record)
    this.noteFirst('agent_id', event.agent_id, record)
    this.noteFirst('project_id', event.project_id, record)
    this.noteFirst('environment', event.environment, record)
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

  private noteFirst(field: Parameters<TaskState['firstValue']>[0], value: string | null, record: EventRecord): void {
    if (value === null) return
    const known = this.firsts.get(field)
    if (known === undefined || isAfter(known, record)) this.firsts.set(field, { ts: record.ts, seq: record.seq, value })
  }

  firstValue(field: 'task_type' | 'task_run_id' | 'agent_id' | 'project_id' | 'environment'): string | null {
    return this.firsts.get(field)?.value ?? null
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
