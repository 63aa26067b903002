import type { AlertRule } from '../../storage/alert-records.js'
import { heartbeatAgeSeconds, isStuck, stuckThresholdSeconds } from '../agents/derive-status.js'
import {
  agentsFor,
  agentSubject,
  coversAgents,
  isoOrNull,
  type EvalContext,
  type Firing,
  type LevelOutcome,
} from './condition-context.js'
import { configOf } from './rule-schema.js'

/** `agent_stuck` (E101, E52): per agent, stuck at now (the rule may override the agent's threshold). */
export function evaluateAgentStuck(rule: AlertRule, ctx: EvalContext): LevelOutcome {
  const config = configOf('agent_stuck', rule.condition_config)
  const firings: Firing[] = []
  for (const agent of agentsFor(rule, ctx, config.agent_id)) {
    const threshold = config.stuck_threshold_seconds ?? stuckThresholdSeconds(agent, ctx.defaultStuckThresholdSeconds)
    if (!isStuck(agent, ctx.now, threshold)) continue
    firings.push({
      subject: agentSubject(agent.agentId),
      snapshot: {
        agent_id: agent.agentId,
        threshold_seconds: threshold,
        heartbeat_age_seconds: heartbeatAgeSeconds(agent, ctx.now),
        last_seen: isoOrNull(agent.lastSeen),
      },
      agentId: agent.agentId,
      taskId: agent.currentRun()?.taskId ?? null,
    })
  }
  return { firings, covers: coversAgents(ctx) }
}

/** `heartbeat_lost` (api.md §4.11): the last heartbeat, else first_seen, is older than the window. */
export function evaluateHeartbeatLost(rule: AlertRule, ctx: EvalContext): LevelOutcome {
  const config = configOf('heartbeat_lost', rule.condition_config)
  const firings: Firing[] = []
  for (const agent of agentsFor(rule, ctx, config.agent_id)) {
    const reference = agent.lastHeartbeat ?? agent.firstSeen
    const ageMs = ctx.now - reference
    if (ageMs <= config.window_seconds * 1000) continue
    firings.push({
      subject: agentSubject(agent.agentId),
      snapshot: {
        agent_id: agent.agentId,
        window_seconds: config.window_seconds,
        last_heartbeat: isoOrNull(agent.lastHeartbeat),
        heartbeat_age_seconds: Math.floor(ageMs / 1000),
      },
      agentId: agent.agentId,
      taskId: agent.currentRun()?.taskId ?? null,
    })
  }
  return { firings, covers: coversAgents(ctx) }
}

/**
 * `approval_waiting` / `escalation_open` (our addition, see README): a task whose status is `waiting`
 * (an unanswered approval_requested) or `escalated` (not finished) for longer than `threshold_seconds`,
 * measured from its latest approval request / first escalation. Subject: the task.
 */
export function evaluateWaiting(rule: AlertRule, ctx: EvalContext): LevelOutcome {
  const kind = rule.condition_type === 'approval_waiting' ? 'waiting' : 'escalated'
  const config = configOf('approval_waiting', rule.condition_config)
  const firings: Firing[] = []
  for (const task of ctx.view.tasks.values()) {
    if (task.status() !== kind) continue
    const agentId = task.firstValue('agent_id')
    if (config.agent_id !== null && agentId !== config.agent_id) continue
    const marks = task.events.filter((e) => e.eventType === (kind === 'waiting' ? 'approval_requested' : 'escalated'))
    const mark = kind === 'waiting' ? marks.at(-1) : marks[0]
    if (mark === undefined) continue
    const f = rule.filters
    if (f.agent_id !== null && mark.agentId !== f.agent_id) continue
    if (rule.project_id !== null && ctx.effectiveProject(mark.projectId) !== rule.project_id) continue
    if ((f.environment !== null && mark.environment !== f.environment) || (f.group !== null && mark.group !== f.group))
      continue
    const waitedMs = ctx.now - mark.ts
    if (waitedMs <= config.threshold_seconds * 1000) continue
    firings.push({
      subject: `task:${task.taskId}`,
      snapshot: {
        task_id: task.taskId,
        agent_id: mark.agentId,
        status: kind,
        since: isoOrNull(mark.ts),
        waiting_seconds: Math.floor(waitedMs / 1000),
        threshold_seconds: config.threshold_seconds,
        event_id: mark.eventId,
      },
      agentId: mark.agentId,
      taskId: task.taskId,
    })
  }
  return { firings, covers: () => true }
}
