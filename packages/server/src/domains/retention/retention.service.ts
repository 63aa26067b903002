import type { Clock } from '../../clock.js'
import type { Config } from '../../config.js'
import type { Logger } from '../../logger.js'
import type { PruneResult, Storage } from '../../storage/storage.js'

const PLAN_DAYS: Record<string, number> = { free: 7, pro: 30, enterprise: 90 }

/** E121: config retention_days (a number > 0, or per plan) overrides the plan; unknown plans get 7. */
export function retentionDaysFor(plan: string, configured: Config['retention_days']): number {
  if (typeof configured === 'number') return configured > 0 ? configured : (PLAN_DAYS[plan] ?? 7)
  return configured[plan] ?? PLAN_DAYS[plan] ?? 7
}

/** E126: alert history lives `rollup_retention_days`, never less than the tenant's event retention. */
export function alertHistoryDaysFor(tenantRetentionDays: number, rollupRetentionDays: number): number {
  return Math.max(tenantRetentionDays, rollupRetentionDays)
}

const DAY_MS = 86_400_000

export interface RetentionDeps {
  storage: Storage
  clock: Clock
  logger: Logger
  retentionDays: Config['retention_days']
  /** Config `rollup_retention_days` (default 90). */
  rollupRetentionDays?: number
}

/** Retention and pruning (events.md §7): run once at start and on the server's timer. */
export class RetentionService {
  constructor(private readonly deps: RetentionDeps) {}

  async run(): Promise<PruneResult> {
    const tenants = new Map(this.deps.storage.entities.list('tenants').map((t) => [t.tenant_id, t.plan]))
    const result = await this.deps.storage.prune(this.deps.clock.now(), (tenantId) => {
      const plan = tenants.get(tenantId)
      return plan === undefined ? null : retentionDaysFor(plan, this.deps.retentionDays)
    })
    if (result.total_pruned > 0) this.deps.logger.info(result, 'retention run removed events')
    await this.pruneAlertHistory(tenants)
    return result
  }

  /**
   * E126: alert history day files whose whole day is older than the tenant's alert retention are deleted.
   * Tenants without a record (orphan directories) are never pruned. Returns the day files deleted.
   */
  async pruneAlertHistory(tenants: ReadonlyMap<string, string> = this.tenantPlans()): Promise<number> {
    const now = this.deps.clock.now()
    let deleted = 0
    for (const [tenantId, plan] of tenants) {
      const days = alertHistoryDaysFor(
        retentionDaysFor(plan, this.deps.retentionDays),
        this.deps.rollupRetentionDays ?? 90,
      )
      // Day D goes when D + 1 day ≤ now − days (as event segments, E125): every day before the cutoff's day.
      deleted += await this.deps.storage.alerts.pruneDaysBefore(tenantId, now - days * DAY_MS)
    }
    if (deleted > 0) this.deps.logger.info({ files: deleted }, 'retention run removed alert history days')
    return deleted
  }

  private tenantPlans(): Map<string, string> {
    return new Map(this.deps.storage.entities.list('tenants').map((t) => [t.tenant_id, t.plan]))
  }

  /** Timer-driven: a failed run is logged and the next still runs (E120). */
  async runLogged(): Promise<void> {
    try {
      await this.run()
    } catch (error) {
      this.deps.logger.error({ err: error }, 'retention run failed')
    }
  }
}
