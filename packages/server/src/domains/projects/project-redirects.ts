import type { Project } from '../../storage/entities.js'

/** Where a project's events now live: follows `events_moved_to` to its end (cycle-safe). */
export function effectiveProjectId(projects: readonly Project[], projectId: string): string {
  const byId = new Map(projects.map((p) => [p.project_id, p]))
  let current = projectId
  const seen = new Set<string>()
  for (;;) {
    const next = byId.get(current)?.events_moved_to
    if (next === undefined || next === null || seen.has(next)) return current
    seen.add(current)
    current = next
  }
}

/**
 * The stored project ids whose events count as `projectId`'s: itself (unless its own events moved away)
 * and every project moved into it, directly or through a chain of merges.
 */
export function projectIdsFor(projects: readonly Project[], projectId: string): Set<string> {
  const ids = new Set<string>()
  for (const p of projects) if (effectiveProjectId(projects, p.project_id) === projectId) ids.add(p.project_id)
  if (!projects.some((p) => p.project_id === projectId)) ids.add(projectId)
  return ids
}
