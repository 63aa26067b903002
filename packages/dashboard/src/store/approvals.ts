/** Approvals waiting (dashboard.md D27, Beyond): tasks in `waiting` with their approver and wait start. Pure. */
import type { WireEvent, WireTask } from '@hiveboard/shared'

export interface WaitingApproval {
  task_id: string
  task_run_id: string | null
  agent_id: string | null
  /** `data.approver` of the task's latest `approval_requested`, null when none was named. */
  approver: string | null
  /** When the wait began: the latest `approval_requested`, else the task's start. */
  since: string
  summary: string | null
}

function sameRun(e: WireEvent, t: WireTask): boolean {
  return (
    e.task_id === t.task_id && (e.task_run_id === null || t.task_run_id === null || e.task_run_id === t.task_run_id)
  )
}

/** Joins the waiting tasks with the approval requests; the longest wait first. */
export function waitingApprovals(tasks: readonly WireTask[], requests: readonly WireEvent[]): WaitingApproval[] {
  const rows = tasks
    .filter((t) => t.derived_status === 'waiting')
    .map((t): WaitingApproval => {
      const latest = requests
        .filter((e) => e.event_type === 'approval_requested' && sameRun(e, t))
        .reduce<WireEvent | null>((a, e) => (a === null || e.timestamp > a.timestamp ? e : a), null)
      const data = latest?.payload?.data
      const named = typeof data === 'object' && data !== null && !Array.isArray(data) ? data.approver : null
      const approver = typeof named === 'string' ? named : null
      const summary = typeof latest?.payload?.summary === 'string' ? latest.payload.summary : null
      return {
        task_id: t.task_id,
        task_run_id: t.task_run_id,
        agent_id: t.agent_id,
        approver,
        since: latest?.timestamp ?? t.started_at,
        summary,
      }
    })
  return rows.sort((a, b) => a.since.localeCompare(b.since) || a.task_id.localeCompare(b.task_id))
}
