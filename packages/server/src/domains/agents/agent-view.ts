import { percent, round6, type AgentStats1h, type AgentStatus, type WireAgent } from '@hiveboard/shared'
import { iso } from '../../clock.js'
import type { AgentState } from '../../projection/agent-state.js'
import { lowerBoundTs } from '../../projection/order.js'
import { deriveStatus, heartbeatAgeSeconds, heartbeatHealth, stuckThresholdSeconds } from './derive-status.js'

const HOUR_MS = 3_600_000
const SPARK_BUCKET_MS = 300_000

/** E65 over the agent's last hour, heartbeats excluded, with E67–E70 definitions. */
export function stats1h(agent: AgentState, now: number): { stats: AgentStats1h; sparkline: number[] } {
  const start = now - HOUR_MS
  const sparkline = new Array<number>(12).fill(0)
  const completed = new Set<string>()
  const failed = new Set<string>()
  let durationSum = 0
  let durationCount = 0
  let errors = 0
  let finished = 0
  let cost = 0
  let priced = 0
  let calls = 0
  const events = agent.events
  for (let i = lowerBoundTs(events, start); i < events.length; i++) {
    const e = events[i]
    if (e === undefined || e.ts > now) break
    if (e.eventType === 'heartbeat') continue
    sparkline[Math.min(11, Math.floor((e.ts - start) / SPARK_BUCKET_MS))]!++
    switch (e.eventType) {
      case 'task_completed':
        if (e.taskId !== null) completed.add(e.taskId)
        if (e.durationMs !== null) {
          durationSum += e.durationMs
          durationCount++
        }
        finished++
        break
      case 'task_failed':
        if (e.taskId !== null) failed.add(e.taskId)
        errors++
        finished++
        break
      case 'action_failed':
        errors++
        finished++
        break
      case 'action_completed':
        finished++
        break
      default:
        break
    }
    if (e.llm !== null) {
      calls++
      if (e.llm.cost !== null) {
        cost += e.llm.cost
        priced++
      }
    }
  }
  for (const id of completed) failed.delete(id)
  const stats: AgentStats1h = {
    tasks_completed: completed.size,
    tasks_failed: failed.size,
    success_rate: percent(completed.size, completed.size + failed.size),
    error_rate: percent(errors, finished),
    avg_duration_ms: durationCount === 0 ? null : Math.round(durationSum / durationCount),
    total_cost: priced === 0 ? null : round6(cost),
    throughput: completed.size,
    llm_call_count: calls,
    queue_depth: agent.pipeline.queue?.depth ?? null,
    active_issues: agent.pipeline.activeIssueCount(),
  }
  return { stats, sparkline }
}

export interface PublishedStatus {
  status: AgentStatus | null
  previous: AgentStatus | null
}

/** The API Agent object (api.md §4.0) at `now`. */
export function toWireAgent(
  agent: AgentState,
  now: number,
  defaultThresholdSeconds: number,
  published: PublishedStatus | undefined,
): WireAgent {
  const threshold = stuckThresholdSeconds(agent, defaultThresholdSeconds)
  const status = deriveStatus(agent, now, defaultThresholdSeconds)
  const age = heartbeatAgeSeconds(agent, now)
  const run = agent.currentRun()
  const { stats, sparkline } = stats1h(agent, now)
  return {
    agent_id: agent.agentId,
    agent_type: agent.metadataValue('agent_type') ?? 'general',
    agent_version: agent.metadataValue('agent_version'),
    framework: agent.metadataValue('framework'),
    runtime: agent.metadataValue('runtime'),
    sdk_version: agent.metadataValue('sdk_version'),
    environment: agent.environment,
    group: agent.group,
    derived_status: status,
    // previous_status: the status before the last published change (E50).
    previous_status: published?.status === status ? (published.previous ?? null) : (published?.status ?? null),
    is_stuck: status === 'stuck',
    stuck_threshold_seconds: threshold,
    current_task_id: run?.taskId ?? null,
    current_project_id: run?.projectId ?? null,
    last_task_id: agent.lastTask?.value ?? null,
    last_project_id: agent.lastProject?.value ?? null,
    last_event_type: agent.lastEvent?.type ?? null,
    processing_summary: agent.processingSummary(),
    last_heartbeat: agent.lastHeartbeat === null ? null : iso(agent.lastHeartbeat),
    heartbeat_age_seconds: age,
    heartbeat_health: heartbeatHealth(age, threshold),
    first_seen: iso(agent.firstSeen),
    last_seen: iso(agent.lastSeen),
    stats_1h: stats,
    sparkline_1h: sparkline,
  }
}
