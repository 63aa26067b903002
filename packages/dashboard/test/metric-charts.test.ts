import { describe, expect, it } from 'vitest'
import { clockTime } from '../src/lib/format.js'
import { chartsEmpty, deployMarkers, metricCharts } from '../src/store/metric-charts.js'
import type { MetricsBucket } from '../src/store/types.js'

const bucket = (timestamp: string, patch: Partial<MetricsBucket> = {}): MetricsBucket => ({
  timestamp,
  tasks_completed: 0,
  tasks_failed: 0,
  success_rate: null,
  cost: null,
  error_count: 0,
  avg_duration_ms: null,
  llm_call_count: 0,
  ...patch,
})

const T0 = '2026-12-01T10:00:00.000Z'
const T1 = '2026-12-01T10:05:00.000Z'
const T2 = '2026-12-01T10:10:00.000Z'
const buckets = [
  bucket(T0, { tasks_completed: 1, success_rate: 100, avg_duration_ms: 60_000, cost: 0.01, llm_call_count: 2 }),
  bucket(T1),
  bucket(T2, { tasks_completed: 2, tasks_failed: 1, success_rate: 66.7, avg_duration_ms: 30_000, cost: 0.03 }),
]

describe('Agent Metrics charts (D30)', () => {
  it('draws completed/failed, success, duration, cost and LLM calls, one x per bucket in seconds', () => {
    const charts = metricCharts(buckets)
    expect(charts.map((c) => c.key)).toEqual(['tasks', 'success', 'duration', 'cost', 'calls'])
    const tasks = charts[0]
    expect(tasks?.xs).toEqual([Date.parse(T0) / 1000, Date.parse(T1) / 1000, Date.parse(T2) / 1000])
    expect(tasks?.series.map((s) => [s.label, s.values])).toEqual([
      ['Completed', [1, 0, 2]],
      ['Failed', [0, 0, 1]],
    ])
    // Missing values stay gaps (null), zero stays zero.
    expect(charts[1]?.series[0]?.values).toEqual([100, null, 66.7])
    expect(charts[4]?.series[0]?.values).toEqual([2, 0, 0])
  })

  it('says the figures in words: totals for counts and cost, means over buckets with a value for rates', () => {
    const [tasks, success, duration, cost] = metricCharts(buckets)
    expect(tasks?.summary).toBe(
      `Completed: 3 in total, highest 2 at ${clockTime(T2)}; Failed: 1 in total, highest 1 at ${clockTime(T2)}`,
    )
    expect(success?.summary).toBe(`Success rate: 83.4% on average, highest 100% at ${clockTime(T0)}`)
    expect(duration?.summary).toBe(`Average duration: 45.0s on average, highest 1m0s at ${clockTime(T0)}`)
    expect(cost?.summary).toBe(`Cost: $0.0400 in total, highest $0.0300 at ${clockTime(T2)}`)
    expect(metricCharts([bucket(T0)])[1]?.summary).toBe('Success rate: no data')
  })

  it('is empty when no bucket holds a task or an LLM call', () => {
    expect(chartsEmpty([bucket(T0), bucket(T1, { error_count: 2 })])).toBe(true)
    expect(chartsEmpty([bucket(T0, { llm_call_count: 1 })])).toBe(false)
    expect(chartsEmpty([])).toBe(true)
  })

  it('marks registrations from the first bucket on, oldest first, labelled by version', () => {
    const deploys = [
      { version: '1.2.0', at: '2026-12-01T10:07:00.000Z' },
      { version: null, at: '2026-12-01T10:01:00.000Z' },
      { version: '1.0.0', at: '2026-12-01T09:00:00.000Z' },
    ]
    expect(deployMarkers(deploys, buckets)).toEqual([
      { at: Date.parse('2026-12-01T10:01:00.000Z') / 1000, label: 'v—' },
      { at: Date.parse('2026-12-01T10:07:00.000Z') / 1000, label: 'v1.2.0' },
    ])
    expect(deployMarkers(deploys, [])).toEqual([])
  })
})

describe('Agent Metrics chart scales (D30)', () => {
  it('tops rates at 100, others at the largest value plus headroom, and all-zero charts at 1', () => {
    const [tasks, success, , cost, calls] = metricCharts(buckets)
    expect(success?.yMax).toBe(100)
    expect(tasks?.yMax).toBeCloseTo(2.3)
    expect(cost?.yMax).toBeCloseTo(0.0345)
    expect(metricCharts([bucket(T0)])[4]?.yMax).toBe(1)
    expect(calls?.axis(2)).toBe('2')
    expect(cost?.axis(0.5)).toBe('$0.50')
  })
})
