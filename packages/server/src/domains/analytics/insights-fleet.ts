import { AGENT_STATUSES, percent, type AgentStatus } from '@hiveboard/shared'
import type { AgentState } from '../../projection/agent-state.js'
import { deriveStatus, heartbeatAgeSeconds, stuckThresholdSeconds } from '../agents/derive-status.js'

const ONLINE_SECONDS = 300

/** The `fleet` block of `GET /v1/insights` (api.md §4.8) over the agents in scope. */
export function fleetInsights(agents: readonly AgentState[], now: number, defaultThresholdSeconds: number) {
  const byStatus = Object.fromEntries(AGENT_STATUSES.map((s) => [s, 0])) as Record<AgentStatus, number>
  const stuckAgents = []
  let online = 0
  let activeIssues = 0
  let idleWithQueue = 0
  let queuedItems = 0
  for (const agent of agents) {
    const status = deriveStatus(agent, now, defaultThresholdSeconds)
    byStatus[status]++
    const age = heartbeatAgeSeconds(agent, now)
    if (age !== null && age < ONLINE_SECONDS) online++
    activeIssues += agent.pipeline.activeIssueCount()
    const depth = agent.pipeline.queue?.depth ?? 0
    if (status === 'idle' && depth > 0) {
      idleWithQueue++
      queuedItems += depth
    }
    if (status === 'stuck') {
      stuckAgents.push({
        agent_id: agent.agentId,
        heartbeat_age_seconds: age,
        stuck_threshold_seconds: stuckThresholdSeconds(agent, defaultThresholdSeconds),
        current_task_id: agent.currentRun()?.taskId ?? null,
      })
    }
  }
  return {
    total: agents.length,
    online,
    by_status: byStatus,
    needs_attention: {
      total: byStatus.stuck + byStatus.error + byStatus.waiting_approval + activeIssues,
      stuck: byStatus.stuck,
      error: byStatus.error,
      waiting_approval: byStatus.waiting_approval,
      active_issues: activeIssues,
    },
    utilization_percent: percent(byStatus.processing, agents.length),
    stuck_agents: stuckAgents,
    idle_with_queue: { agents: idleWithQueue, queued_items: queuedItems },
  }
}
