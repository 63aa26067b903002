import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../src/clock.js'
import { startTestServer, type TestServer } from '../src/testing/index.js'
import { createRule, evaluate, events, history, llmCall, send, T0 } from './alerts-helpers.js'

let srv: TestServer
let clock: ManualClock
beforeEach(async () => {
  clock = new ManualClock(T0)
  srv = await startTestServer({ clock })
})
afterEach(async () => {
  await srv.close()
})

describe('loop_detected (E101, E102)', () => {
  it('when an agent repeats the same LLM call 50 times, then exactly one alert fires with that call as evidence', async () => {
    await createRule(srv, { name: 'Loops', condition_type: 'loop_detected', cooldown_seconds: 0 })
    const repeated = Array.from({ length: 50 }, () => ({
      ...llmCall({ prompt_preview: 'Retry the search' }),
      task_id: 'T-7',
    }))
    const list = events(repeated, T0, 2000) // 50 calls over 98 s, inside the 300 s window
    await send(srv, list.slice(0, 20))
    await send(srv, list.slice(20))
    await evaluate(srv)
    clock.advance(10_000)
    await evaluate(srv)
    const alerts = await history(srv)
    expect(alerts).toHaveLength(1)
    expect(alerts[0]).toMatchObject({
      condition_type: 'loop_detected',
      related_agent_id: 'agent-1',
      related_task_id: 'T-7',
      condition_snapshot: {
        agent_id: 'agent-1',
        task_id: 'T-7',
        match: 'llm_call',
        name: 'plan',
        model: 'gpt-4o',
        window_seconds: 300,
        first_at: list[0]!.timestamp,
        sample_event_id: list[19]!.event_id,
      },
    })
    expect(alerts[0].condition_snapshot.count).toBe(20) // the evidence at firing: the first batch's 20 calls
    expect(srv.recorder!.ofType('alert.fired')).toHaveLength(1)
  })

  it('when calls differ in prompt or stay below min_repeats, then nothing fires', async () => {
    await createRule(srv, { condition_type: 'loop_detected', condition_config: { min_repeats: 5, match: 'llm_call' } })
    const distinct = Array.from({ length: 10 }, (_, i) => llmCall({ prompt_preview: `step ${i}` }))
    await send(srv, events([...distinct, ...Array.from({ length: 4 }, () => llmCall())]))
    await evaluate(srv)
    expect(await history(srv)).toHaveLength(0)
  })

  it('when the same action with the same arguments repeats, then it fires; other arguments do not count', async () => {
    await createRule(srv, { condition_type: 'loop_detected', condition_config: { min_repeats: 3, match: 'action' } })
    const act = (args: unknown) => ({
      event_type: 'action_completed',
      action_id: `a${Math.random()}`,
      payload: { action_name: 'fetch', args },
    })
    await send(srv, events([act({ q: 1, page: 2 }), act({ page: 2, q: 1 }), act({ q: 2 })]))
    expect(await history(srv)).toHaveLength(0)
    await send(srv, events([act({ q: 1, page: 2 })]))
    expect((await history(srv))[0].condition_snapshot).toMatchObject({
      match: 'action',
      name: 'fetch',
      count: 3,
      model: null,
    })
  })

  it('when the window slides past the repeats, then the episode re-arms and a new loop fires again', async () => {
    await createRule(srv, {
      condition_type: 'loop_detected',
      condition_config: { min_repeats: 3, window_seconds: 60 },
      cooldown_seconds: 0,
    })
    await send(srv, events(Array.from({ length: 3 }, () => llmCall())))
    expect(await history(srv)).toHaveLength(1)
    clock.advance(61_000)
    await evaluate(srv)
    expect((await history(srv))[0].resolved_at).not.toBeNull()
    await send(
      srv,
      events(
        Array.from({ length: 3 }, () => llmCall()),
        T0 + 61_000,
      ),
    )
    expect(await history(srv)).toHaveLength(2)
  })
})
