import type { Project } from '../../storage/entities.js'

type ById = ReadonlyMap<string, Pick<Project, 'events_moved_to'>>

function follow(byId: ById, projectId: string): string {
  let current = projectId
  const seen = new Set<string>([current])
  for (;;) {
    const next = byId.get(current)?.events_moved_to
    if (next === undefined || next === null || seen.has(next)) return current
    seen.add(next)
    current = next
  }
}

/** Where a project's events now live: follows `events_moved_to` to its end (cycle-safe). */
export function effectiveProjectId(projects: readonly Project[], projectId: string): string {
  return follow(new Map(projects.map((p) => [p.project_id, p])), projectId)
}

/**
 * The stored project ids whose events count as `projectId`'s: itself (unless its own events moved away)
 * and every project moved into it, directly or through a chain of merges.
 */
export function projectIdsFor(projects: readonly Project[], projectId: string): Set<string> {
  const byId = new Map(projects.map((p) => [p.project_id, p]))
  const ids = new Set<string>()
  for (const p of projects) if (follow(byId, p.project_id) === projectId) ids.add(p.project_id)
  if (!byId.has(projectId)) ids.add(projectId)
  return ids
}
