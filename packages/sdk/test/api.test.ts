import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  currentActionId,
  currentAgent,
  currentTask,
  flush,
  getClient,
  HiveLoopError,
  init,
  reset,
  shutdown,
  toolPayload,
  track,
} from '../src/index.js'
import { captureLogger, TEST_KEY } from './helpers.js'
import { stubClient } from './stub.js'

afterEach(async () => {
  await reset()
})

const opts = (extra: Record<string, unknown> = {}) => ({
  apiKey: TEST_KEY,
  endpoint: 'http://127.0.0.1:1',
  logger: captureLogger().logger,
  ...extra,
})

describe('init and the singleton', () => {
  it('checks the key first, even when a client exists', () => {
    init(opts())
    expect(() => init({ apiKey: 'sk_live_123456789' })).toThrow(
      "Invalid API key format: must start with 'hb_' (got 'sk_live_12...')",
    )
    expect(() => init({ apiKey: 'hb_read_abcdef' })).toThrow(HiveLoopError)
  })

  it('validates options, naming the option', () => {
    expect(() => init(opts({ flushIntervalMs: 5 }))).toThrow(/flushIntervalMs/)
    expect(() => init(opts({ maxRetries: 11 }))).toThrow(/maxRetries/)
    expect(() => init(opts({ environment: '' }))).toThrow(/environment/)
    expect(() => init(opts({ maxQueueBytes: 1000 }))).toThrow(/maxQueueBytes/)
    expect(() => init(opts({ compression: 'br' }))).toThrow(/compression/)
  })

  it('clamps batchSize above 500 with a warning', () => {
    const log = captureLogger()
    const hb = init(opts({ batchSize: 900, logger: log.logger }))
    expect(hb.options.batchSize).toBe(500)
    expect(log.text('warn')).toContain('batchSize')
  })

  it('repeat init returns the live client, with one warning when options differ', () => {
    const log = captureLogger()
    const o = opts({ logger: log.logger })
    const a = init(o)
    expect(init(o)).toBe(a)
    expect(init({ ...o, environment: 'staging' })).toBe(a)
    expect(log.text('warn')).toContain('call reset() first')
    expect(getClient()).toBe(a)
  })

  it('shutdown clears the slot at once; a later init builds a fresh client', async () => {
    const a = init(opts())
    const closing = shutdown({ timeoutMs: 0 })
    expect(getClient()).toBeUndefined()
    await closing
    const b = init(opts())
    expect(b).not.toBe(a)
    expect(await flush()).toMatchObject({ timedOut: false })
  })

  it('reset() removes all SDK state from globalThis', async () => {
    init(opts())
    const key = Symbol.for('loophive.state.v1')
    expect((globalThis as Record<symbol, unknown>)[key]).toBeDefined()
    await reset()
    expect((globalThis as Record<symbol, unknown>)[key]).toBeUndefined()
    expect(getClient()).toBeUndefined()
  })

  it('flush and shutdown without a client resolve at once', async () => {
    expect(await flush()).toEqual({ sent: 0, rejected: 0, dropped: 0, pending: 0, timedOut: false })
    expect(await shutdown()).toEqual({ sent: 0, dropped: 0, timedOut: false })
  })

  it('rejects bad agent ids and options', () => {
    const hb = init(opts())
    expect(() => hb.agent('')).toThrow(HiveLoopError)
    expect(() => hb.agent('x'.repeat(257))).toThrow(HiveLoopError)
    expect(() => hb.agent('a', { heartbeatIntervalMs: 50 })).toThrow(/heartbeatIntervalMs/)
    expect(() => hb.agent('a', { stuckThresholdS: 5 })).toThrow(/stuckThresholdS/)
  })
})

describe('tasks', () => {
  it('the same promise object is returned and the task ends before awaiting code resumes', async () => {
    const s = stubClient()
    const agent = s.hb.agent('p', { heartbeatIntervalMs: 0 })
    const inner = Promise.resolve(42)
    const returned = agent.task('t', () => inner)
    expect(returned).toBe(inner)
    await returned
    expect(s.hb.stats().enqueued).toBe(3)
  })

  it('sync return and sync throw', async () => {
    const s = stubClient()
    const agent = s.hb.agent('p2', { heartbeatIntervalMs: 0 })
    expect(agent.task('ok', () => 'v')).toBe('v')
    const err = new Error('sync')
    expect(() =>
      agent.task('bad', () => {
        throw err
      }),
    ).toThrow(err)
    await s.hb.shutdown()
    expect(s.events().map((e) => e['event_type'])).toEqual([
      'agent_registered',
      'task_started',
      'task_completed',
      'task_started',
      'task_failed',
    ])
  })

  it('complete() inside fn ends early; the automatic end is skipped', async () => {
    const s = stubClient()
    const agent = s.hb.agent('p3', { heartbeatIntervalMs: 0 })
    await agent.task('early', async (task) => {
      task.complete({ status: 'partial', payload: { done: 1 } })
      await Promise.resolve()
    })
    await s.hb.shutdown()
    const ends = s.events().filter((e) => e['event_type'] === 'task_completed')
    expect(ends).toHaveLength(1)
    expect(ends[0]).toMatchObject({ status: 'partial', payload: { summary: 'Task early completed', done: 1 } })
  })

  it('ending a never-started handle emits task_started first with duration 0; long ids truncated', async () => {
    const s = stubClient()
    const agent = s.hb.agent('p4', { heartbeatIntervalMs: 0 })
    const task = agent.task('x'.repeat(300))
    expect(task.id).toHaveLength(256)
    task.fail()
    task.complete()
    expect(task.ended).toBe(true)
    await s.hb.shutdown()
    const [, started, failed] = s.events()
    expect(started!['event_type']).toBe('task_started')
    expect(failed).toMatchObject({
      event_type: 'task_failed',
      duration_ms: 0,
      payload: { summary: expect.stringMatching(/failed$/) },
    })
    expect(s.events()).toHaveLength(3)
    expect(s.log.text('warn')).toContain('task id')
  })

  it('nested tasks restore the outer task; manual handles bind nothing outside run()', async () => {
    const s = stubClient()
    const agent = s.hb.agent('p5', { heartbeatIntervalMs: 0 })
    const manual = agent.startTask('manual')
    expect(currentTask()).toBeUndefined()
    manual.run(() => expect(currentTask(agent)).toBe(manual))
    await agent.task('outer', async (outer) => {
      await agent.task('inner', async () => {
        await Promise.resolve()
        expect(currentTask(agent)?.id).toBe('inner')
      })
      expect(currentTask(agent)).toBe(outer)
      expect(currentAgent()).toBe(agent)
    })
    expect(currentTask()).toBeUndefined()
  })
})

describe('actions', () => {
  it('the wrapper keeps this, length and name; parent_action_id nests', async () => {
    const s = stubClient()
    const agent = s.hb.agent('act', { heartbeatIntervalMs: 0 })
    const inner = agent.track('inner', () => currentActionId())
    const obj = {
      factor: 3,
      times: agent.track('times', function times(this: { factor: number }, a: number, _b?: number) {
        return [a * this.factor, inner()] as const
      }),
    }
    expect(obj.times.name).toBe('times')
    expect(obj.times.length).toBe(2)
    const [value, innerId] = obj.times(2)
    expect(value).toBe(6)
    await s.hb.shutdown()
    const started = s.events().filter((e) => e['event_type'] === 'action_started')
    expect(started[1]!['action_id']).toBe(innerId)
    expect(started[1]!['parent_action_id']).toBe(started[0]!['action_id'])
    expect(started[0]!['payload']).toEqual({ action_name: 'times', function: 'times' })
  })

  it('failures add exception fields and re-throw unchanged; async rejections too', async () => {
    const s = stubClient()
    const agent = s.hb.agent('act2', { heartbeatIntervalMs: 0 })
    class MyError extends Error {}
    const named = new Error('n')
    named.name = 'CustomName'
    const f = agent.track('f', (e: unknown) => {
      throw e
    })
    const g = agent.track('g', async (e: unknown) => {
      await Promise.resolve()
      throw e
    })
    expect(() => f(new MyError('m'))).toThrow(MyError)
    expect(() => f(named)).toThrow(named)
    expect(() => f(null)).toThrow()
    await expect(g(7)).rejects.toBe(7)
    await s.hb.shutdown()
    const failed = s.events().filter((e) => e['event_type'] === 'action_failed') as any[]
    expect(failed.map((e) => [e.payload.exception_type, e.payload.exception_message])).toEqual([
      ['MyError', 'm'],
      ['CustomName', 'n'],
      ['null', 'null'],
      ['number', '7'],
    ])
    expect(failed.every((e) => e.status === 'failure' && e.severity === 'error')).toBe(true)
  })

  it('decorators: TC39 form, legacy form and module-level track', async () => {
    const s = stubClient()
    const agent = s.hb.agent('deco', { heartbeatIntervalMs: 0 })
    class Worker {
      run(x: number) {
        return x + 1
      }
    }
    const run = Object.getOwnPropertyDescriptor(Worker.prototype, 'run')!.value as (this: Worker, x: number) => number
    const tc39 = agent.track('tc39')(run, { kind: 'method', name: 'run' })
    expect(tc39.call(new Worker(), 1)).toBe(2)
    const descriptor = Object.getOwnPropertyDescriptor(Worker.prototype, 'run')!
    agent.track('legacy')(Worker.prototype, 'run', descriptor)
    expect((descriptor.value as (this: Worker, x: number) => number).call(new Worker(), 1)).toBe(2)
    const untracked = track('mod')((x: number) => x * 2)
    expect(untracked(2)).toBe(4)
    agent.task('t', () => untracked(3))
    const byId = track('by-id', { agent: agent })((x: number) => x)
    byId(1)
    await s.hb.shutdown()
    const started = s.events().filter((e) => e['event_type'] === 'action_started') as any[]
    expect(started.map((e) => [e.payload.action_name, e.payload.function])).toEqual([
      ['tc39', 'Worker.run'],
      ['legacy', 'Worker.run'],
      ['mod', '<anonymous>'],
      ['by-id', '<anonymous>'],
    ])
  })

  it('generators count as sync; startAction ends once', async () => {
    const s = stubClient()
    const agent = s.hb.agent('gen', { heartbeatIntervalMs: 0 })
    const gen = agent.track('gen', function* () {
      yield 1
    })
    expect([...gen()]).toEqual([1])
    const h = agent.startAction('h')
    h.complete({ ok: true })
    h.fail(new Error('late'))
    await s.hb.shutdown()
    const types = s.events().map((e) => e['event_type'])
    expect(types).toEqual([
      'agent_registered',
      'action_started',
      'action_completed',
      'action_started',
      'action_completed',
    ])
  })
})

describe('toolPayload', () => {
  it('follows sdk.md §3.9', () => {
    expect(toolPayload()).toEqual({ success: true })
    expect(toolPayload({ args: 42, result: 0, success: false, error: 'e', durationMs: 5, httpStatus: 500 })).toEqual({
      success: false,
      args: 42,
      result: '0',
      error: 'e',
      duration_ms: 5,
      http_status: 500,
    })
    expect(toolPayload({ args: {} })).toEqual({ success: true, args: {} })
    expect(toolPayload({ args: 'x'.repeat(600), result: 'y'.repeat(2000) })).toMatchObject({
      args: 'x'.repeat(500),
      result: 'y'.repeat(1000),
    })
    expect(toolPayload({ result: false, resultMaxLen: 3 })).toEqual({ success: true, result: 'fal' })
  })
})

describe('heartbeats', () => {
  it('sends heartbeats with payload and queue snapshots; failures only warn', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
    try {
      const s = stubClient()
      let n = 0
      const agent = s.hb.agent('hb', {
        heartbeatIntervalMs: 1000,
        heartbeatPayload: () => ({ kind: 'heartbeat_status', summary: 'ok', data: { n: ++n } }),
        queueProvider: () => Promise.resolve({ depth: 4, oldest_age_seconds: 9 }),
      })
      await vi.advanceTimersByTimeAsync(1000)
      agent.update({ heartbeatPayload: () => 'nope', queueProvider: () => Promise.reject(new Error('down')) })
      await vi.advanceTimersByTimeAsync(1000)
      agent.update({ heartbeatPayload: null, queueProvider: null })
      await vi.advanceTimersByTimeAsync(1000)
      vi.useRealTimers()
      await s.hb.shutdown()
      const events = s.events().slice(1) as any[]
      expect(events.map((e) => [e.event_type, e.severity, e.payload?.summary])).toEqual([
        ['heartbeat', 'debug', 'ok'],
        ['custom', 'debug', 'Queue: 4 items, oldest 9s'],
        ['heartbeat', 'debug', undefined],
        ['heartbeat', 'debug', undefined],
      ])
      expect(events[1].payload).toEqual({
        kind: 'queue_snapshot',
        summary: 'Queue: 4 items, oldest 9s',
        data: { depth: 4, oldest_age_seconds: 9 },
        tags: ['queue'],
      })
      expect(s.log.text('warn')).toContain('heartbeatPayload returned a non-object')
      expect(s.log.text('warn')).toContain('queueProvider threw')
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('error policy', () => {
  it('event methods never throw on odd input', async () => {
    const s = stubClient()
    const agent = s.hb.agent('odd', { heartbeatIntervalMs: 0 })
    const sym = Symbol('x') as unknown as number
    expect(() => agent.planStep(sym, 'started', 'x')).not.toThrow()
    expect(() => agent.llmCall('n', 'm', null as unknown as undefined)).not.toThrow()
    expect(() => agent.scheduled(null as unknown as [])).not.toThrow()
    expect(() => agent.queueSnapshot(1, { items: [1n] as unknown[] })).not.toThrow()
    await s.hb.shutdown()
    expect(s.events().some((e: any) => e.payload?.summary === '0 scheduled items')).toBe(true)
  })
})
