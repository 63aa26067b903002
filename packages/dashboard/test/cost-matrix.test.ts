import type { WireTask } from '@hiveboard/shared'
import { describe, expect, it } from 'vitest'
import { typeByAgent } from '../src/store/cost-matrix.js'

let n = 0
function task(type: string | null, agent: string, cost: number | null, calls: number): WireTask {
  n++
  return {
    task_id: `t-${n}`,
    task_type: type,
    task_run_id: null,
    agent_id: agent,
    project_id: null,
    environment: 'production',
    derived_status: 'completed',
    started_at: '2026-02-15T09:00:00.000Z',
    completed_at: '2026-02-15T09:01:00.000Z',
    duration_ms: 60_000,
    total_cost: cost,
    action_count: 0,
    error_count: 0,
    has_escalation: false,
    has_human_intervention: false,
    llm_call_count: calls,
    total_tokens_in: 0,
    total_tokens_out: 0,
  }
}

describe('cost by task type × agent (D43)', () => {
  it('groups count, mean cost and calls; flags agents over twice the cheapest mean for the same type', () => {
    const cells = typeByAgent([
      task('triage', 'a', 0.01, 2),
      task('triage', 'a', 0.03, 4),
      task('triage', 'b', 0.05, 6),
      task('triage', 'c', 0.03, 3),
      task('refund', 'a', null, 0),
      task(null, 'b', 0.5, 1),
    ])
    expect(cells.map((c) => [c.task_type, c.agent_id, c.count, c.mean_cost, c.mean_calls, c.spread])).toEqual([
      ['—', 'b', 1, 0.5, 1, false],
      ['refund', 'a', 1, null, 0, false],
      ['triage', 'b', 1, 0.05, 6, true],
      ['triage', 'c', 1, 0.03, 3, false],
      ['triage', 'a', 2, 0.02, 3, false],
    ])
  })
})
