import express, { Router, type Express } from 'express'
import type { Clock } from './clock.js'
import type { Config } from './config.js'
import { AppError } from './errors/app-error.js'
import { errorMiddleware } from './errors/error-middleware.js'
import { authenticate, createCredentialResolver } from './http/authenticate.js'
import { jsonBody } from './http/body.js'
import { apiHeaders, cors } from './http/cors.js'
import { rateLimit } from './http/rate-limit.js'
import { requestId } from './http/request-id.js'
import { staticRoutes } from './http/static-files.js'
import type { Logger } from './logger.js'
import type { Broadcaster } from './realtime/broadcaster.js'
import type { Storage } from './storage/storage.js'
import { AgentsService } from './domains/agents/agents.service.js'
import { agentsRoutes } from './domains/agents/agents.routes.js'
import { rejectAllJwts } from './domains/auth/jwt-auth.js'
import { EventsService } from './domains/events/events.service.js'
import { eventsRoutes } from './domains/events/events.routes.js'
import { healthRoutes } from './domains/health/health.routes.js'
import { IngestService } from './domains/ingest/ingest.service.js'
import { ingestRoutes } from './domains/ingest/ingest.routes.js'
import { ProjectsService } from './domains/projects/projects.service.js'
import { TasksService } from './domains/tasks/tasks.service.js'
import { tasksRoutes } from './domains/tasks/tasks.routes.js'
import { accessLog } from './http/access-log.js'
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
}

/** Services with state that the server's background jobs drive. */
export interface AppServices {
  agents: AgentsService
  projects: ProjectsService
  ingest: IngestService
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
  })
  const ingest = new IngestService({ storage, broadcaster, clock, logger, projects, agents })
  const retention = new RetentionService({ storage, clock, logger, retentionDays: config.retention_days })
  const services: AppServices = { agents, projects, ingest, retention, backgroundJobs: { running: false } }

  const app = express() as HiveApp
  app.services = services
  app.disable('x-powered-by')
  app.set('trust proxy', config.trust_proxy)
  app.set('query parser', 'simple')
  app.use(requestId())
  app.use(accessLog(logger))
  app.use(cors(config.mode))
  app.use(healthRoutes(config.mode, storage, () => services.backgroundJobs.running))

  // Order (api.md §1.7): request id → CORS → auth → rate limit → body → validation → handler.
  const v1 = Router()
  v1.use(apiHeaders())
  v1.use(authenticate(createCredentialResolver({ entities: storage.entities, clock, logger, jwt: rejectAllJwts })))
  v1.use(rateLimit(clock, { ingest: config.rate_limit_ingest_per_second, query: config.rate_limit_query_per_second }))
  v1.use(jsonBody(config.max_body_bytes))
  v1.use(ingestRoutes(ingest))
  v1.use(agentsRoutes(agents, projects))
  v1.use(tasksRoutes(new TasksService(storage), projects))
  v1.use(eventsRoutes(new EventsService(storage), projects))
  v1.use(analyticsRoutes({ storage, projects, clock, defaultStuckThresholdSeconds: config.stuck_threshold_seconds }))
  v1.use(pricingRoutes(new PricingService(storage.entities, clock)))
  v1.use(pipelineRoutes({ storage, projects, clock, defaultStuckThresholdSeconds: config.stuck_threshold_seconds }))
  app.use('/v1', v1)

  if (config.mode === 'local') app.use(staticRoutes(config.dashboard_dir))
  app.use((_req, _res, next) => next(new AppError('not_found', 'Route not found')))
  app.use(errorMiddleware(logger))
  return app
}
