import { afterEach, describe, expect, it } from 'vitest'
import { HiveBoard, reset } from '../src/index.js'
import { TEST_KEY } from './helpers.js'

// The enqueue path writes an event's JSON by hand around its payload's JSON (README "Design notes"). It must be
// exactly what JSON.stringify of the event object would give: same escaping, same key order (sdk.md §5.2).

const clients: HiveBoard[] = []

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.shutdown({ timeoutMs: 0 })))
  await reset()
})

/** A client whose fetch keeps each raw request body. */
function rawClient(): { hb: HiveBoard; events: () => string[] } {
  const bodies: string[] = []
  const hb = new HiveBoard({
    apiKey: TEST_KEY,
    endpoint: 'http://stub.invalid',
    logger: false,
    flushIntervalMs: 60_000,
    fetch: (_url, init) => {
      bodies.push(init.body as string)
      return Promise.resolve(new Response('{"accepted":0,"rejected":0,"duplicates":0,"errors":[],"warnings":[]}'))
    },
  })
  clients.push(hb)
  // the body is {"envelope":…,"events":[e1,e2,…]} joined from each event's JSON as queued: split them back by parsing
  const events = (): string[] =>
    bodies.flatMap((body) => {
      const parsed = JSON.parse(body) as { events: unknown[] }
      const list = body.slice(body.indexOf('"events":[') + '"events":['.length, -2)
      const out: string[] = []
      let from = 0
      for (const event of parsed.events) {
        const length = JSON.stringify(event).length
        out.push(list.slice(from, from + length))
        from += length + 1
      }
      return out
    })
  return { hb, events }
}

const AWKWARD = 'q"uote \\ back\nline \u2028 sep \u{1F41D} bee \u0007 bell'

describe('event JSON built around the payload', () => {
  it('is byte for byte JSON.stringify of the event, with awkward strings in every field', async () => {
    const { hb, events } = rawClient()
    const agent = hb.agent('json-agent', { heartbeatIntervalMs: 0 })
    agent.task(AWKWARD, { project: AWKWARD, type: AWKWARD, taskRunId: AWKWARD, correlationId: AWKWARD }, (task) => {
      agent.track('step', () => task.llmCall(AWKWARD, 'model', { tokensIn: 1, tokensOut: 2, cost: 0.5 }))()
      task.event('custom', { kind: AWKWARD, summary: AWKWARD, data: { n: 1.5, nested: [null, true] } })
      task.retry(AWKWARD, { attempt: 2, parentEventId: AWKWARD })
    })
    agent.event('custom', { summary: 'no task' })
    await hb.flush()
    const raw = events()
    expect(raw.length).toBeGreaterThanOrEqual(8)
    for (const json of raw) expect(json).toBe(JSON.stringify(JSON.parse(json))) // escaping and order as stringify
    const llm = JSON.parse(raw.find((j) => j.includes('"llm_call"')) as string) as Record<string, unknown>
    expect(Object.keys(llm)).toEqual([
      'event_id',
      'timestamp',
      'event_type',
      'severity',
      'project_id',
      'task_id',
      'task_type',
      'task_run_id',
      'correlation_id',
      'action_id',
      'payload',
    ])
    expect(llm).toMatchObject({ project_id: AWKWARD, task_id: AWKWARD, correlation_id: AWKWARD })
    const completed = JSON.parse(raw.find((j) => j.includes('"task_completed"')) as string) as Record<string, unknown>
    expect(Object.keys(completed)).toContain('duration_ms')
    expect(typeof completed['duration_ms']).toBe('number')
  })
})
