import { Router } from 'express'
import { TASK_STATUSES } from '@hiveboard/shared'
import { principalOf } from '../../http/principal.js'
import { QueryReader } from '../../http/query.js'
import { route } from '../../http/routes.js'
import type { ProjectsService } from '../projects/projects.service.js'
import type { TasksService } from './tasks.service.js'

const SORTS = ['newest', 'oldest', 'duration', 'cost'] as const

/** `GET /v1/tasks`, `GET /v1/tasks/{task_id}/timeline` (api.md §4.4). */
export function tasksRoutes(tasks: TasksService, projects: ProjectsService): Router {
  const router = Router()
  route(router, '/tasks', {
    GET: (req, res) => {
      const principal = principalOf(res)
      const q = new QueryReader(req)
      const projectRef = q.text('project_id')
      const filters = {
        projectIds: projectRef === undefined ? undefined : projects.eventProjectIds(principal.tenantId, projectRef),
        agentId: q.text('agent_id'),
        taskType: q.text('task_type'),
        environment: q.text('environment'),
        group: q.text('group'),
        statuses: q.enumList('status', TASK_STATUSES),
        ...q.window(),
      }
      const sort = q.enum('sort', SORTS, 'newest')
      const limit = q.limit()
      const cursor = q.string('cursor')
      res.json(
        tasks.list(
          principal.tenantId,
          principal.partition,
          filters,
          sort,
          {
            limit,
            cursor,
            query: ['tasks', filters, sort],
          },
          projects.effectiveIds(principal.tenantId),
        ),
      )
    },
  })
  route(router, '/tasks/:task_id/timeline', {
    GET: (req, res) => {
      const principal = principalOf(res)
      const runId = new QueryReader(req).text('task_run_id')
      const taskId = req.params['task_id'] as string
      const effectiveProject = projects.effectiveIds(principal.tenantId)
      res.json(tasks.timeline(principal.tenantId, principal.partition, taskId, runId, effectiveProject))
    },
  })
  return router
}
