/**
 * Agent Metrics charts (dashboard.md D30): uPlot line charts of the agent's `/v1/metrics` timeseries with dashed
 * deploy markers at `agent_registered` events, labelled by version. Each chart carries its figures in words
 * (`role=img` + label) and a data table, for screen readers and for copying.
 */
import { clockTime } from '../lib/format.js'
import { Disposables, h, type Panel } from '../lib/h.js'
import type { DeployComparison } from '../store/deploys.js'
import {
  chartsEmpty,
  deployMarkers,
  metricCharts,
  type DeployMarker,
  type MetricChart,
} from '../store/metric-charts.js'
import type { State } from '../store/state.js'
import type { Metrics } from '../store/types.js'
import { loadUPlot } from './charts.js'
import type { EndpointDeps } from './endpoint.js'
import type UPlot from 'uplot'

const AXIS = { stroke: '#93a1b1', grid: { stroke: '#2a3544', width: 1 }, ticks: { stroke: '#2a3544', width: 1 } }
const MARKER = '#bc8cff'

/** Dashed vertical lines with the version on top; the labels drawn are recorded on the figure (tests, D73). */
function drawMarkers(u: UPlot, markers: readonly DeployMarker[], figure: HTMLElement): void {
  const ctx = u.ctx
  const dpr = devicePixelRatio
  const { left, top, width, height } = u.bbox
  const drawn: string[] = []
  ctx.save()
  ctx.strokeStyle = MARKER
  ctx.fillStyle = MARKER
  ctx.lineWidth = dpr
  ctx.setLineDash([4 * dpr, 3 * dpr])
  ctx.font = `${11 * dpr}px system-ui, sans-serif`
  for (const m of markers) {
    const x = u.valToPos(m.at, 'x', true)
    if (x < left || x > left + width) continue
    ctx.beginPath()
    ctx.moveTo(x, top)
    ctx.lineTo(x, top + height)
    ctx.stroke()
    ctx.fillText(m.label, x + 3 * dpr, top + 11 * dpr)
    drawn.push(m.label)
  }
  ctx.restore()
  figure.dataset.deploys = drawn.join(' ')
}

function dataTable(c: MetricChart): HTMLElement {
  const rows = c.xs
    .map((x, i) => ({ x, values: c.series.map((s) => s.values[i] ?? null) }))
    .filter((r) => r.values.some((v) => v !== null && v !== 0))
  return h(
    'details',
    { class: 'chart-data' },
    h('summary', null, 'Data'),
    h(
      'table',
      null,
      h(
        'thead',
        null,
        h('tr', null, h('th', { scope: 'col' }, 'Time'), ...c.series.map((s) => h('th', { scope: 'col' }, s.label))),
      ),
      h(
        'tbody',
        null,
        ...rows.map((r) =>
          h(
            'tr',
            null,
            h('td', null, clockTime(new Date(r.x * 1000).toISOString())),
            ...r.values.map((v) => h('td', null, c.format(v))),
          ),
        ),
      ),
    ),
  )
}

function figureFor(c: MetricChart, markers: readonly DeployMarker[]): { dom: HTMLElement; plot: HTMLElement } {
  const deploys = markers.map((m) => `${m.label} at ${clockTime(new Date(m.at * 1000).toISOString())}`)
  const label = `${c.title}. ${c.summary}${deploys.length === 0 ? '' : `. Deploys: ${deploys.join(', ')}`}`
  const plot = h('div', { class: 'metric-plot', role: 'img', 'aria-label': label })
  const legend = c.series.map((s) => {
    const swatch = h('span', { class: 'swatch' })
    swatch.style.background = s.color
    return h('span', { class: 'legend-item' }, swatch, s.label)
  })
  const caption = h('figcaption', null, h('span', { class: 'chart-title' }, c.title), ...legend)
  const dom = h('figure', { class: `metric-chart metric-${c.key}` }, caption, plot, dataTable(c))
  return { dom, plot }
}

const HEIGHT = 150
const widthOf = (figure: HTMLElement) => Math.max(240, (figure.clientWidth || 340) - 16)

export function createMetricCharts(deps: EndpointDeps): Panel<State> {
  const empty = h('p', { class: 'muted charts-empty' })
  const grid = h('div', { class: 'metric-grid' })
  const dom = h('section', { class: 'metric-charts', 'aria-label': 'Charts' }, h('h3', null, 'Charts'), empty, grid)
  let plots: { u: UPlot; figure: HTMLElement }[] = []
  let drawn: [unknown, unknown] = [undefined, undefined]
  const clear = () => {
    for (const p of plots) p.u.destroy()
    plots = []
    grid.replaceChildren()
  }
  // The grid reflows with the window: charts follow, once per frame.
  const bag = new Disposables()
  let fitQueued = false
  bag.on(window, 'resize', () => {
    if (fitQueued) return
    fitQueued = true
    requestAnimationFrame(() => {
      fitQueued = false
      for (const p of plots) p.u.setSize({ width: widthOf(p.figure), height: HEIGHT })
    })
  })
  return {
    dom,
    update(state) {
      const metrics = deps.get('metrics', state).data as Metrics | null
      const comparison = deps.get('deploys', state).data as DeployComparison | null
      if (drawn[0] === metrics && drawn[1] === comparison) return
      drawn = [metrics, comparison]
      clear()
      dom.hidden = metrics === null
      if (metrics === null) return
      const buckets = metrics.timeseries
      const none = chartsEmpty(buckets)
      empty.hidden = !none
      empty.textContent = `Nothing to chart: no tasks or LLM calls in the last ${state.url.range}`
      if (none) return
      const markers = deployMarkers(comparison?.deploys ?? [], buckets)
      const charts = metricCharts(buckets).map((c) => ({ c, ...figureFor(c, markers) }))
      grid.append(...charts.map((x) => x.dom))
      const step = (charts[0]?.c.xs[1] ?? 0) - (charts[0]?.c.xs[0] ?? 0)
      void loadUPlot().then((Ctor) => {
        if (drawn[0] !== metrics || drawn[1] !== comparison) return
        for (const { c, dom: figure, plot } of charts) {
          const opts: UPlot.Options = {
            width: widthOf(figure),
            height: HEIGHT,
            legend: { show: false },
            scales: {
              x: { time: true, range: (_u, min, max) => [min, max + step] },
              y: { range: () => [0, c.yMax] },
            },
            axes: [AXIS, { ...AXIS, size: 56, values: (_u, ticks) => ticks.map((t) => c.axis(t)) }],
            series: [{}, ...c.series.map((s) => ({ label: s.label, stroke: s.color, width: 1.5, spanGaps: false }))],
            hooks: { draw: [(u: UPlot) => drawMarkers(u, markers, figure)] },
          }
          plots.push({ u: new Ctor(opts, [c.xs, ...c.series.map((s) => s.values)], plot), figure })
        }
      })
    },
    destroy() {
      clear()
      bag.dispose()
    },
  }
}
