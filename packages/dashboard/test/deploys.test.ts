import type { WireTask } from '@hiveboard/shared'
import { describe, expect, it } from 'vitest'
import { deployComparison } from '../src/store/deploys.js'
import { wireEvent } from './events.js'

const reg = (at: string, version: string | null) =>
  wireEvent({ event_type: 'agent_registered', timestamp: at, payload: { data: version === null ? {} : { version } } })

let n = 0
const task = (startedAt: string, status: WireTask['derived_status'], duration: number | null, cost: number | null) =>
  ({
    task_id: `t-${++n}`,
    task_type: null,
    task_run_id: null,
    agent_id: 'bot',
    project_id: null,
    environment: 'production',
    derived_status: status,
    started_at: startedAt,
    completed_at: null,
    duration_ms: duration,
    total_cost: cost,
    action_count: 0,
    error_count: 0,
    has_escalation: false,
    has_human_intervention: false,
    llm_call_count: 0,
    total_tokens_in: 0,
    total_tokens_out: 0,
  }) satisfies WireTask

describe('deploys (D30)', () => {
  it('finds the latest version change (a restart on the same version is not one) and compares tasks around it', () => {
    const c = deployComparison(
      [
        reg('2026-02-15T08:00:00.000Z', '1.0'),
        reg('2026-02-15T09:00:00.000Z', '1.1'),
        reg('2026-02-15T09:30:00.000Z', '1.1'),
      ],
      [
        task('2026-02-15T08:10:00.000Z', 'completed', 60_000, 0.02),
        task('2026-02-15T08:20:00.000Z', 'failed', 20_000, null),
        task('2026-02-15T09:10:00.000Z', 'completed', 30_000, 0.01),
        task('2026-02-15T09:40:00.000Z', 'processing', null, null),
      ],
    )
    expect(c.deploys.map((d) => d.version)).toEqual(['1.1', '1.1', '1.0'])
    expect(c.change).toEqual({ from: '1.0', to: '1.1', at: '2026-02-15T09:00:00.000Z' })
    expect(c.before).toEqual({ tasks: 2, success_rate: 50, avg_duration_ms: 40_000, avg_cost: 0.02 })
    expect(c.after).toEqual({ tasks: 1, success_rate: 100, avg_duration_ms: 30_000, avg_cost: 0.01 })
  })

  it('without a version change there is nothing to compare', () => {
    const c = deployComparison(
      [reg('2026-02-15T08:00:00.000Z', '1.0')],
      [task('2026-02-15T08:10:00.000Z', 'completed', 1, 1)],
    )
    expect(c.change).toBeNull()
    expect(c.before.tasks).toBe(0)
    expect(c.after.tasks).toBe(0)
  })
})
