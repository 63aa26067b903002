import { Router } from 'express'
import { z } from 'zod'
import type { Storage } from '../../storage/storage.js'
import type { Clock } from '../../clock.js'
import { principalOf } from '../../http/principal.js'
import { QueryReader } from '../../http/query.js'
import { route } from '../../http/routes.js'
import { parseBody, pathParam } from '../../http/validate.js'
import type { AgentsService } from '../agents/agents.service.js'
import { listAgents } from '../agents/agent-list.js'
import { requireProjectWriter } from '../auth/permissions.js'
import { ProjectsAdminService, type ProjectInput } from './projects-admin.service.js'
import { SLUG, type ProjectsService } from './projects.service.js'

const Settings = z.record(z.string(), z.unknown()).refine((s) => JSON.stringify(s).length <= 16_384, 'At most 16 KB')
const Slug = z
  .string()
  .transform((s) => s.toLowerCase())
  .pipe(z.string().regex(SLUG, 'Expected a slug of a-z, 0-9 and -'))
const Fields = {
  name: z.string().min(1).max(100),
  slug: Slug,
  description: z.string().max(1000).nullable(),
  environment: z.string().min(1).max(64),
  settings: Settings,
}
const CreateBody = z.object({
  name: Fields.name,
  slug: Fields.slug.optional(),
  description: Fields.description.optional(),
  environment: Fields.environment.optional(),
  settings: Fields.settings.optional(),
})
const UpdateBody = CreateBody.partial()
const MergeBody = z.object({ target_slug: z.string().min(1) })
const AgentBody = z.object({ agent_id: z.string().min(1) })

/** `/v1/projects*` (api.md §4.10); every write checks the role matrix first (api.md §2.4). */
export function projectsRoutes(deps: {
  projects: ProjectsService
  agents: AgentsService
  storage: Storage
  clock: Clock
  maxProjects: number
}): Router {
  const admin = new ProjectsAdminService(deps.projects, deps.storage, deps.clock, deps.maxProjects)
  const router = Router()
  const scopeOf = (res: Parameters<typeof principalOf>[0]) => {
    const p = principalOf(res)
    return { principal: p, scope: { tenantId: p.tenantId, partition: p.partition } }
  }
  const ref = (req: { params: Record<string, string | string[] | undefined> }) => pathParam(req.params, 'ref')
  route(router, '/projects', {
    GET: (req, res) => {
      const { scope } = scopeOf(res)
      res.json({ data: admin.list(scope, new QueryReader(req).bool('include_archived', false)) })
    },
    POST: async (req, res) => {
      const { principal, scope } = scopeOf(res)
      requireProjectWriter(principal, req.method)
      const project = await admin.create(scope.tenantId, parseBody(CreateBody, req.body))
      res.status(201).json(admin.view(scope, project))
    },
  })
  route(router, '/projects/:ref', {
    GET: (req, res) => {
      const { scope } = scopeOf(res)
      res.json(admin.view(scope, deps.projects.require(scope.tenantId, ref(req))))
    },
    PUT: async (req, res) => {
      const { principal, scope } = scopeOf(res)
      requireProjectWriter(principal, req.method)
      const input: ProjectInput = parseBody(UpdateBody, req.body)
      res.json(admin.view(scope, await admin.update(scope.tenantId, ref(req), input)))
    },
    DELETE: async (req, res) => {
      const { principal, scope } = scopeOf(res)
      requireProjectWriter(principal, req.method)
      const target = new QueryReader(req).text('reassign_to') ?? 'default'
      res.json(await admin.remove(scope, ref(req), target))
    },
  })
  for (const action of ['archive', 'unarchive'] as const) {
    route(router, `/projects/:ref/${action}`, {
      POST: async (req, res) => {
        const { principal, scope } = scopeOf(res)
        requireProjectWriter(principal, req.method)
        res.json(await admin.archive(scope.tenantId, ref(req), action === 'archive'))
      },
    })
  }
  route(router, '/projects/:ref/merge', {
    POST: async (req, res) => {
      const { principal, scope } = scopeOf(res)
      requireProjectWriter(principal, req.method)
      const body = parseBody(MergeBody, req.body)
      res.json(await admin.merge(scope, ref(req), body.target_slug))
    },
  })
  route(router, '/projects/:ref/agents', {
    GET: (req, res) => {
      const { scope } = scopeOf(res)
      const projectId = deps.projects.require(scope.tenantId, ref(req)).project_id
      const agentIds = deps.projects.linkedAgentIds(scope.tenantId, scope.partition, projectId)
      res.json(listAgents(deps.agents, scope, new QueryReader(req), { projectId, agentIds }))
    },
    POST: async (req, res) => {
      const { principal, scope } = scopeOf(res)
      requireProjectWriter(principal, req.method)
      const { agent_id } = parseBody(AgentBody, req.body)
      const { project, added } = await admin.addAgent(scope, ref(req), agent_id)
      res.status(added ? 201 : 200).json({ status: 'added', project_id: project.project_id, agent_id })
    },
  })
  route(router, '/projects/:ref/agents/:agent_id', {
    DELETE: async (req, res) => {
      const { principal, scope } = scopeOf(res)
      requireProjectWriter(principal, req.method)
      await admin.removeAgent(scope, ref(req), pathParam(req.params, 'agent_id'))
      res.json({ status: 'removed' })
    },
  })
  return router
}
