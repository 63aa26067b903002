import { HiveBoard, type HiveBoardOptions } from '../src/index.js'
import { captureLogger, TEST_KEY, type Captured } from './helpers.js'

export interface StubClient {
  hb: HiveBoard
  bodies: Array<{ envelope: Record<string, unknown>; events: Array<Record<string, unknown>> }>
  events(): Array<Record<string, unknown>>
  log: Captured
  calls: number
}

/** A client whose fetch answers 200 and records every body (no network). */
export function stubClient(options: Partial<HiveBoardOptions> = {}): StubClient {
  const log = captureLogger()
  const out: StubClient = {
    bodies: [],
    log,
    calls: 0,
    events: () => out.bodies.flatMap((b) => b.events),
    hb: undefined as unknown as HiveBoard,
  }
  out.hb = new HiveBoard({
    apiKey: TEST_KEY,
    endpoint: 'http://stub.invalid',
    logger: log.logger,
    fetch: (_url, init) => {
      out.calls++
      const body = JSON.parse(init.body as string) as StubClient['bodies'][number]
      out.bodies.push(body)
      return Promise.resolve(
        new Response(
          JSON.stringify({ accepted: body.events.length, rejected: 0, duplicates: 0, errors: [], warnings: [] }),
        ),
      )
    },
    ...options,
  })
  return out
}

/** Replaces random and measured values so events compare across runs (sdk.md §3.8). */
export function normalize(events: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  const ids = new Map<string, string>()
  const idOf = (v: unknown) => {
    const key = String(v)
    if (!ids.has(key)) ids.set(key, `id-${ids.size + 1}`)
    return ids.get(key)
  }
  return events.map((e) => {
    const out: Record<string, unknown> = { ...e }
    out['event_id'] = idOf(e['event_id'])
    out['timestamp'] = '<ts>'
    for (const k of ['action_id', 'parent_action_id', 'parent_event_id', 'task_run_id']) if (k in e) out[k] = idOf(e[k])
    if ('duration_ms' in e) out['duration_ms'] = '<ms>'
    const payload = e['payload'] as Record<string, unknown> | undefined
    if (payload !== undefined && 'function' in payload) out['payload'] = { ...payload, function: '<fn>' }
    return out
  })
}
