import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import type { Agent } from './agent.js'
import { currentActionId, currentTask, runInFrame, withAction } from './context.js'
import { emit, type Payload, type TaskFields } from './emit.js'
import { exceptionMessage, exceptionType } from './errors.js'
import { settleResult } from './settle.js'

export interface ActionContext {
  readonly actionId: string
  setPayload(payload: Payload): void
}

/** One action: started on construction, ended once by complete() or fail() (sdk.md §3.6). */
export class ActionHandle implements ActionContext {
  readonly actionId = randomUUID()
  private readonly parentActionId = currentActionId()
  private readonly task: TaskFields | undefined
  private readonly base: Payload
  private readonly startedAt = performance.now()
  private extra: Payload | undefined
  private done = false

  constructor(
    readonly agent: Agent,
    name: string,
    fnName?: string,
  ) {
    this.task = currentTask(agent)?.fields
    this.base = fnName === undefined ? { action_name: name } : { action_name: name, function: fnName }
    this.emit('action_started', undefined, this.base)
  }

  get ended(): boolean {
    return this.done
  }

  setPayload(payload: Payload): void {
    if (typeof payload === 'object' && payload !== null) this.extra = { ...this.extra, ...payload }
  }

  complete(payload?: Payload): void {
    if (this.done) return
    if (payload !== undefined) this.setPayload(payload)
    this.end('action_completed', 'success', this.base)
  }

  fail(error?: unknown, payload?: Payload): void {
    if (this.done) return
    if (payload !== undefined) this.setPayload(payload)
    const base: Payload = { ...this.base }
    if (error !== undefined) {
      base['exception_type'] = exceptionType(error)
      base['exception_message'] = exceptionMessage(error)
    }
    this.end('action_failed', 'failure', base)
  }

  /** Runs `fn` with this action current (child actions get it as parent_action_id). */
  run<T>(fn: () => T): T {
    return runInFrame(withAction(this.agent, this.actionId), fn)
  }

  private end(type: string, status: string, base: Payload): void {
    this.done = true
    const durationMs = Math.round(performance.now() - this.startedAt)
    this.emit(type, { status, durationMs }, this.extra === undefined ? base : { ...base, ...this.extra })
  }

  private emit(type: string, end: { status: string; durationMs: number } | undefined, payload: Payload): void {
    emit(this.agent, {
      type,
      task: this.task,
      actionId: this.actionId,
      parentActionId: this.parentActionId,
      status: end?.status,
      durationMs: end?.durationMs,
      payload,
    })
  }
}

/** Runs `body` as a tracked action; the host's errors are re-thrown unchanged. */
export function runAction<T>(
  agent: Agent,
  name: string,
  fnName: string | undefined,
  body: (ctx: ActionHandle) => T,
): T {
  const handle = new ActionHandle(agent, name, fnName)
  return handle.run(() =>
    settleResult(
      () => body(handle),
      () => handle.complete(),
      (error) => handle.fail(error),
    ),
  )
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a tracked function may have any `this` and parameters
export type AnyFn = (this: any, ...args: any[]) => any

/** `@agent.track("x")` (TC39 or legacy) or `agent.track("x")(fn)`. */
export interface TrackDecorator {
  <F extends AnyFn>(fn: F, context?: { kind: string; name: string | symbol }): F
  (target: object, key: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor
}

function className(self: unknown): string | undefined {
  try {
    if (typeof self === 'function') return (self as { name?: string }).name || undefined
    if (typeof self === 'object' && self !== null)
      return (self.constructor as { name?: string } | undefined)?.name || undefined
  } catch {
    // odd receivers: no class name
  }
  return undefined
}

/** A wrapper that keeps types, `this`, `length` and `name`. `resolve` finds the agent at call time. */
export function wrapTracked<F extends AnyFn>(
  resolve: () => Agent | undefined,
  name: string,
  fn: F,
  methodName?: string,
): F {
  const wrapped = function (this: unknown, ...args: Parameters<F>): unknown {
    const agent = resolve()
    if (agent === undefined) return fn.apply(this, args)
    const owner = methodName === undefined ? undefined : className(this)
    const fnName = methodName === undefined ? fn.name || '<anonymous>' : `${owner ?? '<anonymous>'}.${methodName}`
    return runAction(agent, name, fnName, (): unknown => fn.apply(this, args))
  }
  Object.defineProperty(wrapped, 'length', { value: fn.length })
  Object.defineProperty(wrapped, 'name', { value: fn.name })
  return wrapped as unknown as F
}

interface DecoratorContextLike {
  kind: string
  name: string | symbol
}

/**
 * A TC39 method decorator, a legacy `(target, key, descriptor)` decorator, or a plain `(fn)` wrapper.
 */
export function makeDecorator(resolve: () => Agent | undefined, name: string): TrackDecorator {
  return function decorate(value: unknown, context?: unknown, descriptor?: PropertyDescriptor): unknown {
    if (descriptor !== undefined && typeof descriptor.value === 'function') {
      descriptor.value = wrapTracked(resolve, name, descriptor.value as AnyFn, String(context as string | symbol))
      return descriptor
    }
    if (typeof value !== 'function') return value
    if (typeof context === 'object' && context !== null && 'kind' in context) {
      const ctx = context as DecoratorContextLike
      return wrapTracked(resolve, name, value as AnyFn, ctx.kind === 'method' ? String(ctx.name) : undefined)
    }
    return wrapTracked(resolve, name, value as AnyFn)
  } as TrackDecorator
}
