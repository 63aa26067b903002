/** Mini charts (dashboard.md D25): uPlot, loaded after first paint, axis-less, latest value printed. */
import { formatCost, formatPercent } from '../lib/format.js'
import { h, setText, type Panel } from '../lib/h.js'
import type { State } from '../store/state.js'
import type { MetricsBucket } from '../store/types.js'
import type UPlot from 'uplot'

type UPlotCtor = typeof UPlot
type UPlotInstance = UPlot

interface ChartDef {
  key: string
  title: string
  value: (b: MetricsBucket) => number | null
  format: (v: number | null) => string
}

const DEFS: ChartDef[] = [
  {
    key: 'throughput',
    title: 'Throughput',
    value: (b) => b.tasks_completed,
    format: (v) => (v === null ? '—' : String(v)),
  },
  { key: 'success', title: 'Success rate', value: (b) => b.success_rate, format: formatPercent },
  { key: 'errors', title: 'Errors', value: (b) => b.error_count, format: (v) => (v === null ? '—' : String(v)) },
  {
    key: 'cpt',
    title: 'Cost per completed task',
    value: (b) => (b.cost === null || b.tasks_completed === 0 ? null : b.cost / b.tasks_completed),
    format: (v) => formatCost(v, 'ribbon'),
  },
]

let uplot: Promise<UPlotCtor> | null = null
export function loadUPlot(): Promise<UPlotCtor> {
  uplot ??= import('uplot').then((m) => (m as { default?: UPlotCtor }).default ?? (m as unknown as UPlotCtor))
  return uplot
}

export function createCharts(): Panel<State> {
  const empty = h('p', { class: 'muted charts-empty' }, 'No tasks in this range')
  const cards = DEFS.map((d) => {
    const latest = h('span', { class: 'chart-latest' })
    const plot = h('div', { class: 'chart-plot', role: 'img' })
    const dom = h('figure', { class: `mini-chart chart-${d.key}` }, h('figcaption', null, d.title, ' ', latest), plot)
    return { d, dom, latest, plot, chart: null as UPlotInstance | null }
  })
  const dom = h('section', { class: 'mini-charts', 'aria-label': 'Work in range' }, empty, ...cards.map((c) => c.dom))
  let drawn: unknown = null
  return {
    dom,
    update(state) {
      const m = state.metrics.data
      dom.hidden = m === null
      if (m === null || m.timeseries === drawn) return
      drawn = m.timeseries
      const series = m.timeseries
      const none = series.every((b) => b.tasks_completed === 0 && b.tasks_failed === 0)
      empty.hidden = !none
      const xs = series.map((b) => Date.parse(b.timestamp) / 1000)
      for (const c of cards) {
        c.dom.hidden = none
        const ys = series.map(c.d.value)
        const last = [...ys].reverse().find((v) => v !== null) ?? null
        setText(c.latest, c.d.format(last))
        c.plot.setAttribute('aria-label', `${c.d.title}: latest ${c.d.format(last)}`)
      }
      if (none) return
      void loadUPlot().then((Ctor) => {
        for (const c of cards) {
          const ys = series.map(c.d.value)
          c.chart?.destroy()
          c.chart = new Ctor(
            {
              width: 180,
              height: 48,
              legend: { show: false },
              cursor: { show: true, x: false, y: false, points: { show: true } },
              axes: [{ show: false }, { show: false }],
              scales: { x: { time: true } },
              series: [{}, { stroke: '#58a6ff', width: 1.5, fill: 'rgba(88,166,255,0.15)', spanGaps: false }],
            },
            [xs, ys],
            c.plot,
          )
        }
      })
    },
    destroy() {
      for (const c of cards) c.chart?.destroy()
    },
  }
}
