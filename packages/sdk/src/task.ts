import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { codePointLength, taskSummary, truncateCodePoints } from '@hiveboard/shared'
import type { Agent } from './agent.js'
import { currentActionId, runInFrame, withTask } from './context.js'
import { emit, type Payload, type TaskFields } from './emit.js'
import { exceptionMessage, exceptionType } from './errors.js'
import { EventMethods } from './methods.js'

export interface TaskOptions {
  project?: string | undefined
  type?: string | undefined
  taskRunId?: string | undefined
  correlationId?: string | undefined
}

export interface TaskCompleteOptions {
  status?: string | undefined
  payload?: Payload | undefined
}

const MAX_ID = 256

/** One run of a unit of work. Events carry its task fields, even after it ended (sdk.md §3.4). */
export class Task extends EventMethods {
  readonly id: string
  readonly projectId: string | undefined
  readonly type: string | undefined
  readonly runId: string
  readonly correlationId: string | undefined
  readonly fields: TaskFields
  private startedAt: number | undefined
  private storedPayload: Payload | undefined
  private endedFlag = false

  constructor(
    readonly agent: Agent,
    id: string,
    options: TaskOptions = {},
  ) {
    super()
    let taskId = typeof id === 'string' ? id : String(id)
    if (codePointLength(taskId) > MAX_ID) {
      agent.client.log.warn(`task id over ${MAX_ID} code points truncated`, 'task-id-long')
      taskId = truncateCodePoints(taskId, MAX_ID)
    }
    this.id = taskId
    this.projectId = nonEmpty(options.project)
    this.type = nonEmpty(options.type)
    this.runId = nonEmpty(options.taskRunId) ?? randomUUID()
    this.correlationId = nonEmpty(options.correlationId)
    this.fields = {
      task_id: this.id,
      project_id: this.projectId,
      task_type: this.type,
      task_run_id: this.runId,
      correlation_id: this.correlationId,
    }
  }

  get ended(): boolean {
    return this.endedFlag
  }

  get started(): boolean {
    return this.startedAt !== undefined
  }

  protected target(): { agent: Agent; task: TaskFields; actionId: () => string | undefined } {
    return { agent: this.agent, task: this.fields, actionId: currentActionId }
  }

  /** Emits task_started once. */
  start(): this {
    if (this.startedAt !== undefined) return this
    this.startedAt = performance.now()
    emit(this.agent, { type: 'task_started', task: this.fields, payload: { summary: taskSummary(this.id, 'started') } })
    return this
  }

  setPayload(payload: Payload): this {
    if (typeof payload === 'object' && payload !== null) this.storedPayload = payload
    return this
  }

  complete(options: TaskCompleteOptions = {}): void {
    this.end(
      'task_completed',
      options.status ?? 'success',
      { summary: taskSummary(this.id, 'completed') },
      options.payload,
    )
  }

  fail(error?: unknown, options: { payload?: Payload } = {}): void {
    const payload: Payload = { summary: taskSummary(this.id, 'failed') }
    if (error !== undefined) {
      payload['exception_type'] = exceptionType(error)
      payload['exception_message'] = exceptionMessage(error)
    }
    this.end('task_failed', 'failure', payload, options.payload)
  }

  /** Makes this task current for `fn` without ending it. */
  run<T>(fn: () => T): T {
    return runInFrame(withTask(this), fn)
  }

  private end(type: string, status: string, base: Payload, given: Payload | undefined): void {
    if (this.endedFlag) return
    if (given !== undefined && given !== null && Object.keys(given).length > 0) this.storedPayload = given
    if (this.startedAt === undefined) this.start()
    this.endedFlag = true
    const durationMs = Math.round(performance.now() - (this.startedAt ?? performance.now()))
    const payload = this.storedPayload === undefined ? base : { ...base, ...this.storedPayload }
    emit(this.agent, { type, task: this.fields, status, durationMs, payload })
  }
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}
