import type { Project } from '../../storage/entities.js'

type ById = ReadonlyMap<string, Pick<Project, 'events_moved_to'>>

/** Maps a stored `project_id` to the project its events count under now (null stays null). */
export type ProjectIdMap = (storedId: string | null) => string | null

/** For tenants that never merged or deleted a project: every id stays as stored. */
export const storedProjectIds: ProjectIdMap = (storedId) => storedId

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
 * One tenant's merges and deletes with reassign, resolved once: events stay stored under their original
 * project id, and this answers both "which project reports this event" and "which stored ids does a
 * project filter cover". Built per change of the tenant's projects, so per-item lookups are one Map get.
 */
export class ProjectRedirects {
  /** Only ids whose events moved, to the end of their chain. */
  private readonly movedTo = new Map<string, string>()
  /** Effective project → the stored ids moved into it. */
  private readonly movedIn = new Map<string, Set<string>>()
  /** The id events stored with `storedId` are reported under. */
  readonly effective: ProjectIdMap

  constructor(projects: readonly Project[]) {
    const byId = new Map(projects.map((p) => [p.project_id, p]))
    for (const p of projects) {
      if (p.events_moved_to === undefined || p.events_moved_to === null) continue
      const target = follow(byId, p.project_id)
      if (target === p.project_id) continue
      this.movedTo.set(p.project_id, target)
      let into = this.movedIn.get(target)
      if (into === undefined) this.movedIn.set(target, (into = new Set()))
      into.add(p.project_id)
    }
    const movedTo = this.movedTo
    this.effective = movedTo.size === 0 ? storedProjectIds : (id) => (id === null ? null : (movedTo.get(id) ?? id))
  }

  /**
   * The stored project ids whose events count as `projectId`'s: itself (unless its own events moved away)
   * and every project moved into it, directly or through a chain of merges.
   */
  idsFor(projectId: string): Set<string> {
    const ids = new Set(this.movedIn.get(projectId))
    if (!this.movedTo.has(projectId)) ids.add(projectId)
    return ids
  }
}

/** See `ProjectRedirects.idsFor`. */
export function projectIdsFor(projects: readonly Project[], projectId: string): Set<string> {
  return new ProjectRedirects(projects).idsFor(projectId)
}

/**
 * The response boundary: an item as reported, with each named project field mapped by `effectiveProject`
 * (the item itself when nothing changes, so tenants without merges pay one comparison per item).
 */
export function reportedUnder<K extends string, T extends { readonly [F in K]: string | null }>(
  item: T,
  effectiveProject: ProjectIdMap,
  fields: readonly K[],
): T {
  if (effectiveProject === storedProjectIds) return item
  let out: T = item
  for (const field of fields) {
    const id = effectiveProject(item[field])
    if (id !== item[field]) out = { ...out, [field]: id }
  }
  return out
}
