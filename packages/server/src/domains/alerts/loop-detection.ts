import { createHash } from 'node:crypto'
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
import { configOf } from './rule-schema.js'
import { eventsIn } from './window-conditions.js'

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

interface Group {
  signature: LoopSignature
  count: number
  first: EventRecord
  last: EventRecord
}

/** `loop_detected`: one agent repeats the same signature ≥ `min_repeats` times in the window (E101, E102). */
export function evaluateLoop(rule: AlertRule, ctx: EvalContext): LevelOutcome {
  const config = configOf('loop_detected', rule.condition_config)
  const start = ctx.now - config.window_seconds * 1000
  const firings: Firing[] = []
  for (const agent of agentsFor(rule, ctx, config.agent_id)) {
    if (agent.lastSeen < start) continue
    const groups = new Map<string, Group>()
    for (const record of eventsIn(agent.events, start, ctx.now)) {
      if (!isLoopCandidate(record) || !recordInScope(rule, record, ctx.effectiveProject)) continue
      const signature = ctx.signatureOf(record)
      if (signature === null || (config.match !== 'any' && signature.match !== config.match)) continue
      const group = groups.get(signature.hash)
      if (group === undefined) groups.set(signature.hash, { signature, count: 1, first: record, last: record })
      else {
        group.count++
        group.last = record
      }
    }
    for (const group of groups.values()) {
      if (group.count >= config.min_repeats) firings.push(loopFiring(agent.agentId, group, config.window_seconds))
    }
  }
  return { firings, covers: coversAgents(ctx) }
}

function loopFiring(agentId: string, group: Group, windowSeconds: number): Firing {
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
