import { createHash } from 'node:crypto'
import type { JsonObject } from '@hiveboard/shared'
import { isAfter, type Ordered } from './order.js'
import { payloadData, type EventRecord } from './stored-event.js'

export interface QueueSnapshot extends Ordered {
  data: Record<string, unknown>
  depth: number
  snapshotAt: number
}

export interface TodoState extends Ordered {
  todoId: string
  summary: string | null
  data: Record<string, unknown>
  createdAt: number
}

export interface IssueState extends Ordered {
  issueId: string
  summary: string | null
  severity: unknown
  category: unknown
  context: unknown
  action: string
  reportedCount: number
  occurrenceCount: number | null
  firstSeen: number
  lastSeen: number
}

export interface ScheduledState extends Ordered {
  items: unknown[]
}

const INACTIVE_TODO = new Set(['completed', 'dismissed'])
const INACTIVE_ISSUE = new Set(['resolved', 'dismissed'])

/** The issue key of events.md E82: `data.issue_id`, else a hash of the normalised summary. */
export function issueKey(data: Record<string, unknown>, summary: string | null): string {
  const id = data['issue_id']
  if (typeof id === 'string' && id !== '') return id
  const normalised = (summary ?? '').trim().toLowerCase().replace(/\s+/g, ' ')
  return 'h:' + createHash('sha256').update(normalised).digest('hex').slice(0, 16)
}

const PIPELINE_KINDS: ReadonlySet<string> = new Set(['queue_snapshot', 'scheduled', 'todo', 'issue'])

/** The events pipeline state is made of (E78). */
export function isPipelineEvent(record: Pick<EventRecord, 'eventType' | 'kind'>): boolean {
  return record.eventType === 'custom' && record.kind !== null && PIPELINE_KINDS.has(record.kind)
}

/** Per-agent pipeline state from queue_snapshot, todo, scheduled and issue events (events.md E78–E82). */
export class PipelineState {
  queue: QueueSnapshot | null = null
  scheduled: ScheduledState | null = null
  readonly todos = new Map<string, TodoState>()
  readonly issues = new Map<string, IssueState>()

  /** Forgets everything, before a rebuild from the agent's retained events. */
  reset(): void {
    this.queue = null
    this.scheduled = null
    this.todos.clear()
    this.issues.clear()
  }

  apply(record: EventRecord, payload: JsonObject | null): void {
    if (record.eventType !== 'custom' || record.kind === null) return
    const data = payloadData(payload) ?? {}
    const summary = payload !== null && typeof payload['summary'] === 'string' ? payload['summary'] : null
    switch (record.kind) {
      case 'queue_snapshot':
        if (isAfter(record, this.queue)) {
          const items = data['items']
          const depth = typeof data['depth'] === 'number' ? data['depth'] : Array.isArray(items) ? items.length : 0
          this.queue = { ts: record.ts, seq: record.seq, data, depth, snapshotAt: record.ts }
        }
        return
      case 'scheduled':
        if (isAfter(record, this.scheduled)) {
          const items = data['items']
          this.scheduled = { ts: record.ts, seq: record.seq, items: Array.isArray(items) ? items : [] }
        }
        return
      case 'todo':
        this.applyTodo(record, data, summary)
        return
      case 'issue':
        this.applyIssue(record, data, summary)
        return
      default:
        return
    }
  }

  private applyTodo(record: EventRecord, data: Record<string, unknown>, summary: string | null): void {
    const todoId = data['todo_id']
    if (typeof todoId !== 'string' || todoId === '') return
    const known = this.todos.get(todoId)
    const createdAt = Math.min(known?.createdAt ?? record.ts, record.ts)
    if (known === undefined || isAfter(record, known)) {
      this.todos.set(todoId, { ts: record.ts, seq: record.seq, todoId, summary, data, createdAt })
    } else known.createdAt = createdAt
  }

  private applyIssue(record: EventRecord, data: Record<string, unknown>, summary: string | null): void {
    const key = issueKey(data, summary)
    const action = typeof data['action'] === 'string' ? data['action'] : 'reported'
    const known = this.issues.get(key)
    const issue: IssueState = known ?? {
      ts: record.ts,
      seq: record.seq,
      issueId: key,
      summary,
      severity: null,
      category: null,
      context: null,
      action,
      reportedCount: 0,
      occurrenceCount: null,
      firstSeen: record.ts,
      lastSeen: record.ts,
    }
    if (action === 'reported') issue.reportedCount++
    issue.firstSeen = Math.min(issue.firstSeen, record.ts)
    issue.lastSeen = Math.max(issue.lastSeen, record.ts)
    if (known === undefined || isAfter(record, known)) {
      Object.assign(issue, { ts: record.ts, seq: record.seq, action, summary: summary ?? issue.summary })
      if (data['severity'] !== undefined && data['severity'] !== null) issue.severity = data['severity']
      if (data['category'] !== undefined && data['category'] !== null) issue.category = data['category']
      if (data['context'] !== undefined) issue.context = data['context']
      const occurrences = data['occurrence_count']
      if (typeof occurrences === 'number' && Number.isFinite(occurrences)) issue.occurrenceCount = occurrences
    }
    this.issues.set(key, issue)
  }

  activeIssueCount(): number {
    let n = 0
    for (const issue of this.issues.values()) if (!INACTIVE_ISSUE.has(issue.action)) n++
    return n
  }

  activeTodoCount(): number {
    let n = 0
    for (const todo of this.todos.values()) {
      const action = todo.data['action']
      if (typeof action !== 'string' || !INACTIVE_TODO.has(action)) n++
    }
    return n
  }

  static isActiveIssue(issue: IssueState): boolean {
    return !INACTIVE_ISSUE.has(issue.action)
  }

  static isActiveTodo(todo: TodoState): boolean {
    const action = todo.data['action']
    return typeof action !== 'string' || !INACTIVE_TODO.has(action)
  }
}
