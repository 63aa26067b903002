/**
 * Agent Heartbeat tab (dashboard.md D31; §17 #25 "is the heartbeat doing less than it used to?"): beats with
 * interval, summary and data side by side, mean interval; beside them the agent's work — `sparkline_1h` and the
 * last 24 h of `/v1/metrics` buckets (D30).
 */
import type { WireEvent } from '@hiveboard/shared'
import { clockTime, formatDuration, formatNumber } from '../lib/format.js'
import { h, type Panel } from '../lib/h.js'
import type { State } from '../store/state.js'
import type { Metrics } from '../store/types.js'
import { updateSparkline } from './common.js'
import { endpointPanel, type EndpointDeps } from './endpoint.js'

/** Intervals between consecutive beats (newest first in, newest first out; the oldest has none). */
export function beatIntervals(beats: readonly Pick<WireEvent, 'timestamp'>[]): (number | null)[] {
  return beats.map((b, i) => {
    const older = beats[i + 1]
    return older === undefined ? null : Date.parse(b.timestamp) - Date.parse(older.timestamp)
  })
}

export function meanInterval(intervals: readonly (number | null)[]): number | null {
  const xs = intervals.filter((x): x is number => x !== null)
  return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length
}

function lastHeartbeatText(state: State): string {
  const last = state.agents.data?.find((a) => a.agent_id === state.url.agent)?.last_heartbeat ?? null
  return `No heartbeats in the last 10 minutes${last === null ? '' : ` — last heartbeat ${new Date(last).toLocaleString()}`}`
}

function drawBeats(beats: WireEvent[]): Node[] {
  const intervals = beatIntervals(beats)
  const mean = meanInterval(intervals)
  return [
    h(
      'p',
      { class: 'muted beat-mean' },
      `${beats.length} beat${beats.length === 1 ? '' : 's'} · mean interval ${formatDuration(mean)}`,
    ),
    h(
      'table',
      { class: 'beat-table' },
      h(
        'thead',
        null,
        h('tr', null, ...['Time', 'Interval', 'Summary', 'Data'].map((x) => h('th', { scope: 'col' }, x))),
      ),
      h(
        'tbody',
        null,
        ...beats.map((b, i) =>
          h(
            'tr',
            null,
            h('td', null, clockTime(b.timestamp, true)),
            h('td', null, formatDuration(intervals[i] ?? null)),
            h('td', null, typeof b.payload?.summary === 'string' ? b.payload.summary : '—'),
            h('td', { class: 'mono' }, b.payload?.data === undefined ? '—' : JSON.stringify(b.payload.data)),
          ),
        ),
      ),
    ),
  ]
}

function workFigure(title: string, values: readonly number[], text: string, cls: string): HTMLElement {
  const spark = h('span', { class: 'sparkline', role: 'img' })
  updateSparkline(spark, values, title)
  return h('figure', { class: `hb-work-figure ${cls}` }, h('figcaption', null, title), spark, h('p', null, text))
}

/** Work beside the beats: the last hour (from the agent) and the last 24 h (tasks finished per bucket). */
function createWork(deps: EndpointDeps): Panel<State> {
  const hour = h('div', { class: 'hb-work-hour' })
  let drawnAgent: unknown = null
  const day = endpointPanel<Metrics>(deps, {
    key: 'work-24h',
    className: 'hb-work-day',
    label: 'Work in the last 24 hours',
    isEmpty: () => false,
    emptyText: () => '',
    draw: (m) => {
      const s = m.summary
      const text = `${formatNumber(s.completed)} completed · ${formatNumber(s.failed)} failed · ${formatNumber(s.llm_call_count)} LLM calls`
      const perBucket = m.timeseries.map((b) => b.tasks_completed + b.tasks_failed)
      return [workFigure('Tasks finished, last 24 h', perBucket, text, 'hb-work-24h')]
    },
  })
  return {
    dom: h(
      'section',
      { class: 'hb-work', 'aria-label': 'Work' },
      h('h3', null, 'Work'),
      h('div', { class: 'hb-work-row' }, hour, day.dom),
    ),
    update(state) {
      day.update(state)
      const a = state.agentDetail.data
      if (a === drawnAgent) return
      drawnAgent = a
      const events = a?.sparkline_1h ?? []
      const total = events.reduce((x, y) => x + y, 0)
      hour.replaceChildren(
        a === null ? '' : workFigure('Events, last hour', events, `${formatNumber(total)} events`, 'hb-work-1h'),
      )
    },
    destroy() {
      day.destroy()
    },
  }
}

export function createHeartbeatTab(deps: EndpointDeps): Panel<State> {
  const beats = endpointPanel<WireEvent[]>(deps, {
    key: 'heartbeat',
    className: 'heartbeat-tab',
    label: 'Heartbeats',
    heading: { level: 'h3', text: 'Heartbeats' },
    bodyClass: 'heartbeat-body',
    isEmpty: (list) => list.length === 0,
    emptyText: lastHeartbeatText,
    draw: drawBeats,
  })
  const work = createWork(deps)
  return {
    dom: h('div', { class: 'heartbeat-view' }, work.dom, beats.dom),
    update(state) {
      work.update(state)
      beats.update(state)
    },
    destroy() {
      work.destroy()
      beats.destroy()
    },
  }
}
