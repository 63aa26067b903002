import { codePointLength, registrationSummary } from '@hiveboard/shared'
import { ActionHandle, makeDecorator, runAction, wrapTracked, type AnyFn, type TrackDecorator } from './action.js'
import type { HiveBoard } from './client.js'
import { runInFrame, withTask } from './context.js'
import { emit, type TaskFields } from './emit.js'
import { HiveLoopError } from './errors.js'
import { Heartbeat, type Provider } from './heartbeat.js'
import { EventMethods } from './methods.js'
import { settleResult } from './settle.js'
import { Task, type TaskOptions } from './task.js'
import type { EnvelopeRef } from './transport/queue.js'
import { runtimeName, SDK_VERSION } from './version.js'

export interface AgentOptions {
  type?: string | undefined
  version?: string | undefined
  framework?: string | undefined
  heartbeatIntervalMs?: number | undefined
  stuckThresholdS?: number | undefined
  heartbeatPayload?: Provider | null | undefined
  queueProvider?: Provider | null | undefined
}

export function validateAgent(id: unknown, o: AgentOptions): void {
  if (typeof id !== 'string' || id === '' || codePointLength(id) > 256) {
    throw new HiveLoopError('agent id: must be a non-empty string of at most 256 code points')
  }
  for (const key of ['type', 'version', 'framework'] as const) {
    const v = o[key]
    if (v !== undefined && (typeof v !== 'string' || v === ''))
      throw new HiveLoopError(`${key}: must be a non-empty string`)
  }
  const hb = o.heartbeatIntervalMs
  if (hb !== undefined && (typeof hb !== 'number' || !Number.isFinite(hb) || (hb !== 0 && hb < 100))) {
    throw new HiveLoopError('heartbeatIntervalMs: must be 0 (off) or at least 100')
  }
  const st = o.stuckThresholdS
  if (st !== undefined && (typeof st !== 'number' || !(st >= 10 && st <= 86_400))) {
    throw new HiveLoopError('stuckThresholdS: must be between 10 and 86400')
  }
  for (const key of ['heartbeatPayload', 'queueProvider'] as const) {
    const v = o[key]
    if (v !== undefined && v !== null && typeof v !== 'function')
      throw new HiveLoopError(`${key}: must be a function or null`)
  }
}

/** An agent: registration, heartbeats, tasks, actions and every event method (sdk.md §3.3). */
export class Agent extends EventMethods {
  private meta: { type: string; version: string | null; framework: string }
  private env: EnvelopeRef
  private intervalMs = 30_000
  private stuckThresholdS = 300
  private readonly heartbeat = new Heartbeat(this)
  heartbeatPayload: Provider | undefined
  queueProvider: Provider | undefined

  constructor(
    readonly client: HiveBoard,
    readonly id: string,
    options: AgentOptions,
    inert = false,
  ) {
    super()
    this.meta = { type: 'general', version: null, framework: 'custom' }
    this.env = this.buildEnvelope()
    this.configure(options)
    if (inert) {
      this.heartbeat.stop()
      return
    }
    const data = {
      type: this.meta.type,
      version: this.meta.version,
      framework: this.meta.framework,
      stuck_threshold: this.stuckThresholdS,
    }
    emit(this, { type: 'agent_registered', payload: { summary: registrationSummary(id), data } })
    this.heartbeat.start(this.intervalMs)
  }

  get type(): string {
    return this.meta.type
  }
  get version(): string | undefined {
    return this.meta.version ?? undefined
  }
  get framework(): string {
    return this.meta.framework
  }
  /** The current serialized envelope (one object per metadata revision). */
  get envelope(): EnvelopeRef {
    return this.env
  }

  /** Applies given options over the current ones; returns whether the heartbeat interval changed. */
  configure(o: AgentOptions): boolean {
    const meta = {
      type: o.type ?? this.meta.type,
      version: o.version ?? this.meta.version,
      framework: o.framework ?? this.meta.framework,
    }
    if (meta.type !== this.meta.type || meta.version !== this.meta.version || meta.framework !== this.meta.framework) {
      this.meta = meta
      this.env = this.buildEnvelope()
    }
    if (o.stuckThresholdS !== undefined) this.stuckThresholdS = o.stuckThresholdS
    if (o.heartbeatPayload !== undefined) this.heartbeatPayload = o.heartbeatPayload ?? undefined
    if (o.queueProvider !== undefined) this.queueProvider = o.queueProvider ?? undefined
    const changed = o.heartbeatIntervalMs !== undefined && o.heartbeatIntervalMs !== this.intervalMs
    if (o.heartbeatIntervalMs !== undefined) this.intervalMs = o.heartbeatIntervalMs
    return changed
  }

  /** Re-applies options on a repeat `client.agent()` call. */
  update(o: AgentOptions): void {
    if (this.configure(o)) this.heartbeat.start(this.intervalMs)
  }

  stopHeartbeat(): void {
    this.heartbeat.stop()
  }

  protected target(): { agent: Agent; task: TaskFields | undefined; actionId: () => string | undefined } {
    return { agent: this, task: undefined, actionId: () => undefined }
  }

  /** Callback form runs `fn` as the current task; without `fn` returns an unstarted handle. */
  task<T>(id: string, fn: (task: Task) => T): T
  task<T>(id: string, options: TaskOptions | undefined, fn: (task: Task) => T): T
  task(id: string, options?: TaskOptions): Task
  task<T>(id: string, a?: TaskOptions | ((task: Task) => T), b?: (task: Task) => T): T | Task {
    const fn = typeof a === 'function' ? a : b
    const task = new Task(this, id, typeof a === 'function' ? {} : a)
    if (fn === undefined) return task
    task.start()
    return runInFrame(withTask(task), () =>
      settleResult(
        () => fn(task),
        () => task.complete(),
        (error) => task.fail(error),
      ),
    )
  }

  startTask(id: string, options?: TaskOptions): Task {
    return new Task(this, id, options).start()
  }

  track<F extends AnyFn>(name: string, fn: F): F
  track(name: string): TrackDecorator
  track<F extends AnyFn>(name: string, fn?: F): F | TrackDecorator {
    if (fn === undefined) return makeDecorator(() => this, name)
    return wrapTracked(() => this, name, fn)
  }

  trackContext<T>(name: string, fn: (ctx: ActionHandle) => T): T {
    return runAction(this, name, undefined, fn)
  }

  startAction(name: string): ActionHandle {
    return new ActionHandle(this, name)
  }

  private buildEnvelope(): EnvelopeRef {
    const c = this.client
    const json = JSON.stringify({
      agent_id: this.id,
      agent_type: this.meta.type,
      agent_version: this.meta.version,
      framework: this.meta.framework,
      runtime: runtimeName(),
      sdk_version: SDK_VERSION,
      environment: c.environment,
      group: c.group,
    })
    return { json, agentId: this.id }
  }
}
