/**
 * Agent Metrics charts (dashboard.md D30): the `/v1/metrics` timeseries as chart data, a sentence per chart for
 * screen readers, and deploy markers from `agent_registered` events. Pure.
 */
import { clockTime, formatCost, formatDuration, formatNumber, formatPercent } from '../lib/format.js'
import type { Deploy } from './deploys.js'
import type { MetricsBucket } from './types.js'

export interface ChartSeries {
  label: string
  color: string
  values: (number | null)[]
}

export interface MetricChart {
  key: string
  title: string
  /** Bucket starts, in seconds (uPlot's time scale). */
  xs: number[]
  series: ChartSeries[]
  format: (v: number | null) => string
  /** Axis labels (shorter than `format` for money). */
  axis: (v: number) => string
  /** The y scale's top: the largest value plus headroom, 100 for rates, 1 when all are zero. */
  yMax: number
  /** The figures in words: the chart's text alternative. */
  summary: string
}

export interface DeployMarker {
  /** Seconds. */
  at: number
  label: string
}

interface SeriesDef {
  label: string
  color: string
  value: (b: MetricsBucket) => number | null
}

interface ChartDef {
  key: string
  title: string
  /** Counts and money add up over the range; rates and durations are averaged over buckets with a value. */
  aggregate: 'total' | 'mean'
  format: (v: number | null) => string
  axis?: (v: number) => string
  /** A fixed top (success rate: 100). */
  top?: number
  series: SeriesDef[]
}

const count = (v: number | null) => formatNumber(v)

const DEFS: ChartDef[] = [
  {
    key: 'tasks',
    title: 'Tasks completed / failed',
    aggregate: 'total',
    format: count,
    series: [
      { label: 'Completed', color: '#3fb950', value: (b) => b.tasks_completed },
      { label: 'Failed', color: '#f85149', value: (b) => b.tasks_failed },
    ],
  },
  {
    key: 'success',
    title: 'Success rate',
    aggregate: 'mean',
    format: formatPercent,
    top: 100,
    series: [{ label: 'Success rate', color: '#58a6ff', value: (b) => b.success_rate }],
  },
  {
    key: 'duration',
    title: 'Average duration',
    aggregate: 'mean',
    format: formatDuration,
    series: [{ label: 'Average duration', color: '#bc8cff', value: (b) => b.avg_duration_ms ?? null }],
  },
  {
    key: 'cost',
    title: 'Cost',
    aggregate: 'total',
    format: (v) => formatCost(v, 'table'),
    axis: (v) => formatCost(v, 'ribbon'),
    series: [{ label: 'Cost', color: '#d29922', value: (b) => b.cost }],
  },
  {
    key: 'calls',
    title: 'LLM calls',
    aggregate: 'total',
    format: count,
    series: [{ label: 'LLM calls', color: '#58a6ff', value: (b) => b.llm_call_count ?? 0 }],
  },
]

function describe(def: ChartDef, s: SeriesDef, buckets: readonly MetricsBucket[]): string {
  const points = buckets
    .map((b) => ({ at: b.timestamp, v: s.value(b) }))
    .filter((p): p is { at: string; v: number } => p.v !== null)
  if (points.length === 0) return `${s.label}: no data`
  const sum = points.reduce((a, p) => a + p.v, 0)
  const peak = points.reduce((a, p) => (p.v > a.v ? p : a))
  const figure =
    def.aggregate === 'total'
      ? `${def.format(sum)} in total`
      : `${def.format(Math.round((sum / points.length) * 10) / 10)} on average`
  return `${s.label}: ${figure}, highest ${def.format(peak.v)} at ${clockTime(peak.at)}`
}

export function metricCharts(buckets: readonly MetricsBucket[]): MetricChart[] {
  const xs = buckets.map((b) => Date.parse(b.timestamp) / 1000)
  return DEFS.map((def) => {
    const series = def.series.map((s) => ({ label: s.label, color: s.color, values: buckets.map(s.value) }))
    const largest = Math.max(0, ...series.flatMap((s) => s.values.filter((v): v is number => v !== null)))
    return {
      key: def.key,
      title: def.title,
      xs,
      format: def.format,
      axis: def.axis ?? def.format,
      yMax: def.top ?? (largest > 0 ? largest * 1.15 : 1),
      series,
      summary: def.series.map((s) => describe(def, s, buckets)).join('; '),
    }
  })
}

/** True when no bucket holds a task or an LLM call: the charts show their empty state instead. */
export function chartsEmpty(buckets: readonly MetricsBucket[]): boolean {
  return buckets.every((b) => b.tasks_completed === 0 && b.tasks_failed === 0 && (b.llm_call_count ?? 0) === 0)
}

/** Registrations inside the charted buckets (from the first bucket's start on), oldest first. */
export function deployMarkers(deploys: readonly Deploy[], buckets: readonly MetricsBucket[]): DeployMarker[] {
  const first = buckets[0]
  if (first === undefined) return []
  const from = Date.parse(first.timestamp)
  return deploys
    .filter((d) => Date.parse(d.at) >= from)
    .map((d) => ({ at: Date.parse(d.at) / 1000, label: `v${d.version ?? '—'}` }))
    .sort((a, b) => a.at - b.at)
}
