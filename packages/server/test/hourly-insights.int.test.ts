import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../src/clock.js'
import { anEvent, startTestServer, type TestServer } from '../src/testing/index.js'
import { llm } from './analytics-fixture.js'

const NOW = Date.parse('2026-02-15T10:00:00.000Z')
const DAY = 86_400_000
const OLD = '2026-02-07T10:20:00.000Z' // 8 days back: TTL-pruned on the free plan
const today = (hhmm: string) => `2026-02-15T${hhmm}:00.000Z`

let srv: TestServer
let clock: ManualClock
beforeEach(async () => {
  clock = new ManualClock(NOW)
  srv = await startTestServer({ clock })
  await ingest(NOW - 8 * DAY, 'a1', [
    llm(
      { model: 'gpt-4o', name: 'plan', tokens_in: 100, tokens_out: 10, cost: 0.5, duration_ms: 200 },
      { timestamp: OLD },
    ),
    anEvent({
      event_type: 'action_failed',
      timestamp: OLD,
      payload: { action_name: 'fetch', exception_type: 'IOError' },
    }),
    anEvent({ event_type: 'task_completed', task_id: 'old', timestamp: OLD, duration_ms: 1000 }),
  ])
  await ingest(NOW, 'a2', [
    llm(
      { model: 'claude-sonnet-4', name: 'judge', tokens_in: 300, tokens_out: 20, cost: 0.25, duration_ms: 400 },
      { timestamp: today('09:30') },
    ),
    llm({ model: 'gpt-4o', name: 'plan', tokens_in: 50, tokens_out: 5, cost: 0.125 }, { timestamp: today('09:31') }),
    anEvent({ event_type: 'action_completed', timestamp: today('09:32'), payload: { action_name: 'fetch' } }),
    anEvent({
      event_type: 'task_failed',
      task_id: 'new',
      timestamp: today('09:33'),
      payload: { exception_type: 'Timeout' },
    }),
    anEvent({
      event_type: 'custom',
      timestamp: today('09:34'),
      payload: { kind: 'issue', summary: 'db down', data: { severity: 'high', category: 'connectivity' } },
    }),
  ])
  expect((await srv.running.app.services.retention.run()).ttl_pruned).toBe(3)
})
afterEach(async () => srv.close())

async function ingest(at: number, agent: string, events: unknown[]): Promise<void> {
  clock.set(at)
  const res = await srv.post('/v1/ingest', { envelope: { agent_id: agent }, events })
  expect(res.status, await res.clone().text()).toBe(200)
  clock.set(NOW)
}

async function getJson(path: string): Promise<Record<string, unknown>> {
  const res = await srv.get(path)
  expect(res.status, await res.clone().text()).toBe(200)
  return (await res.json()) as Record<string, unknown>
}

describe('GET /v1/insights/hourly (events.md E86, rollups only)', () => {
  it('when raw events were TTL-pruned, then the 30d insights still hold them, figure by figure', async () => {
    const body = await getJson('/v1/insights/hourly?range=30d')
    expect(body).toMatchObject({ range: '30d', metric: 'cost', first_hour: '2026-01-16T11:00:00.000Z', hours: 720 })
    expect(body['agents']).toEqual({
      ranking: [
        { agent_id: 'a1', cost: 0.5, tasks: 1, errors: 1, llm_calls: 1 },
        { agent_id: 'a2', cost: 0.375, tasks: 0, errors: 1, llm_calls: 2 },
      ],
      totals: { cost: 0.875, tasks: 1, errors: 2, llm_calls: 3 },
      cost: { max: 0.5, min: 0.375, avg: 0.4375 },
      tasks: { max: 1, min: 0, avg: 0.5 },
      errors: { max: 1, min: 1, avg: 1 },
      llm_calls: { max: 2, min: 1, avg: 1.5 },
    })
    expect(body['models']).toEqual([
      {
        model: 'gpt-4o',
        call_count: 2,
        tokens_in: 150,
        tokens_out: 15,
        cost: 0.625,
        avg_duration_ms: 200,
        max_tokens_in: 100,
        max_tokens_in_agent: 'a1',
        max_tokens_in_call: 'plan',
        agents_using: 2,
      },
      {
        model: 'claude-sonnet-4',
        call_count: 1,
        tokens_in: 300,
        tokens_out: 20,
        cost: 0.25,
        avg_duration_ms: 400,
        max_tokens_in: 300,
        max_tokens_in_agent: 'a2',
        max_tokens_in_call: 'judge',
        agents_using: 1,
      },
    ])
    const series = body['timeseries'] as { points: Array<{ timestamp: string; value: number }> }
    expect(series.points.filter((p) => p.value !== 0)).toEqual([
      { timestamp: '2026-02-07T10:00:00.000Z', value: 0.5 },
      { timestamp: '2026-02-15T09:00:00.000Z', value: 0.375 },
    ])
    expect(series).toMatchObject({
      total: 0.875,
      avg_per_hour: 0.001215, // 0.875 / 720
      peak: { timestamp: '2026-02-07T10:00:00.000Z', value: 0.5 },
      trough: { timestamp: '2026-01-16T11:00:00.000Z', value: 0 },
    })
    expect(body['errors']).toEqual({
      by_agent: [
        { agent_id: 'a1', count: 1 },
        { agent_id: 'a2', count: 1 },
      ],
      by_type: [
        { type: 'IOError', count: 1 },
        { type: 'Timeout', count: 1 },
      ],
      by_category: [{ category: 'connectivity', count: 1 }],
    })
    expect(body['prompts']).toEqual([
      { name: 'plan', count: 2 },
      { name: 'judge', count: 1 },
    ])
    const actions = body['actions'] as { by_hour: Array<{ completed: number; failed: number }> }
    expect(actions).toMatchObject({
      by_name: [{ name: 'fetch', count: 2 }],
      by_agent: [
        { agent_id: 'a1', completed: 0, failed: 1 },
        { agent_id: 'a2', completed: 1, failed: 0 },
      ],
    })
    expect(actions.by_hour.filter((h) => h.completed + h.failed > 0)).toEqual([
      { timestamp: '2026-02-07T10:00:00.000Z', completed: 0, failed: 1 },
      { timestamp: '2026-02-15T09:00:00.000Z', completed: 1, failed: 0 },
    ])
  })

  it('when filtered by agent and metric, then only that agent counts; 24h leaves the pruned day out', async () => {
    const body = await getJson('/v1/insights/hourly?range=24h&metric=llm_calls&agent_id=a2')
    expect(body['agents']).toMatchObject({ totals: { cost: 0.375, tasks: 0, errors: 1, llm_calls: 2 } })
    expect(body['timeseries']).toMatchObject({ total: 2, peak: { timestamp: '2026-02-15T09:00:00.000Z', value: 2 } })
    expect((body['models'] as Array<{ model: string }>).map((m) => m.model)).toEqual(['claude-sonnet-4', 'gpt-4o'])
    expect((await srv.get('/v1/insights/hourly?metric=latency')).status).toBe(400)
  })

  it('when the cost series reaches past retention, then retired hours come from rollups while /v1/cost stays raw', async () => {
    const series = await getJson('/v1/cost/timeseries?range=30d&interval=1d')
    const data = series['data'] as Array<{ timestamp: string; cost: number; call_count: number }>
    expect(data.filter((b) => b.call_count > 0)).toEqual([
      { timestamp: '2026-02-07T10:00:00.000Z', cost: 0.5, call_count: 1, tokens_in: 100, tokens_out: 10 },
      { timestamp: '2026-02-14T10:00:00.000Z', cost: 0.375, call_count: 2, tokens_in: 350, tokens_out: 25 },
    ])
    expect(await getJson('/v1/cost?range=30d')).toMatchObject({ total_cost: 0.375, call_count: 2 })
  })
})
