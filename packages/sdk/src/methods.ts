import { llmCallSummary, planStepSummary, queueSnapshotSummary, scheduledSummary } from '@hiveboard/shared'
import type { Agent } from './agent.js'
import { defined, emit, kindPayload, type Payload, type TaskFields } from './emit.js'

export type Severity = 'debug' | 'info' | 'warn' | 'error'
export type IssueSeverity = 'critical' | 'high' | 'medium' | 'low' | (string & {})

export interface EventOptions {
  severity?: Severity | (string & {}) | undefined
  parentEventId?: string | undefined
}
export interface LlmCallOptions {
  tokensIn?: number | undefined
  tokensOut?: number | undefined
  cost?: number | undefined
  durationMs?: number | undefined
  promptPreview?: string | undefined
  responsePreview?: string | undefined
  metadata?: Payload | undefined
}
export interface PlanOptions {
  revision?: number | undefined
}
export interface PlanStepOptions {
  totalSteps?: number | undefined
  turns?: number | undefined
  tokens?: number | undefined
  planRevision?: number | undefined
}
export interface EscalateOptions {
  assignedTo?: string | undefined
  reason?: string | undefined
  parentEventId?: string | undefined
}
export interface ApprovalRequestOptions {
  approver?: string | undefined
  parentEventId?: string | undefined
}
export interface ApprovalReceivedOptions {
  approvedBy?: string | undefined
  decision?: string | undefined
  parentEventId?: string | undefined
}
export interface RetryOptions {
  attempt?: number | undefined
  backoffSeconds?: number | undefined
  parentEventId?: string | undefined
}
export interface QueueSnapshotOptions {
  oldestAgeSeconds?: number | undefined
  items?: unknown[] | undefined
  processing?: Payload | undefined
}
export interface TodoOptions {
  priority?: string | undefined
  source?: string | undefined
  context?: string | undefined
  dueBy?: string | undefined
}
export interface ReportIssueOptions {
  issueId?: string | undefined
  category?: string | undefined
  context?: Payload | undefined
  occurrenceCount?: number | undefined
}
export interface ScheduledItem {
  id?: string | undefined
  name?: string | undefined
  next_run?: string | null | undefined
  interval?: string | null | undefined
  enabled?: boolean | undefined
  last_status?: string | null | undefined
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

/** Event methods never throw (sdk.md §3.10): odd input that cannot be built is skipped with a debug line. */
function guardMethods(proto: object): void {
  const table = proto as Record<string, unknown>
  for (const name of Object.getOwnPropertyNames(proto)) {
    const original = table[name]
    if (name === 'constructor' || typeof original !== 'function') continue
    table[name] = function (this: { target(): { agent: Agent } }, ...args: unknown[]): unknown {
      try {
        return (original as (...a: unknown[]) => unknown).apply(this, args)
      } catch (error) {
        try {
          this.target().agent.client.log.debug(() => `${name}() skipped: ${String(error)}`)
        } catch {
          // nothing sensible to log
        }
        return undefined
      }
    }
  }
}
guardMethods(EventMethods.prototype)
