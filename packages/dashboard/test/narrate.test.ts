import { EVENT_TYPES, PAYLOAD_KINDS } from '@hiveboard/shared'
import { describe, expect, it } from 'vitest'
import { narrate, narrateParts } from '../src/lib/narrate.js'
import { wireEvent } from './events.js'

const e = wireEvent

describe('narrative rows (D47)', () => {
  it('task_completed: full, missing cost, missing duration, zero cost kept', () => {
    const base = { event_type: 'task_completed' as const, task_id: 't-1', duration_ms: 90_000 }
    expect(narrate(e({ ...base, payload: { data: { cost: 0.0123 } } }))).toBe('bot completed t-1 in 1m30s ($0.0123)')
    expect(narrate(e(base))).toBe('bot completed t-1 in 1m30s')
    expect(narrate(e({ ...base, duration_ms: null }))).toBe('bot completed t-1')
    expect(narrate(e({ ...base, duration_ms: 0, payload: { data: { cost: 0 } } }))).toBe(
      'bot completed t-1 in 0ms ($0.0000)',
    )
  })

  it('action_failed: type and message, message only, neither', () => {
    const base = { event_type: 'action_failed' as const, action_id: 'a-1' }
    expect(
      narrate(
        e({ ...base, payload: { action_name: 'fetch', exception_type: 'Timeout', exception_message: 'CRM slow' } }),
      ),
    ).toBe('fetch failed — Timeout: CRM slow')
    expect(narrate(e({ ...base, payload: { action_name: 'fetch', exception_message: 'CRM slow' } }))).toBe(
      'fetch failed — CRM slow',
    )
    expect(narrate(e(base))).toBe('a-1 failed')
  })

  it('escalated and approvals drop missing parts', () => {
    expect(
      narrate(e({ event_type: 'escalated', task_id: 't', payload: { data: { assigned_to: 'ops', reason: 'down' } } })),
    ).toBe('bot escalated t to ops: down')
    expect(narrate(e({ event_type: 'escalated', task_id: 't' }))).toBe('bot escalated t')
    expect(narrate(e({ event_type: 'approval_requested', payload: { data: { approver: 'finance' } } }))).toBe(
      'bot is waiting for approval from finance',
    )
    expect(narrate(e({ event_type: 'approval_requested' }))).toBe('bot is waiting for approval')
  })

  it('llm_call: full, without tokens, without cost, zero tokens kept', () => {
    const llm = (data: Record<string, string | number>) => e({ payload: { kind: 'llm_call', data } })
    expect(narrate(llm({ model: 'gpt-4o', name: 'score', tokens_in: 1500, tokens_out: 300, cost: 0.0123 }))).toBe(
      'bot called gpt-4o for score (1.5K in / 300 out, $0.0123)',
    )
    expect(narrate(llm({ model: 'gpt-4o', name: 'score', cost: 0.0123 }))).toBe('bot called gpt-4o for score ($0.0123)')
    expect(narrate(llm({ model: 'gpt-4o', tokens_in: 0, tokens_out: 0 }))).toBe('bot called gpt-4o (0 in / 0 out)')
    expect(narrate(llm({ model: 'gpt-4o', cost: 0.01, cost_source: 'estimated' }))).toBe('bot called gpt-4o (~$0.0100)')
  })

  it('queue, issue, plan rows', () => {
    const k = (kind: string, data: Record<string, string | number>, summary?: string) =>
      e({ payload: { kind, data, ...(summary === undefined ? {} : { summary }) } })
    expect(narrate(k('queue_snapshot', { depth: 5, oldest_age_seconds: 120 }))).toBe('bot has 5 queued (oldest 2m)')
    expect(narrate(k('queue_snapshot', { depth: 0 }))).toBe('bot has 0 queued')
    expect(narrate(k('issue', { severity: 'high', occurrence_count: 3 }, 'DB pool exhausted'))).toBe(
      'bot reported a high issue: DB pool exhausted (×3)',
    )
    expect(narrate(k('issue', {}, 'DB pool exhausted'))).toBe('bot reported a issue: DB pool exhausted')
    expect(narrate(k('plan_step', { step_index: 0, total_steps: 2, action: 'completed' }))).toBe(
      'bot completed step 1 of 2',
    )
  })

  it('every type and kind has a sentence; unknown falls back to "{agent}: {summary}"', () => {
    for (const t of EVENT_TYPES) expect(narrate(e({ event_type: t, payload: { summary: 's' } }))).toMatch(/^bot/)
    for (const kind of PAYLOAD_KINDS) expect(narrate(e({ payload: { kind, summary: 's' } }))).toMatch(/^bot/)
    expect(narrate(e({ payload: { kind: 'mystery', summary: 'hello' } }))).toBe('bot: hello')
    expect(narrate(e({ payload: { kind: 'mystery' } }))).toBe('bot: custom')
  })

  it('summaries are cut at 160 chars; agent and task are separate parts', () => {
    const text = narrate(e({ payload: { summary: 'x'.repeat(300) } }))
    expect(text.length).toBe('bot: '.length + 160)
    const parts = narrateParts(e({ event_type: 'task_started', task_id: 't-9' }))
    expect(parts.map((p) => p.kind)).toEqual(['agent', 'text', 'task'])
  })
})
