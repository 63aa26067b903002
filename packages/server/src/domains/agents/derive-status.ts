import type { AgentStatus, HeartbeatHealth } from '@hiveboard/shared'
import type { AgentState } from '../../projection/agent-state.js'

export function stuckThresholdSeconds(agent: AgentState, defaultSeconds: number): number {
  return agent.threshold?.value ?? defaultSeconds
}

/** E52: stuck when now − (last_heartbeat ?? last_seen) > threshold (strict). */
export function isStuck(agent: AgentState, now: number, thresholdSeconds: number): boolean {
  const reference = agent.lastHeartbeat ?? agent.lastSeen
  return now - reference > thresholdSeconds * 1000
}

/** E48, first match: stuck, error, waiting_approval, processing (open run or action), idle. */
export function deriveStatus(agent: AgentState, now: number, defaultThresholdSeconds: number): AgentStatus {
  if (isStuck(agent, now, stuckThresholdSeconds(agent, defaultThresholdSeconds))) return 'stuck'
  const latest = agent.latestStatusEvent?.type
  if (latest === 'task_failed' || latest === 'action_failed') return 'error'
  if (latest === 'approval_requested') return 'waiting_approval'
  if (agent.currentRun() !== null || agent.hasOpenAction()) return 'processing'
  return 'idle'
}

export function heartbeatAgeSeconds(agent: AgentState, now: number): number | null {
  return agent.lastHeartbeat === null ? null : Math.max(0, Math.floor((now - agent.lastHeartbeat) / 1000))
}

/** E53: none, fresh (< 60 s), stale (≤ threshold), dead. */
export function heartbeatHealth(ageSeconds: number | null, thresholdSeconds: number): HeartbeatHealth {
  if (ageSeconds === null) return 'none'
  if (ageSeconds < 60) return 'fresh'
  return ageSeconds <= thresholdSeconds ? 'stale' : 'dead'
}
