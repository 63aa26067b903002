import { anEvent, type TestServer } from '../src/testing/index.js'
import type { EventOverrides } from '../src/testing/fixtures.js'

const at = (hhmm: string) => `2026-02-15T${hhmm}:00.000Z`

export function llm(data: Record<string, unknown>, overrides: EventOverrides = {}) {
  return anEvent({ event_type: 'custom', payload: { kind: 'llm_call', summary: 'call', data }, ...overrides })
}

/**
 * The hand-computed fixture, now = 10:00Z. In the last hour: a1 completes t1 (1 000 ms) and fails t2
 * (2 000 ms, one action_failed); a2 completes t3 (3 000 ms) and makes a call outside any task. At 08:30
 * a1 completed t0 with a 0.5 USD call.
 */
export async function ingestFixture(srv: TestServer): Promise<void> {
  const a1 = [
    anEvent({ event_type: 'task_completed', task_id: 't0', timestamp: at('08:30'), duration_ms: 9999 }),
    llm(
      { model: 'gpt-4o', tokens_in: 10, tokens_out: 10, cost: 0.5, name: 'old' },
      { task_id: 't0', timestamp: at('08:29') },
    ),
    anEvent({ event_type: 'task_started', task_id: 't1', timestamp: at('09:10') }),
    // gpt-4o 1000 in / 500 out, no cost: 1000 × 2.5 + 500 × 10 = 7 500 µ$ → 0.0075 estimated.
    llm(
      { model: 'gpt-4o', tokens_in: 1000, tokens_out: 500, name: 'score' },
      { task_id: 't1', timestamp: at('09:12') },
    ),
    anEvent({ event_type: 'task_completed', task_id: 't1', timestamp: at('09:15'), duration_ms: 1000 }),
    anEvent({ event_type: 'task_started', task_id: 't2', timestamp: at('09:20') }),
    anEvent({ event_type: 'action_failed', task_id: 't2', action_id: 'x', timestamp: at('09:25') }),
    anEvent({ event_type: 'task_failed', task_id: 't2', timestamp: at('09:30'), duration_ms: 2000 }),
    anEvent({ event_type: 'heartbeat', timestamp: at('09:59') }),
  ]
  const a2 = [
    anEvent({ event_type: 'task_started', task_id: 't3', timestamp: at('09:40') }),
    llm(
      { model: 'claude-sonnet-4-20250514', tokens_in: 100, tokens_out: 50, cost: 0.02, name: 'plan' },
      { task_id: 't3', timestamp: at('09:41') },
    ),
    anEvent({ event_type: 'action_completed', task_id: 't3', action_id: 'y', timestamp: at('09:45') }),
    anEvent({ event_type: 'task_completed', task_id: 't3', timestamp: at('09:50'), duration_ms: 3000 }),
    // claude-sonnet-4: 1200 in (800 cached), 350 out → (400×3 + 800×3 + 350×15)/1e6 = 0.00885 estimated.
    llm(
      { model: 'claude-sonnet-4', tokens_in: 1200, cache_read_tokens: 800, tokens_out: 350, name: 'chat' },
      { timestamp: at('09:55') },
    ),
  ]
  for (const [agent, events] of [
    ['a1', a1],
    ['a2', a2],
  ] as const) {
    const res = await srv.post('/v1/ingest', { envelope: { agent_id: agent, agent_type: 'worker' }, events })
    if (res.status !== 200) throw new Error(`ingest ${res.status}: ${await res.text()}`)
  }
}
