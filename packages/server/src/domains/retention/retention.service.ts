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

/** Retention and pruning (events.md §7): run once at start and on the server's timer. */
export class RetentionService {
  constructor(
    private readonly deps: { storage: Storage; clock: Clock; logger: Logger; retentionDays: Config['retention_days'] },
  ) {}

  async run(): Promise<PruneResult> {
    const tenants = new Map(this.deps.storage.entities.list('tenants').map((t) => [t.tenant_id, t.plan]))
    const result = await this.deps.storage.prune(this.deps.clock.now(), (tenantId) => {
      const plan = tenants.get(tenantId)
      return plan === undefined ? null : retentionDaysFor(plan, this.deps.retentionDays)
    })
    if (result.total_pruned > 0) this.deps.logger.info(result, 'retention run removed events')
    return result
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
