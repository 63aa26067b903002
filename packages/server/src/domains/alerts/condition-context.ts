import type { AgentState } from '../../projection/agent-state.js'
import type { NamespaceView } from '../../projection/namespace.js'
import type { EventRecord, StoredEvent } from '../../projection/stored-event.js'
import type { AlertRule } from '../../storage/alert-records.js'
import type { ProjectIdMap } from '../projects/project-redirects.js'
import type { LoopWindow } from './loop-window.js'
import type { Contribution } from './window-tally.js'

/** One subject for which a condition holds, with the evidence (E103 `condition_snapshot`). */
export interface Firing {
  subject: string
  snapshot: Record<string, unknown>
  agentId: string | null
  taskId: string | null
}

/** A level condition's verdict: subjects where it holds, and which subjects this evaluation judged. */
export interface LevelOutcome {
  firings: Firing[]
  covers: (subject: string) => boolean
}

/** What an event-identity signature of a loop candidate carries (E102). */
export interface LoopSignature {
  hash: string
  match: 'llm_call' | 'action'
  name: string | null
  model: string | null
}

/** Everything a pure condition needs; evaluation never touches storage directly. */
export interface EvalContext {
  view: NamespaceView
  now: number
  defaultStuckThresholdSeconds: number
  projectAgents(projectId: string): ReadonlySet<string>
  /** Events moved by a merge or delete count for the project they were moved into. */
  effectiveProject: ProjectIdMap
  signatureOf(record: EventRecord): LoopSignature | null
  /** Sums of `contribute` over the visible events in the window (rescanned or advanced incrementally). */
  windowSums(rule: AlertRule, window: { start: number; end: number }, contribute: Contribution): readonly number[]
  /** Only these agents (ingest re-arming, the stuck detector); undefined = all agents. */
  agentIds?: ReadonlySet<string>
  /** The signature of a just-stored event (cached by the evaluator). */
  storedSignatureOf?(event: StoredEvent): LoopSignature | null
  /** After a batch: its events by agent; loop windows advance by these instead of rescanning. */
  freshByAgent?: ReadonlyMap<string, readonly StoredEvent[]>
  /** Loop windows kept between evaluations by `rule_id \0 agent_id` (owned by the evaluator). */
  loopWindows?: Map<string, { updatedAt: string; window: LoopWindow }>
  /** Changes whenever the tenant's projects change (merges move events between rule scopes). */
  scopeStamp?: string
}

export const RULE_SUBJECT = 'rule'
export const agentSubject = (agentId: string): string => `agent:${agentId}`

/** Project scope (after merges, see `effectiveProject`) and filters on an event (E100: both are applied). */
export function recordInScope(
  rule: AlertRule,
  r: Pick<EventRecord, 'projectId' | 'agentId' | 'environment' | 'group'>,
  effectiveProject: ProjectIdMap,
): boolean {
  const f = rule.filters
  return (
    (rule.project_id === null || effectiveProject(r.projectId) === rule.project_id) &&
    (f.agent_id === null || r.agentId === f.agent_id) &&
    (f.environment === null || r.environment === f.environment) &&
    (f.group === null || r.group === f.group)
  )
}

/** Agents are in a project's scope when linked to it (api.md §4.10 project–agent links). */
export function agentInScope(rule: AlertRule, agent: AgentState, ctx: EvalContext): boolean {
  const f = rule.filters
  if (ctx.agentIds !== undefined && !ctx.agentIds.has(agent.agentId)) return false
  return (
    (f.agent_id === null || agent.agentId === f.agent_id) &&
    (f.environment === null || agent.environment === f.environment) &&
    (f.group === null || agent.group === f.group) &&
    (rule.project_id === null || ctx.projectAgents(rule.project_id).has(agent.agentId))
  )
}

/** The agents a rule looks at: one (config `agent_id`) or all in scope. */
export function agentsFor(rule: AlertRule, ctx: EvalContext, agentId: string | null): AgentState[] {
  if (agentId !== null) {
    const agent = ctx.view.agents.get(agentId)
    return agent !== undefined && agentInScope(rule, agent, ctx) ? [agent] : []
  }
  return [...ctx.view.agents.values()].filter((agent) => agentInScope(rule, agent, ctx))
}

/** Subjects judged when only some agents were evaluated. */
export function coversAgents(ctx: EvalContext): (subject: string) => boolean {
  const only = ctx.agentIds
  if (only === undefined) return () => true
  return (subject) => {
    const agentId = subject.startsWith('agent:') ? subject.slice(6).split('\u0000')[0] : undefined
    return agentId !== undefined && only.has(agentId)
  }
}

export function isoOrNull(ms: number | null): string | null {
  return ms === null || !Number.isFinite(ms) ? null : new Date(ms).toISOString()
}
