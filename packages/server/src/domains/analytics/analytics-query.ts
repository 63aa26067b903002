import type { Request, Response } from 'express'
import {
  bucketBounds,
  bucketCount,
  DEFAULT_INTERVAL,
  INTERVALS,
  RANGE_MS,
  RANGES,
  type Interval,
  type Range,
} from '../../analytics/bucket-math.js'
import type { Filter } from '../../analytics/agg.js'
import { fieldError } from '../../errors/app-error.js'
import { principalOf } from '../../http/principal.js'
import { QueryReader } from '../../http/query.js'
import type { Scope } from '../../realtime/broadcaster.js'
import type { ProjectsService } from '../projects/projects.service.js'

export interface AnalyticsWindow {
  range: Range
  interval: Interval
  from: number
  /** Exclusive: now + 1 ms, the window being inclusive of now (api.md §1.5). */
  to: number
  bounds: Array<[number, number]>
}

/** `range` and `interval` (api.md §1.5): interval ≤ range and ≤ 1 440 buckets, else 400. */
export function readWindow(q: QueryReader, defaultRange: Range, now: number): AnalyticsWindow {
  const range = q.enum('range', RANGES, defaultRange)
  const interval = q.enum('interval', INTERVALS, DEFAULT_INTERVAL[range])
  if (bucketCount(range, interval) === null) {
    throw fieldError('query.interval', 'interval must not exceed the range or give more than 1440 buckets')
  }
  return { range, interval, from: now - RANGE_MS[range], to: now + 1, bounds: bucketBounds(now, range, interval) }
}

export interface AnalyticsFilter extends Filter {
  /** The filtered project itself: agent links follow it, `projectIds` adds the projects moved into it. */
  projectId?: string | undefined
}

/** The common filters: agent_id, project_id (id or slug; unknown → 404), environment. */
export function readFilter(q: QueryReader, scope: Scope, projects: ProjectsService): AnalyticsFilter {
  const projectRef = q.text('project_id')
  const projectId = projectRef === undefined ? undefined : projects.require(scope.tenantId, projectRef).project_id
  return {
    agentId: q.text('agent_id'),
    projectId,
    projectIds: projectId === undefined ? undefined : new Set(projects.eventProjectIds(scope.tenantId, projectId)),
    environment: q.text('environment'),
  }
}

export function scopeOf(res: Response): Scope {
  const principal = principalOf(res)
  return { tenantId: principal.tenantId, partition: principal.partition }
}

export function queryOf(req: Request): QueryReader {
  return new QueryReader(req)
}
