import type { WireTask } from '@hiveboard/shared'
import { describe, expect, it } from 'vitest'
import { isRunningLong } from '../src/views/tasks.js'

const started = Date.parse('2026-02-15T10:00:00.000Z')
const task = (overrides: Partial<WireTask> = {}): WireTask => ({
  task_id: 't',
  task_type: null,
  task_run_id: null,
  agent_id: 'bot',
  project_id: null,
  environment: 'production',
  derived_status: 'processing',
  started_at: new Date(started).toISOString(),
  completed_at: null,
  duration_ms: null,
  total_cost: null,
  action_count: 0,
  error_count: 0,
  has_escalation: false,
  has_human_intervention: false,
  llm_call_count: 0,
  total_tokens_in: 0,
  total_tokens_out: 0,
  ...overrides,
})

describe('running long (D26)', () => {
  it('flags a processing task only past 3× its agent average', () => {
    expect(isRunningLong(task(), 60_000, started + 180_000)).toBe(false)
    expect(isRunningLong(task(), 60_000, started + 180_001)).toBe(true)
  })

  it('never flags without an average, or a task that is not processing', () => {
    expect(isRunningLong(task(), null, started + 1e9)).toBe(false)
    expect(isRunningLong(task(), 0, started + 1e9)).toBe(false)
    expect(isRunningLong(task({ derived_status: 'waiting' }), 1000, started + 1e9)).toBe(false)
  })
})
