import type { Clock } from '../../clock.js'
import type { Config } from '../../config.js'
import type { Logger } from '../../logger.js'
import type { Broadcaster } from '../../realtime/broadcaster.js'
import type { Storage } from '../../storage/storage.js'
import type { ProjectsService } from '../projects/projects.service.js'
import { AlertEvaluator } from './alert-evaluator.js'
import { AlertFiring } from './alert-firing.js'
import { AlertHistory } from './alert-history.js'
import { AlertsService } from './alerts.service.js'
import { DEFAULT_RETRY_DELAYS_MS, WebhookSender } from './webhook-sender.js'

export interface AlertsDeps {
  config: Config
  storage: Storage
  broadcaster: Broadcaster
  clock: Clock
  logger: Logger
  projects: ProjectsService
  /** Webhook retry waits (E109: 10 s, 60 s); tests pass short ones. */
  webhookRetryDelaysMs?: readonly number[]
}

export interface Alerts {
  service: AlertsService
  evaluator: AlertEvaluator
  sender: WebhookSender
  /** Stops retries and aborts deliveries in flight. */
  close(): Promise<void>
}

/** Wires the alerting domain (issue 8): history, evaluator, webhook sender and the rules service. */
export function createAlerts(deps: AlertsDeps): Alerts {
  const { config, storage, clock, logger, projects } = deps
  const history = new AlertHistory(storage.alerts)
  const sender = new WebhookSender({
    clock,
    logger,
    timeoutMs: config.webhook_timeout_ms,
    retryDelaysMs: deps.webhookRetryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
    refusePrivate: config.mode === 'production' && !config.webhook_allow_private,
  })
  const firing = new AlertFiring({ history, broadcaster: deps.broadcaster, sender, logger })
  const evaluator = new AlertEvaluator({
    storage,
    clock,
    logger,
    firing,
    history,
    defaultStuckThresholdSeconds: config.stuck_threshold_seconds,
    projectAgents: (tenantId, projectId) => projects.linkedAgentIds(tenantId, 'live', projectId),
    effectiveProjectIds: (tenantId) => projects.effectiveIds(tenantId),
  })
  const service = new AlertsService({
    entities: storage.entities,
    clock,
    projects,
    history,
    evaluator,
    sender,
    production: config.mode === 'production',
    allowPrivate: config.webhook_allow_private,
  })
  return { service, evaluator, sender, close: () => sender.close() }
}
