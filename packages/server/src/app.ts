import express, { Router, type Express } from 'express'
import type { Clock } from './clock.js'
import type { Config } from './config.js'
import { AppError } from './errors/app-error.js'
import { errorMiddleware } from './errors/error-middleware.js'
import { authenticate, createCredentialResolver } from './http/authenticate.js'
import { jsonBody } from './http/body.js'
import { apiHeaders, cors } from './http/cors.js'
import { rateLimit, RateLimiter } from './http/rate-limit.js'
import { requestId } from './http/request-id.js'
import { staticRoutes } from './http/static-files.js'
import type { Logger } from './logger.js'
import type { Broadcaster, StreamContext } from './realtime/broadcaster.js'
import { bridgeRoutes } from './realtime/bridge.routes.js'
import { createStreamContext } from './realtime/stream-context.js'
import { streamRoutes } from './realtime/stream.routes.js'
import type { Storage } from './storage/storage.js'
import { AgentsService } from './domains/agents/agents.service.js'
import { agentsRoutes } from './domains/agents/agents.routes.js'
import { AuthService } from './domains/auth/auth.service.js'
import { DEFAULT_IP_LIMITS, publicAuthRoutes, sessionRoutes, type IpLimits } from './domains/auth/auth.routes.js'
import { createJwtAuthenticator, jwtSecretFor } from './domains/auth/jwt-auth.js'
import { InvitesService } from './domains/invites/invites.service.js'
import { invitesRoutes } from './domains/invites/invites.routes.js'
import { KeysService } from './domains/keys/keys.service.js'
import { keysRoutes } from './domains/keys/keys.routes.js'
import { projectsRoutes } from './domains/projects/projects.routes.js'
import { UsersService } from './domains/users/users.service.js'
import { usersRoutes } from './domains/users/users.routes.js'
import { EventsService } from './domains/events/events.service.js'
import { eventsRoutes } from './domains/events/events.routes.js'
import { healthRoutes } from './domains/health/health.routes.js'
import { IngestService } from './domains/ingest/ingest.service.js'
import { ingestRoutes } from './domains/ingest/ingest.routes.js'
import { ProjectsService } from './domains/projects/projects.service.js'
import { TasksService } from './domains/tasks/tasks.service.js'
import { tasksRoutes } from './domains/tasks/tasks.routes.js'
import { accessLog } from './http/access-log.js'
import { alertsRoutes } from './domains/alerts/alerts.routes.js'
import { createAlerts, type Alerts } from './domains/alerts/create-alerts.js'
import type { Principal } from './http/principal.js'
import { analyticsRoutes } from './domains/analytics/analytics.routes.js'
import { PricingService } from './domains/pricing/pricing.service.js'
import { pricingRoutes } from './domains/pricing/pricing.routes.js'
import { pipelineRoutes } from './domains/pipeline/pipeline.routes.js'
import { RetentionService } from './domains/retention/retention.service.js'

export interface AppDeps {
  config: Config
  storage: Storage
  broadcaster: Broadcaster
  clock: Clock
  logger: Logger
  /** Alert webhook retry waits (default 10 s, 60 s); tests pass short ones. */
  webhookRetryDelaysMs?: readonly number[]
  /** Test seam: per-IP limits of the public auth routes (default: api.md §1.7 Beyond). */
  ipLimits?: IpLimits
}

/** Services with state that the server's background jobs drive. */
export interface AppServices {
  agents: AgentsService
  projects: ProjectsService
  ingest: IngestService
  alerts: Alerts
  /**
   * API key or JWT → principal, the same resolver /v1 uses (one JWT secret per process, even when it is
   * random in local mode): for `/v1/stream?token=` and the `/ws/*` bridge.
   */
  resolveCredential: (credential: string) => Principal | undefined
  /** Auth, project refs and the query window for the live stream; startServer hands it to the broadcaster. */
  stream: StreamContext
  retention: RetentionService
  /** Set by startServer while its timers run; read by /health/ready. */
  backgroundJobs: { running: boolean }
}

export type HiveApp = Express & { services: AppServices }

/** Builds the whole HTTP app; never listens, never reads the environment, starts no timers. */
export function createApp(deps: AppDeps): HiveApp {
  const { config, storage, broadcaster, clock, logger } = deps
  const projects = new ProjectsService(storage.entities, clock, config.max_projects)
  const agents = new AgentsService({
    storage,
    broadcaster,
    clock,
    logger,
    defaultStuckThresholdSeconds: config.stuck_threshold_seconds,
    effectiveProjectIds: (tenantId) => projects.effectiveIds(tenantId),
  })
  const alerts = createAlerts({ ...deps, projects })
  agents.onStuck((scope, agentId) => void alerts.evaluator.agentStuck(scope, agentId))
  const ingest = new IngestService({ storage, broadcaster, clock, logger, projects, agents, alerts: alerts.evaluator })
  const jwt = { secret: jwtSecretFor(config.jwt_secret), expirySeconds: config.jwt_expiry }
  const jwtAuth = createJwtAuthenticator(storage.entities, jwt, clock)
  // One resolver for /v1, the stream and the bridge: one JWT secret per process (random in local mode).
  const resolveCredential = createCredentialResolver({ entities: storage.entities, clock, logger, jwt: jwtAuth })
  const limiter = new RateLimiter(clock, {
    ingest: config.rate_limit_ingest_per_second,
    query: config.rate_limit_query_per_second,
  })
  const retention = new RetentionService({
    storage,
    clock,
    logger,
    retentionDays: config.retention_days,
    rollupRetentionDays: config.rollup_retention_days,
  })
  const stream = createStreamContext({ resolveCredential, projects, storage, limiter, clock })
  const services: AppServices = {
    agents,
    projects,
    ingest,
    alerts,
    retention,
    resolveCredential,
    stream,
    backgroundJobs: { running: false },
  }
  const auth = new AuthService({
    entities: storage.entities,
    clock,
    jwt,
    bcryptRounds: 10,
  })

  const app = express() as HiveApp
  app.services = services
  app.disable('x-powered-by')
  app.set('trust proxy', config.trust_proxy)
  app.set('query parser', 'simple')
  app.use(requestId())
  app.use(accessLog(logger))
  app.use(cors(config.mode))
  app.use(healthRoutes(config.mode, storage, () => services.backgroundJobs.running))

  // Public: the stream (426/501 without an upgrade) and the API Gateway bridge, auth inside (api.md §2.5).
  app.use(streamRoutes(broadcaster))
  app.use(bridgeRoutes(broadcaster, stream, config.ws_bridge_secret))

  // Order (api.md §1.7): request id → CORS → auth → rate limit → body → validation → handler.
  const v1 = Router()
  v1.use(apiHeaders())
  // Public auth routes (api.md §2.5) answer before authentication, each with its per-IP window.
  v1.use(publicAuthRoutes(auth, clock, config.max_body_bytes, deps.ipLimits ?? DEFAULT_IP_LIMITS))
  v1.use(authenticate(resolveCredential))
  v1.use(rateLimit(limiter))
  v1.use(jsonBody(config.max_body_bytes))
  v1.use(ingestRoutes(ingest))
  v1.use(agentsRoutes(agents, projects))
  v1.use(tasksRoutes(new TasksService(storage), projects))
  v1.use(eventsRoutes(new EventsService(storage), projects))
  v1.use(alertsRoutes(alerts.service, projects))
  v1.use(sessionRoutes(auth))
  v1.use(usersRoutes(new UsersService(storage.entities, clock), auth))
  v1.use(keysRoutes(new KeysService(storage.entities, clock)))
  v1.use(invitesRoutes(new InvitesService(storage.entities, clock)))
  v1.use(projectsRoutes({ projects, agents, storage, clock, maxProjects: config.max_projects }))
  v1.use(analyticsRoutes({ storage, projects, clock, defaultStuckThresholdSeconds: config.stuck_threshold_seconds }))
  v1.use(pricingRoutes(new PricingService(storage.entities, clock)))
  v1.use(pipelineRoutes({ storage, projects, clock, defaultStuckThresholdSeconds: config.stuck_threshold_seconds }))
  app.use('/v1', v1)

  if (config.mode === 'local') app.use(staticRoutes(config.dashboard_dir))
  app.use((_req, _res, next) => next(new AppError('not_found', 'Route not found')))
  app.use(errorMiddleware(logger))
  return app
}
