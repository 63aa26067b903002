import { Router } from 'express'
import { EVENT_TYPES, SEVERITIES } from '@hiveboard/shared'
import { principalOf } from '../../http/principal.js'
import { QueryReader } from '../../http/query.js'
import { route } from '../../http/routes.js'
import type { ProjectsService } from '../projects/projects.service.js'
import type { EventFilters, EventsService } from './events.service.js'

export function eventsRoutes(events: EventsService, projects: ProjectsService): Router {
  const router = Router()
  route(router, '/events', {
    GET: (req, res) => {
      const principal = principalOf(res)
      const q = new QueryReader(req)
      const projectRef = q.text('project_id')
      const eventTypes = q.enumList('event_type', EVENT_TYPES)
      const minSeverity = q.string('min_severity')
      const filters: EventFilters = {
        projectIds: projectRef === undefined ? undefined : projects.eventProjectIds(principal.tenantId, projectRef),
        agentId: q.text('agent_id'),
        taskId: q.text('task_id'),
        eventTypes,
        severities: q.enumList('severity', SEVERITIES),
        minSeverity: minSeverity === undefined ? undefined : q.enum('min_severity', SEVERITIES, 'debug'),
        environment: q.text('environment'),
        group: q.text('group'),
        payloadKinds: q.list('payload_kind'),
        // Spec: ignored when event_type names heartbeat.
        excludeHeartbeats: eventTypes?.includes('heartbeat') === true ? false : q.bool('exclude_heartbeats', true),
        ...q.window(),
      }
      const limit = q.limit()
      const cursor = q.string('cursor')
      res.json(
        events.list(
          principal.tenantId,
          principal.partition,
          filters,
          { limit, cursor, query: ['events', filters] },
          projects.effectiveIds(principal.tenantId),
        ),
      )
    },
  })
  return router
}
