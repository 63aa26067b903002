/**
 * D43 cost by project: `by_project` of `/v1/cost` when the server sends it, else `/v1/cost?project_id=` for each
 * project, 4 at a time (calls without a project then have no row); named from `/v1/projects` (ids of merged or
 * deleted projects stay as ids).
 */
import type { ApiClient, Query } from '../lib/api.js'
import { mapLimit } from '../lib/map-limit.js'
import type { ProjectRef } from '../store/alerts.js'
import type { CostGroup, CostSummary, ProjectCost } from '../views/cost-breakdown.js'

function group(c: CostSummary): CostGroup {
  return {
    cost: c.total_cost,
    call_count: c.call_count,
    tokens_in: c.total_tokens_in,
    tokens_out: c.total_tokens_out,
    estimated_cost: c.estimated_cost,
  }
}

export interface ProjectCosts {
  /** All calls in scope (shares are of this, so calls without a project still count). */
  total: number
  rows: ProjectCost[]
}

export async function projectCosts(api: ApiClient, query: Query): Promise<ProjectCosts> {
  const [cost, projects] = await Promise.all([
    api.get<CostSummary>('/v1/cost', query),
    api.get<{ data: ProjectRef[] }>('/v1/projects'),
  ])
  const names = new Map(projects.data.map((p) => [p.project_id, p.name]))
  const scoped = typeof query.project_id === 'string' ? [query.project_id] : projects.data.map((p) => p.project_id)
  const rows =
    cost.by_project ??
    (
      await mapLimit(scoped, 4, async (project_id) => ({
        project_id,
        ...group(await api.get<CostSummary>('/v1/cost', { ...query, project_id })),
      }))
    ).filter((r) => r.call_count > 0)
  return {
    total: cost.total_cost,
    rows: rows
      .map((r) => ({ ...r, name: r.project_id === null ? 'No project' : (names.get(r.project_id) ?? r.project_id) }))
      .sort((a, b) => b.cost - a.cost || a.name.localeCompare(b.name)),
  }
}
