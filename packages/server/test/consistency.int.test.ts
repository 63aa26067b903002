import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { round6 } from '@hiveboard/shared'
import { mergeAgg, type Agg } from '../src/analytics/agg.js'
import {
  bucketBounds,
  bucketCeil,
  bucketStart,
  HOUR_MS,
  RANGE_MS,
  type Interval,
  type Range,
} from '../src/analytics/bucket-math.js'
import { rollupHorizon } from '../src/analytics/retired-hours.js'
import { WindowReader } from '../src/analytics/window-reader.js'
import { ManualClock } from '../src/clock.js'
import { costSummary } from '../src/domains/analytics/cost.js'
import { metrics, type GroupBy } from '../src/domains/analytics/metrics.js'
import { storedProjectIds } from '../src/domains/projects/project-redirects.js'
import { anEvent, startTestServer, type TestServer } from '../src/testing/index.js'
import { llm } from './analytics-fixture.js'
import { hourlySnapshot } from './helpers/hourly-snapshot.js'

interface PruneFile {
  pruned_before: string | null
  compacted: string[]
}

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

async function randomIngest(srv: TestServer, clock: ManualClock, seed = 7, batches = 30, spanDays = 9): Promise<void> {
  const random = rng(seed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  for (let batch = 0; batch < batches; batch++) {
    const receivedAt = NOW - Math.floor(random() * spanDays * 86_400_000)
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
  // Windows reaching before the TTL horizon: their retired hours come from the hourly rollups (E85).
  { range: '30d', interval: '6h', filter: {} },
  { range: '30d', interval: '1d', filter: { agentId: 'a2' } },
]

/** Raw LLM figures per hour and query, recorded before pruning: what retired hours must still show (E85). */
type HourRecord = Map<string, Map<number, Agg>>
const filterKey = (f: Record<string, string>) => JSON.stringify(f)

function recordHours(srv: TestServer): HourRecord {
  const raw = new WindowReader(srv.storage.namespace('dev', 'live'), true)
  const out: HourRecord = new Map()
  for (const q of QUERIES) {
    const hours = new Map<number, Agg>()
    for (let h = bucketStart(NOW - RANGE_MS['30d'], HOUR_MS); h <= NOW; h += HOUR_MS)
      hours.set(h, raw.sum(h, h + HOUR_MS, q.filter))
    out.set(filterKey(q.filter), hours)
  }
  return out
}

/**
 * The reference cost series: retained time recomputed from the raw events; hours before the rollup
 * horizon as the raw events showed them before retention removed them (none for filters E84 rollups
 * cannot answer: project, environment).
 */
function expectedSeries(srv: TestServer, q: (typeof QUERIES)[number], recorded: HourRecord) {
  const ns = srv.storage.namespace('dev', 'live')
  const raw = new WindowReader(ns, true)
  const horizon = rollupHorizon(ns.hourly)
  const hours = recorded.get(filterKey(q.filter))
  return bucketBounds(NOW, q.range, q.interval).map(([from, to]) => {
    const agg = raw.sum(Math.max(from, horizon), to, q.filter)
    for (let h = bucketCeil(from, HOUR_MS); h < Math.min(to, horizon); h += HOUR_MS) {
      const before = hours?.get(h)
      if (before !== undefined && q.filter['environment'] === undefined)
        mergeAgg(agg, { ...before, reportedMicros: 0, estimatedMicros: 0 })
    }
    return {
      timestamp: new Date(from).toISOString(),
      cost: round6(agg.costMicros / 1e6),
      call_count: agg.calls,
      tokens_in: agg.tokensIn,
      tokens_out: agg.tokensOut,
    }
  })
}

async function compareAll(srv: TestServer, recorded: HourRecord): Promise<unknown[]> {
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
    expect(series.data).toEqual(expectedSeries(srv, q, recorded))
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

async function snapshot(srv: TestServer, recorded: HourRecord): Promise<unknown[]> {
  const agents = (await (await srv.get('/v1/agents?sort=name')).json()) as { data: Array<Record<string, unknown>> }
  return [
    await compareAll(srv, recorded),
    hourlySnapshot(srv.storage.namespace('dev', 'live').hourly),
    // previous_status is the agents service's publish bookkeeping, reset at every start (E50).
    agents.data.map(({ previous_status: _ignored, ...rest }) => rest),
  ]
}

describe('rollup consistency', () => {
  it('when random events are ingested, pruned and the server restarts, then every rollup answer equals the raw recomputation', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hb-cons-'))
    const copy = `${dataDir}-copy`
    const state = join(dataDir, 'tenants/dev/state/live')
    const clock = new ManualClock(NOW)
    const noTtl = { retention_days: 30 }
    let srv = await startTestServer({ clock, dataDir, config: noTtl })
    try {
      await randomIngest(srv, clock)
      const recorded = recordHours(srv)
      await srv.close()

      // Restart with the shutdown checkpoints, and a copy restarted without any: both the same (E133).
      cpSync(dataDir, copy, { recursive: true })
      rmSync(join(copy, 'tenants/dev/state'), { recursive: true, force: true })
      srv = await startTestServer({ clock, dataDir, config: noTtl })
      const checkpointed = await snapshot(srv, recorded)
      const rebuilt = await startTestServer({ clock, dataDir: copy, config: noTtl })
      try {
        expect(await snapshot(rebuilt, recorded)).toEqual(checkpointed)
      } finally {
        await rebuilt.close()
      }

      // On the free plan the start-up run TTL-prunes; closed segments are rewritten without cold lines.
      await srv.close()
      srv = await startTestServer({ clock, dataDir })
      const prune = JSON.parse(readFileSync(join(dataDir, 'tenants/dev/state/prune.json'), 'utf8')) as PruneFile
      expect(prune.pruned_before).not.toBeNull()
      expect(prune.compacted.length).toBeGreaterThan(0)
      const afterPrune = await snapshot(srv, recorded)
      expect(afterPrune[0]).not.toEqual(checkpointed[0])
      expect(afterPrune[1]).toEqual(checkpointed[1]) // hourly rollups outlive the raw events (E85)
      expect(afterPrune[2]).toEqual(checkpointed[2]) // and so does the agent registry (E45)
      await srv.close()
      srv = await startTestServer({ clock, dataDir })
      expect(await snapshot(srv, recorded)).toEqual(afterPrune)

      // A stale checkpoint (more ingest after it, then a crash-like restart from it): lines above its
      // watermark are re-applied, nothing twice.
      await srv.storage.checkpoint()
      const stale = `${dataDir}-stale`
      cpSync(state, stale, { recursive: true })
      await randomIngest(srv, clock, 11, 6, 0.3)
      const afterMore = await snapshot(srv, recorded)
      await srv.close()
      rmSync(state, { recursive: true, force: true })
      cpSync(stale, state, { recursive: true })
      rmSync(stale, { recursive: true, force: true })
      srv = await startTestServer({ clock, dataDir })
      expect(await snapshot(srv, recorded)).toEqual(afterMore)
    } finally {
      await srv.close()
      rmSync(dataDir, { recursive: true, force: true })
      rmSync(copy, { recursive: true, force: true })
    }
  })
})
