import type { Logger } from '../../logger.js'
import { parseRecord, type EventRecord, type StoredEvent } from '../../projection/stored-event.js'
import type { Scope } from '../../realtime/broadcaster.js'
import type { AlertRule } from '../../storage/alert-records.js'
import type { Storage } from '../../storage/storage.js'
import type { Clock } from '../../clock.js'
import type { ProjectIdMap } from '../projects/project-redirects.js'
import { evaluateAgentStuck, evaluateHeartbeatLost, evaluateWaiting } from './agent-conditions.js'
import type { AlertFiring } from './alert-firing.js'
import type { AlertHistory } from './alert-history.js'
import type { EvalContext, LevelOutcome, LoopSignature } from './condition-context.js'
import type { LoopWindow } from './loop-window.js'
import { EVENT_CONDITIONS, evaluateEvent } from './event-conditions.js'
import { evaluateLoop, isLoopCandidate, loopSignature } from './loop-detection.js'
import { evaluateCostThreshold, evaluateErrorRate } from './window-conditions.js'
import { advanceTally, asWindowRecord, scanTally, type Tally, type WindowRecord } from './window-tally.js'

type LevelEvaluator = (rule: AlertRule, ctx: EvalContext) => LevelOutcome

const LEVEL: Readonly<Record<string, LevelEvaluator>> = {
  agent_stuck: evaluateAgentStuck,
  heartbeat_lost: evaluateHeartbeatLost,
  error_rate: evaluateErrorRate,
  cost_threshold: evaluateCostThreshold,
  loop_detected: evaluateLoop,
  approval_waiting: evaluateWaiting,
  escalation_open: evaluateWaiting,
}

/**
 * Checked after a batch (E106.1) when the batch can change them; windowed conditions only grow on
 * ingest, so batches without relevant events are skipped (the timer slides windows). The waiting
 * conditions run on the timer only (they scan tasks).
 */
const ON_INGEST: Readonly<Record<string, (event: StoredEvent) => boolean>> = {
  agent_stuck: () => true,
  heartbeat_lost: () => true,
  error_rate: (e) => e.event_type === 'action_completed' || e.event_type === 'action_failed',
  cost_threshold: (e) => e.payload?.['kind'] === 'llm_call',
  loop_detected: (e) =>
    e.payload?.['kind'] === 'llm_call' || e.event_type === 'action_completed' || e.event_type === 'action_failed',
}

interface Episode {
  alertId: string | null
  firedMs: number
}

export interface AlertEvaluatorDeps {
  storage: Storage
  clock: Clock
  logger: Logger
  firing: AlertFiring
  history: AlertHistory
  defaultStuckThresholdSeconds: number
  projectAgents(tenantId: string, projectId: string): ReadonlySet<string>
  effectiveProjectIds(tenantId: string): ProjectIdMap
}

const SIGNATURE_CACHE_LIMIT = 200_000

/**
 * Runs the rules (E104–E106): event conditions per new event, level conditions as episodes per
 * (rule, subject) that fire when they turn true and re-arm when false. Live partition only (api.md §2.6).
 * Never throws: failures are logged and never reach ingest.
 */
export class AlertEvaluator {
  private readonly episodes = new Map<string, Map<string, Episode>>()
  private readonly signatures = new Map<string, LoopSignature | null>()
  private readonly tallies = new Map<string, { stamp: string; tally: Tally }>()
  /** Per tenant: loop windows by `rule_id \0 agent_id`, advanced per batch (loop-detection.ts). */
  private readonly loopWindows = new Map<string, Map<string, { updatedAt: string; window: LoopWindow }>>()
  private timerRunning = false

  constructor(private readonly deps: AlertEvaluatorDeps) {}

  private rules(tenantId: string): AlertRule[] {
    return this.deps.storage.entities.listTenant('alert_rules', tenantId).filter((rule) => rule.is_enabled)
  }

  private context(
    tenantId: string,
    now: number,
    agentIds?: ReadonlySet<string>,
    fresh?: readonly WindowRecord[],
    freshByAgent?: ReadonlyMap<string, readonly StoredEvent[]>,
  ): EvalContext {
    const view = this.deps.storage.events.namespace(tenantId, 'live')
    const ctx: EvalContext = {
      view,
      now,
      defaultStuckThresholdSeconds: this.deps.defaultStuckThresholdSeconds,
      projectAgents: (projectId) => this.deps.projectAgents(tenantId, projectId),
      effectiveProject: this.deps.effectiveProjectIds(tenantId),
      signatureOf: (record) => this.signatureOf(record),
      storedSignatureOf: (event) => {
        const known = this.signatures.get(event.event_id)
        return known !== undefined ? known : this.remember(event.event_id, loopSignature(event))
      },
      loopWindows: this.loopWindowsOf(tenantId),
      scopeStamp: String(this.deps.storage.entities.version('projects', tenantId)),
      windowSums: (rule, window, contribute) => {
        // After a batch the window is advanced incrementally; the timer rescans (and corrects drift).
        const key = `${tenantId}\u0000${rule.rule_id}`
        const cached = this.tallies.get(key)
        // A merge changes which stored events are in a project's scope: the tally is rescanned then.
        const stamp = `${rule.updated_at}\u0000${this.deps.storage.entities.version('projects', tenantId)}`
        const advanced =
          fresh !== undefined && cached !== undefined && cached.stamp === stamp
            ? advanceTally(cached.tally, view.events, window, fresh, contribute)
            : null
        const tally = advanced ?? scanTally(view.events, window.start, window.end, contribute)
        this.tallies.set(key, { stamp, tally })
        return tally.sums
      },
    }
    if (agentIds !== undefined) ctx.agentIds = agentIds
    if (freshByAgent !== undefined) ctx.freshByAgent = freshByAgent
    return ctx
  }

  private loopWindowsOf(tenantId: string): Map<string, { updatedAt: string; window: LoopWindow }> {
    let windows = this.loopWindows.get(tenantId)
    if (windows === undefined) {
      windows = new Map()
      this.loopWindows.set(tenantId, windows)
    }
    return windows
  }

  private signatureOf(record: EventRecord): LoopSignature | null {
    const known = this.signatures.get(record.eventId)
    if (known !== undefined) return known
    if (!isLoopCandidate(record)) return null
    return this.remember(record.eventId, loopSignature(parseRecord(record)))
  }

  private remember(eventId: string, signature: LoopSignature | null): LoopSignature | null {
    if (this.signatures.size >= SIGNATURE_CACHE_LIMIT) this.signatures.clear()
    this.signatures.set(eventId, signature)
    return signature
  }

  /** E106.1: after a durable batch, new events only. */
  async afterIngest(scope: Scope, stored: readonly StoredEvent[]): Promise<void> {
    if (scope.partition !== 'live' || stored.length === 0) return
    await this.guard(async () => {
      const rules = this.rules(scope.tenantId)
      if (rules.length === 0) return
      const now = this.deps.clock.now()
      for (const event of stored) this.remember(event.event_id, loopSignature(event))
      const agents = new Set(stored.map((event) => event.agent_id))
      const fresh = stored.map(asWindowRecord)
      const byAgent = new Map<string, StoredEvent[]>()
      for (const event of stored) {
        const list = byAgent.get(event.agent_id)
        if (list === undefined) byAgent.set(event.agent_id, [event])
        else list.push(event)
      }
      const work: Array<Promise<void>> = []
      for (const rule of rules) {
        if (EVENT_CONDITIONS.has(rule.condition_type)) {
          for (const event of stored) {
            const firing = evaluateEvent(rule, event, this.deps.effectiveProjectIds(scope.tenantId))
            const fired = firing === null ? null : this.deps.firing.fire(rule, firing, now)
            if (fired !== null) work.push(fired.done)
          }
        } else if (stored.some((event) => ON_INGEST[rule.condition_type]?.(event) === true)) {
          work.push(...this.level(rule, this.context(scope.tenantId, now, agents, fresh, byAgent)))
        }
      }
      await Promise.all(work)
    })
  }

  /** E106.2: every level condition at now, for every tenant with live data; overlapping runs are skipped. */
  async evaluateAll(): Promise<void> {
    if (this.timerRunning) return
    this.timerRunning = true
    try {
      const now = this.deps.clock.now()
      for (const { tenantId, partition } of this.deps.storage.events.namespaces()) {
        if (partition !== 'live') continue
        await this.guard(async () => {
          const work: Array<Promise<void>> = []
          for (const rule of this.rules(tenantId)) {
            if (LEVEL[rule.condition_type] !== undefined) work.push(...this.level(rule, this.context(tenantId, now)))
          }
          await Promise.all(work)
        })
      }
    } finally {
      this.timerRunning = false
    }
  }

  /** E106.3: the stuck detector saw an agent enter stuck. */
  async agentStuck(scope: Scope, agentId: string): Promise<void> {
    if (scope.partition !== 'live') return
    await this.guard(async () => {
      const now = this.deps.clock.now()
      const ctx = this.context(scope.tenantId, now, new Set([agentId]))
      const rules = this.rules(scope.tenantId).filter((rule) => rule.condition_type === 'agent_stuck')
      await Promise.all(rules.flatMap((rule) => this.level(rule, ctx)))
    })
  }

  /** A rule changed or was deleted: its episodes start over (they re-arm). */
  forgetRule(tenantId: string, ruleId: string): void {
    this.episodes.delete(`${tenantId}\u0000${ruleId}`)
    this.tallies.delete(`${tenantId}\u0000${ruleId}`)
    const windows = this.loopWindows.get(tenantId)
    for (const key of windows?.keys() ?? []) if (key.startsWith(`${ruleId}\u0000`)) windows?.delete(key)
  }

  private level(rule: AlertRule, ctx: EvalContext): Array<Promise<void>> {
    const evaluate = LEVEL[rule.condition_type]
    if (evaluate === undefined) return []
    const outcome = evaluate(rule, ctx)
    const key = `${rule.tenant_id}\u0000${rule.rule_id}`
    let book = this.episodes.get(key)
    if (book === undefined) {
      book = new Map()
      this.episodes.set(key, book)
    }
    const work: Array<Promise<void>> = []
    const holding = new Set<string>()
    for (const firing of outcome.firings) {
      holding.add(firing.subject)
      if (book.has(firing.subject)) continue // silent while true (E104)
      const fired = this.deps.firing.fire(rule, firing, ctx.now)
      if (fired !== null) {
        book.set(firing.subject, { alertId: fired.alertId, firedMs: ctx.now })
        work.push(fired.done)
      } else {
        const open = this.deps.history.openAlert(rule.tenant_id, rule.rule_id, firing.subject)
        book.set(firing.subject, open === null ? { alertId: null, firedMs: ctx.now } : open)
      }
    }
    for (const [subject, episode] of book) {
      if (holding.has(subject) || !outcome.covers(subject)) continue
      book.delete(subject) // re-armed
      if (episode.alertId !== null) {
        work.push(this.deps.firing.resolve(rule.tenant_id, episode.alertId, episode.firedMs, ctx.now))
      }
    }
    return work
  }

  private async guard(task: () => Promise<void>): Promise<void> {
    try {
      await task()
    } catch (error) {
      this.deps.logger.error({ err: error }, 'alert evaluation failed')
    }
  }
}
