import type { WireAgent } from '@hiveboard/shared'
import { describe, expect, it } from 'vitest'
import { attentionSort, reduce, SEEN_CAP } from '../src/store/reducers.js'
import { initialState, type State } from '../src/store/state.js'
import { filterStream } from '../src/store/feed.js'
import { wireEvent } from './events.js'

function agent(id: string, status: WireAgent['derived_status'], lastSeen: string): WireAgent {
  return {
    agent_id: id,
    agent_type: 'w',
    agent_version: null,
    framework: null,
    runtime: null,
    sdk_version: null,
    environment: 'production',
    group: 'default',
    derived_status: status,
    previous_status: null,
    is_stuck: status === 'stuck',
    stuck_threshold_seconds: 300,
    current_task_id: null,
    current_project_id: null,
    last_task_id: null,
    last_project_id: null,
    last_event_type: null,
    processing_summary: null,
    last_heartbeat: null,
    heartbeat_age_seconds: null,
    heartbeat_health: 'none',
    first_seen: lastSeen,
    last_seen: lastSeen,
    stats_1h: {
      tasks_completed: 0,
      tasks_failed: 0,
      success_rate: null,
      error_rate: null,
      avg_duration_ms: null,
      total_cost: null,
      throughput: 0,
      llm_call_count: 0,
      queue_depth: null,
      active_issues: 0,
    },
    sparkline_1h: [],
  }
}

describe('reducers (D12–D16)', () => {
  it('when the same event arrives twice (live then catch-up), then it is kept once', () => {
    const ev = wireEvent()
    let s = reduce(initialState(), { type: 'events/new', events: [ev] })
    s = reduce(s, { type: 'catchup', events: [ev, wireEvent()], overflow: false })
    expect(s.events.filter((e) => e.event_id === ev.event_id)).toHaveLength(1)
    expect(s.events).toHaveLength(2)
  })

  it('when events arrive out of order, then the stream is newest first and newestSeen advances', () => {
    const a = wireEvent({ timestamp: '2026-02-15T10:00:01.000Z' })
    const b = wireEvent({ timestamp: '2026-02-15T10:00:03.000Z' })
    const c = wireEvent({ timestamp: '2026-02-15T10:00:02.000Z' })
    const s = [a, b, c].reduce((st: State, e) => reduce(st, { type: 'events/new', events: [e] }), initialState())
    expect(s.events.map((e) => e.event_id)).toEqual([b.event_id, c.event_id, a.event_id])
    expect(s.newestSeen).toBe('2026-02-15T10:00:03.000Z')
  })

  it('the stream is capped at streamCap and the seen ids at 5,000', () => {
    const events = Array.from({ length: 6000 }, (_, i) =>
      wireEvent({ event_id: `x-${i}`, timestamp: new Date(Date.UTC(2026, 1, 15) + i * 1000).toISOString() }),
    )
    const s = reduce(initialState(undefined, 1000), { type: 'events/new', events })
    expect(s.events).toHaveLength(1000)
    expect(s.events[0]?.event_id).toBe('x-5999')
    expect(s.seen).toHaveLength(SEEN_CAP)
  })

  it('when a catch-up overflows, then views reload', () => {
    const s = reduce(initialState(), { type: 'catchup', events: [wireEvent()], overflow: true })
    expect(s.reloadToken).toBe(1)
  })

  it('heartbeats update the agent but never enter the stream', () => {
    let s = reduce(initialState(), {
      type: 'agents/loaded',
      agents: [agent('bot', 'idle', '2026-02-15T09:00:00.000Z')],
      at: 1,
    })
    s = reduce(s, {
      type: 'events/new',
      events: [wireEvent({ event_type: 'heartbeat', timestamp: '2026-02-15T10:00:00.000Z' })],
    })
    expect(s.events).toHaveLength(0)
    expect(s.agents.data?.[0]?.last_seen).toBe('2026-02-15T10:00:00.000Z')
    expect(s.agents.data?.[0]?.heartbeat_age_seconds).toBe(0)
  })

  it('task events set and clear the current task; status messages re-sort in attention order', () => {
    let s = reduce(initialState(), {
      type: 'agents/loaded',
      agents: [agent('a', 'idle', '2026-02-15T09:00:00.000Z'), agent('b', 'processing', '2026-02-15T09:00:00.000Z')],
      at: 1,
    })
    expect(s.agents.data?.map((a) => a.agent_id)).toEqual(['b', 'a'])
    s = reduce(s, {
      type: 'events/new',
      events: [wireEvent({ agent_id: 'a', event_type: 'task_started', task_id: 't1' })],
    })
    expect(s.agents.data?.find((a) => a.agent_id === 'a')?.current_task_id).toBe('t1')
    s = reduce(s, {
      type: 'agent/status',
      data: {
        agent_id: 'a',
        previous_status: 'idle',
        new_status: 'stuck',
        timestamp: 'x',
        current_task_id: 't1',
        heartbeat_age_seconds: 400,
      },
    })
    expect(s.agents.data?.map((a) => a.agent_id)).toEqual(['a', 'b'])
    expect(s.agents.data?.[0]?.is_stuck).toBe(true)
  })

  it('a failed refresh keeps the previous data and records the error', () => {
    let s = reduce(initialState(), { type: 'agents/loaded', agents: [agent('a', 'idle', 'x')], at: 1 })
    s = reduce(s, { type: 'agents/failed', error: { status: 500, message: 'boom' } })
    expect(s.agents.data).toHaveLength(1)
    expect(s.agents.error?.message).toBe('boom')
  })

  it('attention order: stuck, error, waiting, processing, idle, then last_seen desc', () => {
    const list = attentionSort([
      agent('i', 'idle', '2026-01-01T00:00:02Z'),
      agent('i2', 'idle', '2026-01-01T00:00:03Z'),
      agent('p', 'processing', '2026-01-01'),
      agent('w', 'waiting_approval', '2026-01-01'),
      agent('e', 'error', '2026-01-01'),
      agent('s', 'stuck', '2026-01-01'),
    ])
    expect(list.map((a) => a.agent_id)).toEqual(['s', 'e', 'w', 'p', 'i2', 'i'])
  })

  it('live events of the open timeline append to it', () => {
    const t = {
      task_id: 't1',
      task_run_id: null,
      events: [],
      action_tree: [],
      error_chains: [],
      plan: null,
      events_truncated: false,
    }
    let s = reduce(initialState(), { type: 'timeline/loaded', timeline: t as never, at: 1 })
    s = reduce(s, { type: 'events/new', events: [wireEvent({ task_id: 't1' }), wireEvent({ task_id: 't2' })] })
    expect(s.timeline.data?.events).toHaveLength(1)
  })

  it('stream filters apply feed, agent and minimum severity (D46)', () => {
    const events = [
      wireEvent({ event_type: 'task_started' }),
      wireEvent({ event_type: 'action_failed', severity: 'error', agent_id: 'x' }),
      wireEvent({ payload: { kind: 'llm_call' } }),
      wireEvent({ event_type: 'escalated', severity: 'warn' }),
    ]
    expect(filterStream(events, { feed: 'tasks', agent: null, sev: null })).toHaveLength(1)
    expect(filterStream(events, { feed: 'errors', agent: null, sev: null })).toHaveLength(1)
    expect(filterStream(events, { feed: 'llm', agent: null, sev: null })).toHaveLength(1)
    expect(filterStream(events, { feed: 'human', agent: null, sev: null })).toHaveLength(1)
    expect(filterStream(events, { feed: 'all', agent: 'x', sev: null })).toHaveLength(1)
    expect(filterStream(events, { feed: 'all', agent: null, sev: 'warn' })).toHaveLength(2)
  })
})
