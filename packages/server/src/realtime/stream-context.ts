import type { Clock } from '../clock.js'
import type { Principal } from '../http/principal.js'
import type { RateLimiter } from '../http/rate-limit.js'
import type { Storage } from '../storage/storage.js'
import type { ProjectsService } from '../domains/projects/projects.service.js'
import type { Scope, StreamContext } from './broadcaster.js'

export interface StreamContextDeps {
  resolveCredential: (credential: string) => Principal | undefined
  projects: ProjectsService
  storage: Storage
  limiter: RateLimiter
  clock: Clock
}

/** Built by createApp from the same resolver and limiter the REST routes use, so JWTs work here as there. */
export function createStreamContext(deps: StreamContextDeps): StreamContext {
  return {
    resolveCredential: deps.resolveCredential,
    findProjectId: (tenantId, ref) => deps.projects.find(tenantId, ref)?.project_id,
    agentEnvironment: (scope: Scope, agentId) =>
      deps.storage.events.namespace(scope.tenantId, scope.partition).agents.get(agentId)?.environment,
    takeQuery: (principal) => deps.limiter.take('query', principal.limitKey).allowed,
    now: () => deps.clock.now(),
  }
}
