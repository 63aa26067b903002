import { llmCallSummary, planStepSummary, queueSnapshotSummary, scheduledSummary } from '@hiveboard/shared'
import type { Agent } from './agent.js'
import { defined, emit, kindPayload, type Payload, type TaskFields } from './emit.js'

export type Severity = 'debug' | 'info' | 'warn' | 'error'
export type IssueSeverity = 'critical' | 'high' | 'medium' | 'low' | (string & {})

export interface EventOptions {
  severity?: Severity | (string & {})
  parentEventId?: string
}
export interface LlmCallOptions {
  tokensIn?: number
  tokensOut?: number
  cost?: number
  durationMs?: number
  promptPreview?: string
  responsePreview?: string
  metadata?: Payload
}
export interface PlanOptions {
  revision?: number
}
export interface PlanStepOptions {
  totalSteps?: number
  turns?: number
  tokens?: number
  planRevision?: number
}
export interface EscalateOptions {
  assignedTo?: string
  reason?: string
  parentEventId?: string
}
export interface ApprovalRequestOptions {
  approver?: string
  parentEventId?: string
}
export interface ApprovalReceivedOptions {
  approvedBy?: string
  decision?: string
  parentEventId?: string
}
export interface RetryOptions {
  attempt?: number
  backoffSeconds?: number
  parentEventId?: string
}
export interface QueueSnapshotOptions {
  oldestAgeSeconds?: number
  items?: unknown[]
  processing?: Payload
}
export interface TodoOptions {
  priority?: string
  source?: string
  context?: string
  dueBy?: string
}
export interface ReportIssueOptions {
  issueId?: string
  category?: string
  context?: Payload
  occurrenceCount?: number
}
export interface ScheduledItem {
  id?: string
  name?: string
  next_run?: string | null
  interval?: string | null
  enabled?: boolean
  last_status?: string | null
  [key: string]: unknown
}

/** The event methods shared by Agent and Task (sdk.md §3.7). */
export abstract class EventMethods {
  private planSteps: number | undefined
  private planRevision = 0

  protected abstract target(): { agent: Agent; task: TaskFields | undefined; actionId: () => string | undefined }

  event(type: string, payload?: Payload | null, options: EventOptions = {}): void {
    const { agent, task } = this.target()
    emit(agent, { type, severity: options.severity, task, parentEventId: options.parentEventId, payload })
  }

  llmCall(name: string, model: string, o: LlmCallOptions = {}): void {
    const { agent, task, actionId } = this.target()
    const data = defined({
      name,
      model,
      tokens_in: o.tokensIn,
      tokens_out: o.tokensOut,
      cost: o.cost,
      duration_ms: o.durationMs,
      prompt_preview: o.promptPreview,
      response_preview: o.responsePreview,
      metadata: o.metadata,
    })
    const summary = llmCallSummary({ name, model, tokensIn: o.tokensIn, tokensOut: o.tokensOut, cost: o.cost })
    emit(agent, {
      type: 'custom',
      task,
      actionId: actionId(),
      payload: kindPayload('llm_call', summary, data, ['llm']),
    })
  }

  plan(goal: string, steps: string[], options: PlanOptions = {}): void {
    const { agent, task } = this.target()
    const revision = options.revision ?? 0
    const list = Array.isArray(steps) ? steps : []
    this.planSteps = list.length
    this.planRevision = revision
    const data = { goal, steps: list.map((description, index) => ({ index, description })), revision }
    emit(agent, { type: 'custom', task, payload: kindPayload('plan_created', goal, data, ['plan', 'created']) })
  }

  planStep(stepIndex: number, action: string, summary: string, o: PlanStepOptions = {}): void {
    const { agent, task } = this.target()
    const data: Payload = { step_index: stepIndex, total_steps: o.totalSteps ?? this.planSteps ?? null, action }
    if (o.turns != null) data['turns'] = o.turns
    if (o.tokens != null) data['tokens'] = o.tokens
    data['plan_revision'] = o.planRevision ?? this.planRevision
    const text = planStepSummary(stepIndex, action, summary)
    emit(agent, { type: 'custom', task, payload: kindPayload('plan_step', text, data, ['plan', `step_${action}`]) })
  }

  escalate(summary: string, o: EscalateOptions = {}): void {
    this.simple('escalated', summary, defined({ assigned_to: o.assignedTo, reason: o.reason }), o.parentEventId)
  }

  requestApproval(summary: string, o: ApprovalRequestOptions = {}): void {
    this.simple('approval_requested', summary, defined({ approver: o.approver }), o.parentEventId)
  }

  approvalReceived(summary: string, o: ApprovalReceivedOptions = {}): void {
    const data = defined({ decision: o.decision ?? 'approved', approved_by: o.approvedBy })
    this.simple('approval_received', summary, data, o.parentEventId)
  }

  retry(summary: string, o: RetryOptions = {}): void {
    this.simple(
      'retry_started',
      summary,
      defined({ attempt: o.attempt, backoff_seconds: o.backoffSeconds }),
      o.parentEventId,
    )
  }

  queueSnapshot(depth: number, o: QueueSnapshotOptions = {}): void {
    const data = defined({ depth, oldest_age_seconds: o.oldestAgeSeconds, items: o.items, processing: o.processing })
    const summary = queueSnapshotSummary(depth, o.oldestAgeSeconds)
    this.agentEvent(kindPayload('queue_snapshot', summary, data, ['queue']))
  }

  todo(todoId: string, action: string, summary: string, o: TodoOptions = {}): void {
    const data = defined({
      todo_id: todoId,
      action,
      priority: o.priority,
      source: o.source,
      context: o.context,
      due_by: o.dueBy,
    })
    this.agentEvent(kindPayload('todo', summary, data, ['todo', action]))
  }

  scheduled(items: ScheduledItem[]): void {
    const list = Array.isArray(items) ? items : []
    this.agentEvent(kindPayload('scheduled', scheduledSummary(list), { items: list }, ['scheduled']))
  }

  reportIssue(summary: string, severity: IssueSeverity, o: ReportIssueOptions = {}): void {
    const data = defined({
      severity,
      action: 'reported',
      issue_id: o.issueId,
      category: o.category,
      context: o.context,
      occurrence_count: o.occurrenceCount,
    })
    const tags = typeof o.category === 'string' && o.category !== '' ? ['issue', o.category] : ['issue']
    this.agentEvent(kindPayload('issue', summary, data, tags))
  }

  resolveIssue(summary: string, o: { issueId?: string } = {}): void {
    const data = defined({ severity: 'low', action: 'resolved', issue_id: o.issueId })
    this.agentEvent(kindPayload('issue', summary, data, ['issue', 'resolved']))
  }

  private simple(type: string, summary: string, data: Payload, parentEventId: string | undefined): void {
    const { agent, task } = this.target()
    const payload = kindPayload(undefined, summary, Object.keys(data).length > 0 ? data : undefined)
    emit(agent, { type, task, parentEventId, payload })
  }

  private agentEvent(payload: Payload): void {
    emit(this.target().agent, { type: 'custom', payload })
  }
}
