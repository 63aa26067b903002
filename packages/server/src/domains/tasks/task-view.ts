import { round6, type WireTask } from '@hiveboard/shared'
import { iso } from '../../clock.js'
import type { TaskState } from '../../projection/task-state.js'

/** The API Task object (api.md §4.0) with events.md E56–E58 semantics. */
export function toWireTask(task: TaskState): WireTask {
  return {
    task_id: task.taskId,
    task_type: task.firstValue('task_type'),
    task_run_id: task.firstValue('task_run_id'),
    agent_id: task.firstValue('agent_id'),
    project_id: task.firstValue('project_id'),
    environment: task.firstValue('environment'),
    derived_status: task.status(),
    started_at: iso(task.first.ts),
    completed_at: task.latestTerminal === null ? null : iso(task.latestTerminal.ts),
    duration_ms: task.durationMs(),
    total_cost: task.pricedCalls === 0 ? null : round6(task.totalCost),
    action_count: task.actionIds.size,
    error_count: task.errorCount,
    has_escalation: task.escalations > 0,
    has_human_intervention: task.approvalsRequested + task.approvalsReceived > 0,
    llm_call_count: task.llmCallCount,
    total_tokens_in: task.tokensIn,
    total_tokens_out: task.tokensOut,
  }
}
