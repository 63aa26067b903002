/** Agent Heartbeat tab (dashboard.md D31): beats with interval, summary and data side by side; mean interval. */
import type { WireEvent } from '@hiveboard/shared'
import { clockTime, formatDuration } from '../lib/format.js'
import { h, type Panel } from '../lib/h.js'
import type { State } from '../store/state.js'
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

export function createHeartbeatTab(deps: EndpointDeps): Panel<State> {
  return endpointPanel<WireEvent[]>(deps, {
    key: 'heartbeat',
    className: 'heartbeat-tab',
    label: 'Heartbeats',
    heading: { level: 'h3', text: 'Heartbeats' },
    bodyClass: 'heartbeat-body',
    isEmpty: (beats) => beats.length === 0,
    emptyText: lastHeartbeatText,
    draw: drawBeats,
  })
}
