import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { bucketBounds, RANGE_MS, type Interval, type Range } from '../src/analytics/bucket-math.js'
import { WindowReader } from '../src/analytics/window-reader.js'
import { ManualClock } from '../src/clock.js'
import { costSummary, costTimeseries } from '../src/domains/analytics/cost.js'
import { metrics, type GroupBy } from '../src/domains/analytics/metrics.js'
import { storedProjectIds } from '../src/domains/projects/project-redirects.js'
import { anEvent, startTestServer, type TestServer } from '../src/testing/index.js'
import { llm } from './analytics-fixture.js'

const NOW = Date.parse('2026-02-15T10:00:00.000Z')
const TYPES = [
  'task_started',
  'task_completed',
  'task_failed',
  'action_started',
  'action_completed',
  'action_failed',
  'escalated',
  'heartbeat',
] as const
const MODELS = ['gpt-4o', 'claude-sonnet-4', 'mystery-model']

function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
    return seed / 2_147_483_648
  }
}

async function randomIngest(srv: TestServer, clock: ManualClock): Promise<void> {
  const random = rng(7)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  for (let batch = 0; batch < 30; batch++) {
    const receivedAt = NOW - Math.floor(random() * 9 * 86_400_000)
    const events = Array.from({ length: 20 }, () => {
      const ts = new Date(receivedAt - Math.floor(random() * 3 * 3_600_000)).toISOString()
      const task = random() < 0.8 ? `t${Math.floor(random() * 40)}` : null
      if (random() < 0.3) {
        const data = {
          model: pick(MODELS),
          tokens_in: Math.floor(random() * 2000),
          tokens_out: Math.floor(random() * 500),
        }
        return llm(random() < 0.5 ? { ...data, cost: Math.round(random() * 1e5) / 1e6 } : data, {
          timestamp: ts,
          task_id: task,
        })
      }
      const type = pick(TYPES)
      return anEvent({
        event_type: type,
        timestamp: ts,
        task_id: type === 'heartbeat' ? null : task,
        duration_ms: Math.floor(random() * 9000),
      })
    })
    clock.set(receivedAt)
    const agent = `a${Math.floor(random() * 4)}`
    const res = await srv.post('/v1/ingest', {
      envelope: { agent_id: agent, environment: random() < 0.5 ? 'production' : 'staging' },
      events,
    })
    expect(res.status).toBe(200)
  }
  clock.set(NOW)
}

const QUERIES: Array<{ range: Range; interval: Interval; filter: Record<string, string>; groupBy?: GroupBy }> = [
  { range: '1h', interval: '5m', filter: {} },
  { range: '24h', interval: '1h', filter: {}, groupBy: 'agent' },
  { range: '7d', interval: '6h', filter: {}, groupBy: 'model' },
  { range: '7d', interval: '1h', filter: { agentId: 'a1' } },
  { range: '30d', interval: '1d', filter: { environment: 'staging' }, groupBy: 'project' },
  { range: '6h', interval: '1m', filter: {} },
]

async function compareAll(srv: TestServer): Promise<unknown[]> {
  const ns = srv.storage.namespace('dev', 'live')
  const raw = new WindowReader(ns, true)
  const answers: unknown[] = []
  for (const q of QUERIES) {
    const params = new URLSearchParams({ range: q.range, interval: q.interval })
    if (q.filter['agentId'] !== undefined) params.set('agent_id', q.filter['agentId'])
    if (q.filter['environment'] !== undefined) params.set('environment', q.filter['environment'])
    const from = NOW - RANGE_MS[q.range]
    const bounds = bucketBounds(NOW, q.range, q.interval)
    const cost = await (await srv.get(`/v1/cost?${params.toString()}`)).json()
    expect(cost).toEqual(costSummary(raw, q.range, from, NOW + 1, q.filter, storedProjectIds))
    const series = (await (await srv.get(`/v1/cost/timeseries?${params.toString()}`)).json()) as { data: unknown }
    expect(series.data).toEqual(costTimeseries(raw, bounds, q.filter))
    if (q.groupBy !== undefined) params.set('group_by', q.groupBy)
    const m = (await (await srv.get(`/v1/metrics?${params.toString()}`)).json()) as { summary: { stuck: number } }
    const req = {
      range: q.range,
      interval: q.interval,
      from,
      to: NOW + 1,
      bounds,
      filter: q.filter,
      groupBy: q.groupBy,
      stuck: m.summary.stuck,
      effectiveProject: storedProjectIds,
    }
    expect(m).toEqual(metrics(raw, req))
    answers.push(cost, series, m)
  }
  return answers
}

describe('rollup consistency', () => {
  it('when random events are ingested, pruned and the server restarts, then every rollup answer equals the raw recomputation', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hb-cons-'))
    const clock = new ManualClock(NOW)
    let srv = await startTestServer({ clock, dataDir })
    try {
      await randomIngest(srv, clock)
      const before = await compareAll(srv)
      const pruned = await srv.running.app.services.retention.run()
      expect(pruned.ttl_pruned).toBeGreaterThan(0)
      expect(pruned.cold_pruned).toBeGreaterThan(0)
      const afterPrune = await compareAll(srv)
      expect(afterPrune).not.toEqual(before)
      await srv.close()
      srv = await startTestServer({ clock, dataDir })
      expect(await compareAll(srv)).toEqual(afterPrune)
    } finally {
      await srv.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
