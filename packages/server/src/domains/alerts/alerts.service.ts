import { randomUUID } from 'node:crypto'
import type { Pagination } from '@hiveboard/shared'
import { iso, type Clock } from '../../clock.js'
import { AppError } from '../../errors/app-error.js'
import { compareKeys, paginateSorted, type PageRequest, type SortKey } from '../../http/paginate.js'
import type { AlertRule } from '../../storage/alert-records.js'
import type { EntityStore } from '../../storage/storage.js'
import type { ProjectsService } from '../projects/projects.service.js'
import type { AlertEvaluator } from './alert-evaluator.js'
import { toWireAlert, webhookBody } from './alert-firing.js'
import type { AlertHistory } from './alert-history.js'
import { parseConditionConfig, parseRuleInput, type RuleInput } from './rule-schema.js'
import { checkWebhookUrls, toStoredActions, toWireRule, type WireRule } from './rule-view.js'
import type { WireAlert } from './webhook-format.js'
import type { WebhookSender } from './webhook-sender.js'

export interface AlertsServiceDeps {
  entities: EntityStore
  clock: Clock
  projects: ProjectsService
  history: AlertHistory
  evaluator: AlertEvaluator
  sender: WebhookSender
  production: boolean
  allowPrivate: boolean
}

export interface HistoryFilters {
  ruleId: string | undefined
  projectId: string | undefined
  since: number | undefined
  until: number | undefined
  open: boolean | undefined
}

export interface TestResult {
  type: 'webhook' | 'email'
  url: string | null
  to: string | null
  status: 'sent' | 'failed' | 'logged'
  http_status: number | null
  error: string | null
  duration_ms: number
}

const OPEN_MAX_AGE_MS = 24 * 3_600_000

/** Alert rules CRUD, history reads and test-fire (api.md §4.11). */
export class AlertsService {
  constructor(private readonly deps: AlertsServiceDeps) {}

  private wire(rule: AlertRule): WireRule {
    return toWireRule(rule, this.deps.history.lastFiredAt(rule.tenant_id, rule.rule_id))
  }

  private find(tenantId: string, ruleId: string): AlertRule {
    const rule = this.deps.entities.listTenant('alert_rules', tenantId).find((r) => r.rule_id === ruleId)
    if (rule === undefined) throw new AppError('not_found', 'Alert rule not found')
    return rule
  }

  list(tenantId: string, filters: { projectId?: string; isEnabled?: boolean }): WireRule[] {
    return this.deps.entities
      .listTenant('alert_rules', tenantId)
      .filter((r) => filters.projectId === undefined || r.project_id === filters.projectId)
      .filter((r) => filters.isEnabled === undefined || r.is_enabled === filters.isEnabled)
      .map((r) => this.wire(r))
  }

  get(tenantId: string, ruleId: string): WireRule {
    return this.wire(this.find(tenantId, ruleId))
  }

  private build(tenantId: string, input: RuleInput, previous: AlertRule | null): AlertRule {
    const projectId =
      input.project_id === null ? null : this.deps.projects.require(tenantId, input.project_id).project_id
    const actions = toStoredActions(input.actions, previous?.actions ?? [])
    checkWebhookUrls(actions, this.deps.production, this.deps.allowPrivate)
    const now = iso(this.deps.clock.now())
    return {
      rule_id: previous?.rule_id ?? randomUUID(),
      tenant_id: tenantId,
      project_id: projectId,
      name: input.name,
      key_type: 'live',
      condition_type: input.condition_type,
      condition_config: input.condition_config,
      filters: input.filters,
      actions,
      cooldown_seconds: input.cooldown_seconds,
      is_enabled: input.is_enabled,
      created_at: previous?.created_at ?? now,
      updated_at: now,
    }
  }

  async create(tenantId: string, body: unknown): Promise<WireRule> {
    const rule = this.build(tenantId, parseRuleInput(body), null)
    await this.deps.entities.updateTenant('alert_rules', tenantId, (items) => [...items, rule])
    return this.wire(rule)
  }

  /** Partial update: the merged rule is validated as a whole (config re-validated). */
  async update(tenantId: string, ruleId: string, body: unknown): Promise<WireRule> {
    const previous = this.find(tenantId, ruleId)
    const patch = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}
    const typeChanged = 'condition_type' in patch && patch['condition_type'] !== previous.condition_type
    const merged = {
      name: previous.name,
      condition_type: previous.condition_type,
      condition_config: typeChanged ? {} : previous.condition_config,
      project_id: previous.project_id,
      filters: previous.filters,
      actions: previous.actions.map((a) => (a.type === 'webhook' ? { type: a.type, url: a.url, format: a.format } : a)),
      cooldown_seconds: previous.cooldown_seconds,
      is_enabled: previous.is_enabled,
      ...patch,
    }
    const rule = this.build(tenantId, parseRuleInput(merged), previous)
    rule.condition_config = parseConditionConfig(rule.condition_type, rule.condition_config)
    await this.deps.entities.updateTenant('alert_rules', tenantId, (items) => {
      if (!items.some((r) => r.rule_id === ruleId)) throw new AppError('not_found', 'Alert rule not found')
      return items.map((r) => (r.rule_id === ruleId ? rule : r))
    })
    this.deps.evaluator.forgetRule(tenantId, ruleId)
    return this.wire(rule)
  }

  async remove(tenantId: string, ruleId: string): Promise<{ status: 'deleted'; rule_id: string }> {
    this.find(tenantId, ruleId)
    await this.deps.entities.updateTenant('alert_rules', tenantId, (items) => {
      if (!items.some((r) => r.rule_id === ruleId)) throw new AppError('not_found', 'Alert rule not found')
      return items.filter((r) => r.rule_id !== ruleId)
    })
    this.deps.evaluator.forgetRule(tenantId, ruleId)
    return { status: 'deleted', rule_id: ruleId }
  }

  /** Newest first; `open` = not resolved and younger than 24 h (dashboard.md D50). */
  history(tenantId: string, filters: HistoryFilters, page: PageRequest): { data: WireAlert[]; pagination: Pagination } {
    const now = this.deps.clock.now()
    const items = this.deps.history.all(tenantId).filter((a) => {
      const fired = Date.parse(a.fired_at)
      if (filters.ruleId !== undefined && a.rule_id !== filters.ruleId) return false
      if (filters.projectId !== undefined && a.project_id !== filters.projectId) return false
      if (
        (filters.since !== undefined && fired < filters.since) ||
        (filters.until !== undefined && fired > filters.until)
      )
        return false
      return filters.open === undefined || isOpen(a.resolved_at, fired, now) === filters.open
    })
    // Pages follow the cursor key's own order: alerts fired in the same millisecond (one batch) are ordered by
    // alert_id as compareKeys orders it, else a page boundary between them repeats or skips alerts.
    const key = (a: WireAlert): SortKey => [-Date.parse(a.fired_at), a.alert_id]
    const sorted = items.map(toWireAlert).sort((x, y) => compareKeys(key(x), key(y)))
    return paginateSorted(sorted, key, page)
  }

  /** Counts for banners (dashboard.md D50): open alerts, last 24 h, per condition type. */
  summary(tenantId: string): Record<string, unknown> {
    const now = this.deps.clock.now()
    const all = this.deps.history.all(tenantId)
    const recent = all.filter((a) => now - Date.parse(a.fired_at) <= OPEN_MAX_AGE_MS)
    const open = recent.filter((a) => isOpen(a.resolved_at, Date.parse(a.fired_at), now))
    const byType: Record<string, number> = {}
    for (const a of open) byType[a.condition_type] = (byType[a.condition_type] ?? 0) + 1
    return {
      open_count: open.length,
      fired_24h: recent.length,
      open_by_condition_type: byType,
      latest_open: open.slice(0, 2).map(toWireAlert),
      total: all.length,
    }
  }

  /** Runs the actions once with a synthetic alert (`test: true`); no history, cooldown untouched. */
  async test(tenantId: string, ruleId: string): Promise<{ status: 'tested'; results: TestResult[] }> {
    const rule = this.find(tenantId, ruleId)
    const now = this.deps.clock.now()
    const alert: WireAlert = {
      alert_id: randomUUID(),
      rule_id: rule.rule_id,
      rule_name: rule.name,
      condition_type: rule.condition_type,
      project_id: rule.project_id,
      subject: 'test',
      fired_at: iso(now),
      condition_snapshot: { test: true },
      actions_taken: [],
      related_agent_id: null,
      related_task_id: null,
      resolved_at: null,
    }
    const results = await Promise.all(
      rule.actions.map(async (action): Promise<TestResult> => {
        if (action.type === 'email') {
          return {
            type: 'email',
            url: null,
            to: action.to,
            status: 'logged',
            http_status: null,
            error: null,
            duration_ms: 0,
          }
        }
        const body = webhookBody(rule, alert, true, action.format)
        const outcome = await this.deps.sender.deliver(action, body, alert.alert_id, 1)
        const { status, http_status, error, duration_ms } = outcome
        return { type: 'webhook', url: action.url, to: null, status, http_status, error, duration_ms }
      }),
    )
    return { status: 'tested', results }
  }
}

function isOpen(resolvedAt: string | null, firedMs: number, now: number): boolean {
  return resolvedAt === null && now - firedMs <= OPEN_MAX_AGE_MS
}
