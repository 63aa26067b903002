import type {
  AlertHistoryRecord,
  AlertHistoryStore,
  AlertLine,
  DeliveryRecord,
  ResolutionRecord,
} from '../../storage/alert-records.js'

/** A history record as read: deliveries merged into `actions_taken`, plus `resolved_at` (E108, E132). */
export type AlertView = AlertHistoryRecord & { resolved_at: string | null }

interface TenantIndex {
  records: Map<string, AlertHistoryRecord>
  deliveries: Map<string, DeliveryRecord[]>
  resolutions: Map<string, string>
  /** Latest fired_at (ms) per rule and subject: the cooldown clock (E105). */
  latest: Map<string, number>
  /** Latest fired_at (ms) per rule: `last_fired_at`. */
  latestByRule: Map<string, number>
}

function isDelivery(line: AlertLine): line is { delivery: DeliveryRecord } {
  return 'delivery' in line
}

function isResolution(line: AlertLine): line is { resolution: ResolutionRecord } {
  return 'resolution' in line
}

/** The merged, indexed view of the append-only alert lines of each tenant. */
export class AlertHistory {
  private readonly indexes = new Map<string, TenantIndex>()

  constructor(private readonly store: AlertHistoryStore) {
    store.onPrune((tenantId, removed, beforeDayMs) => this.forget(tenantId, removed, beforeDayMs))
  }

  /**
   * Drops alerts removed by retention (E126). A cooldown clock older than the pruned days only ever came from
   * pruned firings; newer ones (kept records, or claims whose record is still being written) stay.
   */
  private forget(tenantId: string, removed: ReadonlySet<string>, beforeDayMs: number): void {
    const index = this.indexes.get(tenantId)
    if (index === undefined) return
    for (const id of removed) {
      index.records.delete(id)
      index.deliveries.delete(id)
      index.resolutions.delete(id)
    }
    for (const clock of [index.latest, index.latestByRule]) {
      for (const [key, firedMs] of clock) if (firedMs < beforeDayMs) clock.delete(key)
    }
  }

  private index(tenantId: string): TenantIndex {
    let index = this.indexes.get(tenantId)
    if (index === undefined) {
      index = {
        records: new Map(),
        deliveries: new Map(),
        resolutions: new Map(),
        latest: new Map(),
        latestByRule: new Map(),
      }
      this.indexes.set(tenantId, index)
      for (const line of this.store.lines(tenantId)) this.note(index, line)
    }
    return index
  }

  private note(index: TenantIndex, line: AlertLine): void {
    if (isDelivery(line)) {
      const list = index.deliveries.get(line.delivery.alert_id) ?? []
      list.push(line.delivery)
      index.deliveries.set(line.delivery.alert_id, list)
    } else if (isResolution(line)) {
      index.resolutions.set(line.resolution.alert_id, line.resolution.resolved_at)
    } else if (typeof line.alert_id === 'string') {
      index.records.set(line.alert_id, line)
      this.noteFired(index, line.rule_id, line.subject, Date.parse(line.fired_at))
    }
  }

  private noteFired(index: TenantIndex, ruleId: string, subject: string, firedMs: number): void {
    const key = `${ruleId}\u0000${subject}`
    index.latest.set(key, Math.max(index.latest.get(key) ?? -Infinity, firedMs))
    index.latestByRule.set(ruleId, Math.max(index.latestByRule.get(ruleId) ?? -Infinity, firedMs))
  }

  /** Reserves the cooldown slot synchronously, so concurrent evaluations cannot both fire (E105). */
  claim(tenantId: string, ruleId: string, subject: string, nowMs: number, cooldownSeconds: number): boolean {
    const index = this.index(tenantId)
    const last = index.latest.get(`${ruleId}\u0000${subject}`)
    if (last !== undefined && nowMs - last < cooldownSeconds * 1000) return false
    this.noteFired(index, ruleId, subject, nowMs)
    return true
  }

  /**
   * The newest unresolved record of (rule, subject), e.g. fired before a restart: an episode suppressed by
   * cooldown adopts it, so its resolution is still recorded when the condition clears.
   */
  openAlert(tenantId: string, ruleId: string, subject: string): { alertId: string; firedMs: number } | null {
    const index = this.index(tenantId)
    let best: AlertHistoryRecord | null = null
    for (const record of index.records.values()) {
      if (record.rule_id !== ruleId || record.subject !== subject || index.resolutions.has(record.alert_id)) continue
      if (best === null || record.fired_at > best.fired_at) best = record
    }
    return best === null ? null : { alertId: best.alert_id, firedMs: Date.parse(best.fired_at) }
  }

  lastFiredAt(tenantId: string, ruleId: string): number | null {
    return this.index(tenantId).latestByRule.get(ruleId) ?? null
  }

  async record(record: AlertHistoryRecord): Promise<void> {
    await this.store.append(record.tenant_id, Date.parse(record.fired_at), [record])
    this.index(record.tenant_id).records.set(record.alert_id, record)
  }

  async recordDelivery(tenantId: string, firedAtMs: number, delivery: DeliveryRecord): Promise<void> {
    await this.store.append(tenantId, firedAtMs, [{ delivery }])
    this.note(this.index(tenantId), { delivery })
  }

  async recordResolution(tenantId: string, firedAtMs: number, resolution: ResolutionRecord): Promise<void> {
    await this.store.append(tenantId, firedAtMs, [{ resolution }])
    this.note(this.index(tenantId), { resolution })
  }

  /** Every record of the tenant, merged, newest `fired_at` first (E108). */
  all(tenantId: string): AlertView[] {
    const index = this.index(tenantId)
    const views = [...index.records.values()].map((record) => merge(record, index))
    return views.sort((a, b) => b.fired_at.localeCompare(a.fired_at) || b.alert_id.localeCompare(a.alert_id))
  }

  get(tenantId: string, alertId: string): AlertView | undefined {
    const index = this.index(tenantId)
    const record = index.records.get(alertId)
    return record === undefined ? undefined : merge(record, index)
  }
}

function merge(record: AlertHistoryRecord, index: TenantIndex): AlertView {
  const deliveries = index.deliveries.get(record.alert_id) ?? []
  const actions = record.actions_taken.map((action, i) => {
    const outcome = deliveries.filter((d) => d.action_index === i).at(-1)
    if (outcome === undefined) return action
    const { status, attempts, http_status, error } = outcome
    return { ...action, status, attempts, http_status, error }
  })
  return { ...record, actions_taken: actions, resolved_at: index.resolutions.get(record.alert_id) ?? null }
}
