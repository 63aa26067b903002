import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ManualClock } from '../src/clock.js'
import { startTestServer, type TestServer } from '../src/testing/index.js'
import { ingestFixture, llm } from './analytics-fixture.js'

interface Json {
  [key: string]: unknown
}

let srv: TestServer
const json = async (path: string): Promise<Json> => {
  const res = await srv.get(path)
  expect(res.status, await res.clone().text()).toBe(200)
  return (await res.json()) as Json
}

beforeEach(async () => {
  srv = await startTestServer()
  await ingestFixture(srv)
})
afterEach(async () => srv.close())

describe('GET /v1/cost', () => {
  it('when calls are reported and estimated, then totals and breakdowns match the hand computation', async () => {
    const body = await json('/v1/cost')
    expect(body).toMatchObject({
      range: '24h',
      total_cost: 0.53635,
      call_count: 4,
      total_tokens_in: 2310,
      total_tokens_out: 910,
      reported_cost: 0.52,
      estimated_cost: 0.01635,
    })
    expect(body['by_agent']).toEqual([
      {
        agent_id: 'a1',
        cost: 0.5075,
        call_count: 2,
        tokens_in: 1010,
        tokens_out: 510,
        reported_cost: 0.5,
        estimated_cost: 0.0075,
      },
      {
        agent_id: 'a2',
        cost: 0.02885,
        call_count: 2,
        tokens_in: 1300,
        tokens_out: 400,
        reported_cost: 0.02,
        estimated_cost: 0.00885,
      },
    ])
    expect((body['by_model'] as Json[]).map((m) => [m['model'], m['cost'], m['call_count']])).toEqual([
      ['gpt-4o', 0.5075, 2],
      ['claude-sonnet-4-20250514', 0.02, 1],
      ['claude-sonnet-4', 0.00885, 1],
    ])
    expect((body['by_project'] as Json[]).reduce((s, p) => s + (p['call_count'] as number), 0)).toBe(4)
  })

  it('when filtered by agent or narrowed to 1h, then only those calls count', async () => {
    expect((await json('/v1/cost?agent_id=a2'))['total_cost']).toBe(0.02885)
    expect((await json('/v1/cost?range=1h'))['total_cost']).toBe(0.03635)
    expect((await json('/v1/cost?model=gpt-4o'))['call_count']).toBe(2)
  })

  it('when range or interval is invalid, then 400', async () => {
    expect((await srv.get('/v1/cost?range=2h')).status).toBe(400)
    expect((await srv.get('/v1/cost/timeseries?range=1h&interval=1d')).status).toBe(400)
    expect((await srv.get('/v1/cost/timeseries?range=30d&interval=1m')).status).toBe(400)
  })
})

describe('GET /v1/cost/timeseries', () => {
  it('when 24h/1h, then 24 buckets start at now − 24h and the last holds the last hour', async () => {
    const body = await json('/v1/cost/timeseries')
    const data = body['data'] as Json[]
    expect(body['interval']).toBe('1h')
    expect(data).toHaveLength(24)
    expect(data[0]?.['timestamp']).toBe('2026-02-14T10:00:00.000Z')
    expect(data[22]).toEqual({
      timestamp: '2026-02-15T08:00:00.000Z',
      cost: 0.5,
      call_count: 1,
      tokens_in: 10,
      tokens_out: 10,
    })
    expect(data[23]).toEqual({
      timestamp: '2026-02-15T09:00:00.000Z',
      cost: 0.03635,
      call_count: 3,
      tokens_in: 2300,
      tokens_out: 900,
    })
  })

  it('when each range uses its default interval, then the bucket count and first start follow api.md §1.5', async () => {
    const cases: Array<[string, number, string]> = [
      ['1h', 12, '2026-02-15T09:00:00.000Z'],
      ['6h', 24, '2026-02-15T04:00:00.000Z'],
      ['7d', 28, '2026-02-08T10:00:00.000Z'],
      ['30d', 30, '2026-01-16T10:00:00.000Z'],
    ]
    for (const [range, count, first] of cases) {
      const data = (await json(`/v1/cost/timeseries?range=${range}`))['data'] as Json[]
      expect(data).toHaveLength(count)
      expect(data[0]?.['timestamp']).toBe(first)
      expect(data.reduce((s, b) => s + (b['call_count'] as number), 0)).toBe(range === '1h' ? 3 : 4)
    }
  })

  it('when now is not on a boundary, then buckets are not clock-aligned', async () => {
    ;(srv.clock as ManualClock).advance(90_000)
    const data = (await json('/v1/cost/timeseries?range=1h&interval=5m'))['data'] as Json[]
    expect(data[0]?.['timestamp']).toBe('2026-02-15T09:01:30.000Z')
    // 09:12 → [09:11:30, 09:16:30) = 2; 09:41 → [09:36:30, 09:41:30) = 7; 09:55 → [09:51:30, 09:56:30) = 10.
    expect(data.map((b) => b['call_count'])).toEqual([0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0])
  })
})

describe('GET /v1/metrics', () => {
  it('when the last hour has 3 tasks, then summary figures match E67–E70', async () => {
    const body = await json('/v1/metrics')
    expect(body['summary']).toEqual({
      total_tasks: 3,
      completed: 2,
      failed: 1,
      escalated: 0,
      stuck: 0,
      success_rate: 66.7,
      error_rate: 40,
      avg_duration_ms: 2000,
      p50_duration_ms: 1000,
      p95_duration_ms: 3000,
      throughput_per_hour: 2,
      total_cost: 0.03635,
      avg_cost_per_task: 0.018175,
      llm_call_count: 3,
      total_tokens_in: 2300,
      total_tokens_out: 900,
    })
    expect(body['groups']).toBeNull()
  })

  it('when bucketed by 5m, then tasks land in the bucket of their terminal event', async () => {
    const series = (await json('/v1/metrics'))['timeseries'] as Json[]
    expect(series).toHaveLength(12)
    expect(series.map((b) => b['tasks_completed'])).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0])
    expect(series.map((b) => b['tasks_failed'])).toEqual([0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0])
    expect(series.map((b) => b['error_count'])).toEqual([0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0])
    expect(series[3]).toMatchObject({ success_rate: 100, avg_duration_ms: 1000, throughput: 1 })
    expect(series[6]).toMatchObject({ success_rate: 0, avg_duration_ms: null })
    expect(series[0]).toMatchObject({ success_rate: null, cost: 0 })
    expect(series[11]).toMatchObject({ cost: 0.00885, llm_call_count: 1, tokens_in: 1200 })
  })

  it('when grouped by agent or model, then rows are sorted by cost desc', async () => {
    expect((await json('/v1/metrics?group_by=agent'))['groups']).toEqual([
      {
        agent_id: 'a2',
        tasks_completed: 1,
        tasks_failed: 0,
        success_rate: 100,
        total_cost: 0.02885,
        llm_call_count: 2,
        tokens_in: 1300,
        tokens_out: 400,
      },
      {
        agent_id: 'a1',
        tasks_completed: 1,
        tasks_failed: 1,
        success_rate: 50,
        total_cost: 0.0075,
        llm_call_count: 1,
        tokens_in: 1000,
        tokens_out: 500,
      },
    ])
    const models = (await json('/v1/metrics?group_by=model'))['groups'] as Json[]
    expect(models.map((m) => [m['model'], m['total_cost'], m['tasks_completed']])).toEqual([
      ['claude-sonnet-4-20250514', 0.02, 0],
      ['claude-sonnet-4', 0.00885, 0],
      ['gpt-4o', 0.0075, 0],
    ])
    expect((await srv.get('/v1/metrics?group_by=nope')).status).toBe(400)
  })

  it('when an agent has been silent past its threshold, then it counts as stuck', async () => {
    ;(srv.clock as ManualClock).advance(1_000)
    expect(((await json('/v1/metrics'))['summary'] as Json)['stuck']).toBe(1)
  })
})

describe('GET /v1/llm-calls', () => {
  it('when paging newest first, then pages never overlap and totals cover the whole set', async () => {
    const first = await json('/v1/llm-calls?limit=2')
    expect((first['data'] as Json[]).map((c) => c['name'])).toEqual(['chat', 'plan'])
    expect(first['totals']).toEqual({ cost: 0.53635, tokens_in: 2310, tokens_out: 910, call_count: 4 })
    const cursor = (first['pagination'] as Json)['cursor'] as string
    const second = await json(`/v1/cost/calls?limit=2&cursor=${cursor}`)
    expect((second['data'] as Json[]).map((c) => c['name'])).toEqual(['score', 'old'])
    expect(second['pagination']).toEqual({ cursor: null, has_more: false })
  })

  it('when filtered by task or sorted by cost, then items and totals follow', async () => {
    const t1 = await json('/v1/llm-calls?task_id=t1')
    expect(t1['totals']).toEqual({ cost: 0.0075, tokens_in: 1000, tokens_out: 500, call_count: 1 })
    expect((t1['data'] as Json[])[0]).toMatchObject({
      name: 'score',
      model: 'gpt-4o',
      cost: 0.0075,
      cost_source: 'estimated',
      cost_model_matched: 'gpt-4o',
      task_id: 't1',
    })
    const byCost = await json('/v1/llm-calls?sort=cost')
    expect((byCost['data'] as Json[]).map((c) => c['name'])).toEqual(['old', 'plan', 'chat', 'score'])
    const outside = await json('/v1/llm-calls?agent_id=a2&since=2026-02-15T09:50:00Z')
    expect((outside['data'] as Json[]).map((c) => [c['name'], c['task_id'], c['cache_read_tokens']])).toEqual([
      ['chat', null, 800],
    ])
    expect(outside['totals']).toMatchObject({ cost: 0.00885, call_count: 1 })
  })
})

describe('GET /v1/insights', () => {
  it('when more than six calls cost the same, then top_calls holds the six newest, newest first', async () => {
    const calls = Array.from({ length: 8 }, (_, i) =>
      llm(
        { model: 'gpt-4o', tokens_in: 1, tokens_out: 1, cost: 0.9, name: `tie-${i}` },
        { timestamp: `2026-02-15T09:0${i}:00.000Z` },
      ),
    )
    const res = await srv.post('/v1/ingest', { envelope: { agent_id: 'a3' }, events: calls.reverse() })
    expect(res.status).toBe(200)
    const cost = (await json('/v1/insights'))['cost'] as Json
    expect((cost['top_calls'] as Json[]).map((c) => c['name'])).toEqual([
      'tie-7',
      'tie-6',
      'tie-5',
      'tie-4',
      'tie-3',
      'tie-2',
    ])
  })

  it('when the fixture is loaded, then fleet, tasks, cost and rankings match the hand computation', async () => {
    const body = await json('/v1/insights')
    expect(body['fleet']).toMatchObject({
      total: 2,
      online: 1,
      by_status: { processing: 0, idle: 1, waiting_approval: 0, error: 1, stuck: 0 },
      needs_attention: { total: 1, stuck: 0, error: 1, waiting_approval: 0, active_issues: 0 },
      utilization_percent: 0,
      idle_with_queue: { agents: 0, queued_items: 0 },
    })
    expect(body['tasks']).toEqual({
      total: 4,
      completed: 3,
      failed: 1,
      escalated: 0,
      success_rate: 75,
      avg_duration_ms: 4666,
      escalation_rate: 0,
      human_intervention_rate: 0,
    })
    const cost = body['cost'] as Json
    expect(cost).toMatchObject({
      total_cost: 0.53635,
      reported_cost: 0.52,
      estimated_cost: 0.01635,
      avg_cost_per_task: 0.178783,
      call_count: 4,
      calls_per_task: 1,
      token_ratio: 2.5,
    })
    expect((cost['by_model'] as Json[])[0]).toMatchObject({ model: 'gpt-4o', cost: 0.5075, share_percent: 94.6 })
    expect((cost['top_calls'] as Json[]).map((c) => c['name'])).toEqual(['old', 'plan', 'chat', 'score'])
    expect(body['timeseries']).toHaveLength(24)
    expect(body['error_types']).toEqual([
      { event_type: 'action_failed', count: 1, agents: 1 },
      { event_type: 'task_failed', count: 1, agents: 1 },
    ])
    expect(
      (body['agent_ranking'] as Json[]).map((a) => [a['agent_id'], a['tasks_completed'], a['success_rate']]),
    ).toEqual([
      ['a2', 1, 100],
      ['a1', 1, 50],
    ])
  })
})

describe('agent stats_1h (E65)', () => {
  it('when agents are listed, then stats_1h matches the metrics definitions, agent-level calls included', async () => {
    const list = (await json('/v1/agents'))['data'] as Json[]
    const stats = (id: string) => list.find((a) => a['agent_id'] === id)?.['stats_1h']
    expect(stats('a1')).toEqual({
      tasks_completed: 1,
      tasks_failed: 1,
      success_rate: 50,
      error_rate: 66.7,
      avg_duration_ms: 1000,
      total_cost: 0.0075,
      throughput: 1,
      llm_call_count: 1,
      queue_depth: null,
      active_issues: 0,
    })
    expect(stats('a2')).toMatchObject({
      tasks_completed: 1,
      success_rate: 100,
      error_rate: 0,
      total_cost: 0.02885,
      llm_call_count: 2,
    })
  })
})
