import {
  effectivePricing,
  type IngestError,
  type IngestResponse,
  type IngestWarning,
  type PriceEntry,
} from '@hiveboard/shared'
import type { Clock } from '../../clock.js'
import { iso } from '../../clock.js'
import type { Logger } from '../../logger.js'
import type { Principal } from '../../http/principal.js'
import { toWireEvent, type StoredEvent } from '../../projection/stored-event.js'
import type { Broadcaster, Scope } from '../../realtime/broadcaster.js'
import type { Storage } from '../../storage/storage.js'
import type { AgentsService } from '../agents/agents.service.js'
import type { IngestProjectResolution, ProjectsService } from '../projects/projects.service.js'
import { parseIngestBody, type Envelope } from './envelope.js'
import { enrichLlmCall } from './llm-cost.js'
import { isRejection, validateEvent, type ValidEvent } from './validate-event.js'
import { reportedUnder } from '../projects/project-redirects.js'

export interface IngestServiceDeps {
  storage: Storage
  broadcaster: Broadcaster
  clock: Clock
  logger: Logger
  projects: ProjectsService
  agents: AgentsService
  /** Alert evaluation of new live events (events.md E106.1); never throws. */
  alerts?: { afterIngest(scope: Scope, stored: readonly StoredEvent[]): Promise<void> }
}

export interface IngestOutcome {
  status: 200 | 207
  body: IngestResponse
}

interface Accepted {
  valid: ValidEvent
  projectId: string | null
}

/** `POST /v1/ingest` (api.md §4.2, events.md §1–§3): validate, dedup, resolve projects, store, derive, push. */
export class IngestService {
  private readonly pricing = new Map<string, { version: number; table: PriceEntry[] }>()

  constructor(private readonly deps: IngestServiceDeps) {}

  async ingest(principal: Principal, body: unknown): Promise<IngestOutcome> {
    const receivedAt = this.deps.clock.now()
    const { envelope, events, warnings } = parseIngestBody(body)
    const scope: Scope = { tenantId: principal.tenantId, partition: principal.partition }
    const errors: IngestError[] = []
    const candidates: ValidEvent[] = []
    const inBatch = new Set<string>()
    let duplicates = 0
    for (let index = 0; index < events.length; index++) {
      const result = validateEvent(events[index], index, envelope.agent_id, receivedAt)
      if (isRejection(result)) {
        errors.push({ index, event_id: result.eventId, error: result.error, message: result.message })
        continue
      }
      for (const w of result.warnings)
        warnings.push({ index, event_id: result.eventId, code: w.code, warning: w.message })
      // E26: a duplicate of a stored event, or of an earlier one in this batch, is accepted and not stored.
      if (inBatch.has(result.eventId) || this.deps.storage.events.isKnownEventId(scope.tenantId, result.eventId)) {
        duplicates++
        continue
      }
      inBatch.add(result.eventId)
      candidates.push(result)
    }
    const accepted = await this.resolveProjects(scope.tenantId, candidates, errors, warnings)
    const table = this.pricingFor(scope.tenantId)
    for (const { valid } of accepted) {
      if (valid.payload === null) continue
      const costWarnings: ValidEvent['warnings'] = []
      enrichLlmCall(valid.payload, table, costWarnings)
      for (const w of costWarnings)
        warnings.push({ index: valid.index, event_id: valid.eventId, code: w.code, warning: w.message })
    }
    // E27: stable sort by (timestamp, request position); seq follows this order.
    accepted.sort((a, b) => a.valid.ts - b.valid.ts || a.valid.index - b.valid.index)
    const receivedIso = iso(receivedAt)
    const stored = accepted.map((a) => buildStoredEvent(a, envelope, principal, receivedIso))
    const result =
      stored.length === 0 ? undefined : await this.deps.storage.events.append(scope.tenantId, scope.partition, stored)
    duplicates += result?.duplicateIds.size ?? 0
    if (result !== undefined && result.stored.length > 0) await this.afterStoring(scope, result.stored)
    errors.sort((a, b) => a.index - b.index)
    warnings.sort((a, b) => (a.index ?? -1) - (b.index ?? -1))
    return {
      status: errors.length === 0 ? 200 : 207,
      body: { accepted: events.length - errors.length, rejected: errors.length, duplicates, errors, warnings },
    }
  }

  /** Rule 8 / E7: each distinct project value is resolved once per batch. */
  private async resolveProjects(
    tenantId: string,
    candidates: ValidEvent[],
    errors: IngestError[],
    warnings: IngestWarning[],
  ): Promise<Accepted[]> {
    const resolved = new Map<string, IngestProjectResolution>()
    const announced = new Set<string>()
    const accepted: Accepted[] = []
    for (const valid of candidates) {
      const value = valid.ids.project_id
      if (value === null) {
        accepted.push({ valid, projectId: null })
        continue
      }
      let resolution = resolved.get(value)
      if (resolution === undefined) {
        resolution = await this.deps.projects.resolveForIngest(tenantId, value)
        resolved.set(value, resolution)
      }
      if (!resolution.ok) {
        errors.push({
          index: valid.index,
          event_id: valid.eventId,
          error: resolution.error,
          message: resolution.message,
        })
        continue
      }
      const warning = resolution.warning
      if (warning !== undefined && (warning.code !== 'project_auto_created' || !announced.has(warning.slug))) {
        announced.add(warning.slug)
        warnings.push({
          index: valid.index,
          event_id: valid.eventId,
          code: warning.code,
          warning: warning.message,
          project_slug: warning.slug,
        })
      }
      accepted.push({ valid, projectId: resolution.projectId })
    }
    return accepted
  }

  private pricingFor(tenantId: string): PriceEntry[] {
    const version = this.deps.storage.entities.version('pricing', tenantId)
    const cached = this.pricing.get(tenantId)
    if (cached !== undefined && cached.version === version) return cached.table
    const table = effectivePricing(this.deps.storage.entities.listTenant('pricing', tenantId))
    this.pricing.set(tenantId, { version, table })
    return table
  }

  /** After durability, new events only (api.md §4.2): push events, publish statuses, link projects. */
  private async afterStoring(scope: Scope, stored: StoredEvent[]): Promise<void> {
    const effectiveProject = this.deps.projects.effectiveIds(scope.tenantId)
    const pushed = stored.map((e) => reportedUnder(toWireEvent(e), effectiveProject, ['project_id']))
    this.deps.broadcaster.broadcastEvents(scope, pushed)
    const agentIds = new Set<string>()
    const pairs = new Map<string, [string, string]>()
    for (const event of stored) {
      agentIds.add(event.agent_id)
      if (event.project_id !== null)
        pairs.set(`${event.project_id}\u0000${event.agent_id}`, [event.project_id, event.agent_id])
    }
    this.deps.agents.publish(scope, agentIds)
    await this.deps.alerts?.afterIngest(scope, stored)
    try {
      await this.deps.projects.link(scope.tenantId, scope.partition, [...pairs.values()])
    } catch (error) {
      // The events are durable; a failed link write must not turn their acknowledgement into an error.
      this.deps.logger.error({ err: error, tenant_id: scope.tenantId }, 'could not record project-agent links')
    }
  }
}

function buildStoredEvent(
  accepted: Accepted,
  envelope: Envelope,
  principal: Principal,
  receivedAt: string,
): StoredEvent {
  const { valid, projectId } = accepted
  const ids = valid.ids
  return {
    event_id: valid.eventId,
    tenant_id: principal.tenantId,
    agent_id: ids.agent_id ?? envelope.agent_id,
    agent_type: ids.agent_type ?? envelope.agent_type,
    project_id: projectId,
    timestamp: valid.timestamp,
    received_at: receivedAt,
    environment: envelope.environment,
    group: envelope.group,
    task_id: ids.task_id,
    task_type: ids.task_type,
    task_run_id: ids.task_run_id,
    correlation_id: ids.correlation_id,
    action_id: ids.action_id,
    parent_action_id: ids.parent_action_id,
    event_type: valid.eventType,
    severity: valid.severity,
    status: valid.status,
    duration_ms: valid.durationMs,
    parent_event_id: ids.parent_event_id,
    payload: valid.payload,
    key_type: principal.partition,
    seq: 0,
    agent_version: envelope.agent_version,
    framework: envelope.framework,
    runtime: envelope.runtime,
    sdk_version: envelope.sdk_version,
  }
}
