import type { WireTask } from '@hiveboard/shared'
import { describe, expect, it } from 'vitest'
import { waitingApprovals } from '../src/store/approvals.js'
import { wireEvent } from './events.js'

function task(overrides: Partial<WireTask>): WireTask {
  return {
    task_id: 't',
    task_type: null,
    task_run_id: 'r1',
    agent_id: 'bot',
    project_id: null,
    environment: 'production',
    derived_status: 'waiting',
    started_at: '2026-02-15T09:00:00.000Z',
    completed_at: null,
    duration_ms: null,
    total_cost: null,
    action_count: 0,
    error_count: 0,
    has_escalation: false,
    has_human_intervention: true,
    llm_call_count: 0,
    total_tokens_in: 0,
    total_tokens_out: 0,
    ...overrides,
  }
}

const request = (taskId: string, at: string, approver: string | null, run: string | null = 'r1') =>
  wireEvent({
    event_type: 'approval_requested',
    task_id: taskId,
    task_run_id: run,
    timestamp: at,
    payload: { summary: `approve ${taskId}`, data: approver === null ? {} : { approver } },
  })

describe('approvals waiting (D27)', () => {
  it('joins waiting tasks with their latest request: approver, wait start, longest wait first', () => {
    const rows = waitingApprovals(
      [task({ task_id: 'a' }), task({ task_id: 'b' }), task({ task_id: 'done', derived_status: 'completed' })],
      [
        request('a', '2026-02-15T09:05:00.000Z', 'finance'),
        request('a', '2026-02-15T09:07:00.000Z', 'legal'),
        request('b', '2026-02-15T09:01:00.000Z', 'ops'),
        request('done', '2026-02-15T09:00:00.000Z', 'x'),
      ],
    )
    expect(rows.map((r) => [r.task_id, r.approver, r.since])).toEqual([
      ['b', 'ops', '2026-02-15T09:01:00.000Z'],
      ['a', 'legal', '2026-02-15T09:07:00.000Z'],
    ])
    expect(rows[1]?.summary).toBe('approve a')
  })

  it("without a request (or another run's), the wait starts with the task and the approver is unknown", () => {
    const rows = waitingApprovals([task({ task_id: 'a' })], [request('a', '2026-02-15T09:05:00.000Z', 'x', 'r0')])
    expect(rows).toEqual([
      {
        task_id: 'a',
        task_run_id: 'r1',
        agent_id: 'bot',
        approver: null,
        since: '2026-02-15T09:00:00.000Z',
        summary: null,
      },
    ])
  })

  it('a request naming no approver leaves it unknown', () => {
    const rows = waitingApprovals([task({ task_id: 'a' })], [request('a', '2026-02-15T09:05:00.000Z', null)])
    expect(rows[0]?.approver).toBeNull()
  })
})
