import { randomUUID } from 'node:crypto'
import type { Partition } from '@hiveboard/shared'
import type { Clock } from '../../clock.js'
import { iso } from '../../clock.js'
import { AppError } from '../../errors/app-error.js'
import type { Project } from '../../storage/entities.js'
import type { EntityStore } from '../../storage/storage.js'
import { ProjectRedirects, type ProjectIdMap } from './project-redirects.js'

export const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/

export type IngestProjectResolution =
  | { ok: true; projectId: string; warning?: { code: string; message: string; slug: string } }
  | { ok: false; error: 'invalid_project' | 'project_limit_reached'; message: string }

function latestArchived(projects: readonly Project[], slug: string): Project | undefined {
  return projects
    .filter((p) => p.is_archived && p.slug === slug)
    .sort((a, b) => (b.archived_at ?? '').localeCompare(a.archived_at ?? ''))[0]
}

export function newProject(
  tenantId: string,
  fields: Partial<Project> & { name: string; slug: string },
  now: string,
): Project {
  return {
    project_id: randomUUID(),
    tenant_id: tenantId,
    description: null,
    environment: 'production',
    settings: {},
    is_archived: false,
    archived_at: null,
    auto_created: false,
    merged_into: null,
    created_at: now,
    updated_at: now,
    ...fields,
  }
}

/** Project lookup, ingest auto-creation and project–agent links (api.md §4.2, §4.10; events.md E7). */
export class ProjectsService {
  /** Per tenant, rebuilt when its projects change (the entity store's version says when). */
  private readonly redirectCache = new Map<string, { version: number; redirects: ProjectRedirects }>()

  constructor(
    private readonly entities: EntityStore,
    private readonly clock: Clock,
    private readonly maxProjects: number,
  ) {}

  list(tenantId: string): readonly Project[] {
    return this.entities.listTenant('projects', tenantId)
  }

  /** `{ref}` = a project id, else a non-archived slug, else the latest archived one (api.md §4.10). */
  find(tenantId: string, ref: string): Project | undefined {
    const projects = this.list(tenantId)
    const slug = ref.toLowerCase()
    return (
      projects.find((p) => p.project_id === ref) ??
      projects.find((p) => !p.is_archived && p.slug === slug) ??
      latestArchived(projects, slug)
    )
  }

  /** A filter's project ref: unknown → 404 (api.md §4.10). */
  require(tenantId: string, ref: string): Project {
    const project = this.find(tenantId, ref)
    if (project === undefined) throw new AppError('not_found', 'Project not found')
    return project
  }

  /** The tenant's merges and deletes with reassign, resolved (cached until its projects change). */
  redirects(tenantId: string): ProjectRedirects {
    const version = this.entities.version('projects', tenantId)
    const cached = this.redirectCache.get(tenantId)
    if (cached !== undefined && cached.version === version) return cached.redirects
    const redirects = new ProjectRedirects(this.list(tenantId))
    this.redirectCache.set(tenantId, { version, redirects })
    return redirects
  }

  /** Stored `project_id` → the project responses report it under (events moved by merge or delete). */
  effectiveIds(tenantId: string): ProjectIdMap {
    return this.redirects(tenantId).effective
  }

  /**
   * The stored project ids whose events a `project_id` filter on `ref` covers (merges move events), sorted
   * so that cursor hashes built from filters stay stable.
   */
  eventProjectIds(tenantId: string, ref: string): string[] {
    return [...this.redirects(tenantId).idsFor(this.require(tenantId, ref).project_id)].sort()
  }

  /** E7: resolve a project id or slug sent on an event, auto-creating a new slug's project. */
  async resolveForIngest(tenantId: string, value: string): Promise<IngestProjectResolution> {
    const found = this.find(tenantId, value)
    if (found !== undefined) return this.followArchived(tenantId, found)
    const slug = value.toLowerCase()
    if (!SLUG.test(slug)) {
      return { ok: false, error: 'invalid_project', message: `Invalid project id or slug: ${value.slice(0, 64)}` }
    }
    let created: Project | undefined
    let limitReached = false
    await this.entities.updateTenant('projects', tenantId, (projects) => {
      // Re-checked inside the writer: a concurrent batch may have created it meanwhile.
      const existing = projects.find((p) => !p.is_archived && p.slug === slug)
      if (existing !== undefined) {
        created = existing
        return null
      }
      if (projects.filter((p) => !p.is_archived).length >= this.maxProjects) {
        limitReached = true
        return null
      }
      created = newProject(tenantId, { name: slug, slug, auto_created: true }, iso(this.clock.now()))
      return [...projects, created]
    })
    if (limitReached || created === undefined) {
      return { ok: false, error: 'project_limit_reached', message: `Project limit of ${this.maxProjects} reached` }
    }
    const project: Project = created
    return {
      ok: true,
      projectId: project.project_id,
      ...(project.auto_created && project.slug === slug
        ? { warning: { code: 'project_auto_created', message: `Auto-created project '${slug}'`, slug } }
        : {}),
    }
  }

  private followArchived(tenantId: string, project: Project): IngestProjectResolution {
    if (!project.is_archived) return { ok: true, projectId: project.project_id }
    const target = project.merged_into === null ? undefined : this.find(tenantId, project.merged_into)
    if (target !== undefined) {
      const message = `Project '${project.slug}' was merged into '${target.slug}'`
      return {
        ok: true,
        projectId: target.project_id,
        warning: { code: 'project_redirected', message, slug: target.slug },
      }
    }
    const message = `Project '${project.slug}' is archived`
    return {
      ok: true,
      projectId: project.project_id,
      warning: { code: 'project_archived', message, slug: project.slug },
    }
  }

  /** A link per distinct (project, agent) pair, written only when new (api.md §4.2 "After storing"). */
  async link(tenantId: string, partition: Partition, pairs: ReadonlyArray<[string, string]>): Promise<void> {
    if (pairs.length === 0) return
    const existing = this.entities.listTenant('project_agents', tenantId)
    const has = (projectId: string, agentId: string, links: typeof existing) =>
      links.some((l) => l.project_id === projectId && l.agent_id === agentId && l.key_type === partition)
    if (pairs.every(([p, a]) => has(p, a, existing))) return
    const now = iso(this.clock.now())
    await this.entities.updateTenant('project_agents', tenantId, (links) => {
      const added = pairs
        .filter(([p, a]) => !has(p, a, links))
        .map(([project_id, agent_id]) => ({ project_id, agent_id, key_type: partition, created_at: now }))
      return added.length === 0 ? null : [...links, ...added]
    })
  }

  linkedAgentIds(tenantId: string, partition: Partition, projectId: string): Set<string> {
    return new Set(
      this.entities
        .listTenant('project_agents', tenantId)
        .filter((l) => l.project_id === projectId && l.key_type === partition)
        .map((l) => l.agent_id),
    )
  }
}
