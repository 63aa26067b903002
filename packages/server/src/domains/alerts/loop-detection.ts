import { createHash } from 'node:crypto'
import type { AgentState } from '../../projection/agent-state.js'
import { lowerBoundTs } from '../../projection/order.js'
import type { EventRecord, StoredEvent } from '../../projection/stored-event.js'
import type { AlertRule } from '../../storage/alert-records.js'
import {
  agentsFor,
  agentSubject,
  coversAgents,
  isoOrNull,
  recordInScope,
  type EvalContext,
  type Firing,
  type LevelOutcome,
  type LoopSignature,
} from './condition-context.js'
import { LoopWindow, type LoopGroup } from './loop-window.js'
import { configOf } from './rule-schema.js'

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** JSON with object keys sorted at every level, so equal arguments hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (isObject(value)) {
    const keys = Object.keys(value).sort()
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

/** Records worth reading back from disk for a signature: llm calls and terminal actions. */
export function isLoopCandidate(record: EventRecord): boolean {
  return record.llm !== null || record.eventType === 'action_completed' || record.eventType === 'action_failed'
}

/**
 * E102: llm_call → SHA-256 of `name|model|prompt_preview` (`tokens_in` replaces a missing preview);
 * terminal actions → SHA-256 of `action_name|canonical JSON of args` (payload.args or data.args); else null.
 */
export function loopSignature(event: StoredEvent): LoopSignature | null {
  const payload = event.payload
  if (payload === null) return null
  const data = isObject(payload['data']) ? payload['data'] : {}
  if (payload['kind'] === 'llm_call') {
    const name = typeof data['name'] === 'string' ? data['name'] : 'unknown'
    const model = typeof data['model'] === 'string' ? data['model'] : 'unknown'
    const preview =
      typeof data['prompt_preview'] === 'string' ? data['prompt_preview'] : canonicalJson(data['tokens_in'])
    return { hash: sha256(`${name}|${model}|${preview}`), match: 'llm_call', name, model }
  }
  if (event.event_type !== 'action_completed' && event.event_type !== 'action_failed') return null
  const args = payload['args'] ?? data['args']
  if (args === undefined) return null
  const rawName = payload['action_name'] ?? data['action_name']
  const name = typeof rawName === 'string' ? rawName : null
  return { hash: sha256(`${name ?? ''}|${canonicalJson(args)}`), match: 'action', name, model: null }
}

type LoopConfig = ReturnType<typeof configOf<'loop_detected'>>

function matches(config: LoopConfig, signature: LoopSignature | null): signature is LoopSignature {
  return signature !== null && (config.match === 'any' || signature.match === config.match)
}

/** Feeds one just-stored event of the agent into its window when it is a candidate of this rule. */
function feedStored(
  rule: AlertRule,
  config: LoopConfig,
  window: LoopWindow,
  event: StoredEvent,
  ctx: EvalContext,
): void {
  const scope = {
    projectId: event.project_id,
    agentId: event.agent_id,
    environment: event.environment,
    group: event.group,
  }
  if (!recordInScope(rule, scope, ctx.effectiveProject)) return
  // The evaluator remembered the batch's signatures; recomputing is the fallback.
  const signature = ctx.storedSignatureOf?.(event) ?? loopSignature(event)
  if (!matches(config, signature)) return
  const entry = { ts: Date.parse(event.timestamp), seq: event.seq, eventId: event.event_id, taskId: event.task_id }
  window.add(entry, signature)
}

/** A window rebuilt from the agent's events from `start` on (later-dated ones wait inside it). */
function scanWindow(
  rule: AlertRule,
  config: LoopConfig,
  agent: AgentState,
  ctx: EvalContext,
  start: number,
): LoopWindow {
  const window = new LoopWindow(start, ctx.now, config.min_repeats)
  for (let i = lowerBoundTs(agent.events, start); i < agent.events.length; i++) {
    const record = agent.events[i] as EventRecord
    if (!isLoopCandidate(record) || !recordInScope(rule, record, ctx.effectiveProject)) continue
    const signature = ctx.signatureOf(record)
    if (!matches(config, signature)) continue
    window.add({ ts: record.ts, seq: record.seq, eventId: record.eventId, taskId: record.taskId }, signature)
  }
  return window
}

/**
 * The agent's window at now: after a batch, the kept window slides and takes the batch's events (cost: the batch
 * plus what slid out); otherwise (timer, first sight, rule changed, clock moved back) it is rebuilt by a scan,
 * which also corrects anything an incremental step could miss (e.g. events moved between projects).
 */
function windowFor(rule: AlertRule, config: LoopConfig, agent: AgentState, ctx: EvalContext, start: number) {
  const key = `${rule.rule_id}\u0000${agent.agentId}`
  const cached = ctx.loopWindows?.get(key)
  const fresh = ctx.freshByAgent?.get(agent.agentId)
  // A rule edit or a project merge (which changes the rule's scope) makes the kept window stale.
  const stamp = `${rule.updated_at}\u0000${ctx.scopeStamp ?? ''}`
  if (fresh !== undefined && cached !== undefined && cached.updatedAt === stamp) {
    if (cached.window.slide(start, ctx.now)) {
      for (const event of fresh) feedStored(rule, config, cached.window, event, ctx)
      return cached.window
    }
  }
  if (agent.lastSeen < start) {
    ctx.loopWindows?.delete(key)
    return null
  }
  const window = scanWindow(rule, config, agent, ctx, start)
  ctx.loopWindows?.set(key, { updatedAt: stamp, window })
  return window
}

/** `loop_detected`: one agent repeats the same signature ≥ `min_repeats` times in the window (E101, E102). */
export function evaluateLoop(rule: AlertRule, ctx: EvalContext): LevelOutcome {
  const config = configOf('loop_detected', rule.condition_config)
  const start = ctx.now - config.window_seconds * 1000
  const firings: Firing[] = []
  for (const agent of agentsFor(rule, ctx, config.agent_id)) {
    const window = windowFor(rule, config, agent, ctx, start)
    if (window === null) continue
    for (const group of window.groups()) firings.push(loopFiring(agent.agentId, group, config.window_seconds))
  }
  return { firings, covers: coversAgents(ctx) }
}

function loopFiring(agentId: string, group: LoopGroup, windowSeconds: number): Firing {
  const { signature, last } = group
  return {
    subject: `${agentSubject(agentId)}\u0000${signature.hash}`,
    snapshot: {
      agent_id: agentId,
      task_id: last.taskId,
      match: signature.match,
      name: signature.name,
      model: signature.model,
      signature: signature.hash,
      count: group.count,
      window_seconds: windowSeconds,
      first_at: isoOrNull(group.first.ts),
      last_at: isoOrNull(last.ts),
      sample_event_id: last.eventId,
    },
    agentId,
    taskId: last.taskId,
  }
}
