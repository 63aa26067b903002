import type { Partition } from '@hiveboard/shared'
import type { Clock } from '../../clock.js'
import { iso } from '../../clock.js'
import { AppError, fieldError } from '../../errors/app-error.js'
import type { Project } from '../../storage/entities.js'
import type { Storage } from '../../storage/storage.js'
import { effectiveProjectId } from './project-redirects.js'
import { newProject, SLUG, type ProjectsService } from './projects.service.js'
import { slugify } from '../auth/slugs.js'

export interface ProjectInput {
  name?: string | undefined
  slug?: string | undefined
  description?: string | null | undefined
  environment?: string | undefined
  settings?: Record<string, unknown> | undefined
}

export interface Scope {
  tenantId: string
  partition: Partition
}

/** Name → project slug (api.md §4.10): at most 64 characters, the slug pattern's limit. */
export function slugFromName(name: string): string {
  return slugify(name, 64)
}

const slugTaken = () => new AppError('slug_exists', 'Project slug is already in use')
const isDefault = (p: Project) => p.slug === 'default' && !p.is_archived

/** Project CRUD, archive, merge and delete-with-reassign (api.md §4.10). */
export class ProjectsAdminService {
  constructor(
    private readonly projects: ProjectsService,
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly maxProjects: number,
  ) {}

  /** Events per stored project id in one pass over the namespace. */
  private eventCounts(scope: Scope): Map<string, number> {
    const counts = new Map<string, number>()
    for (const e of this.storage.events.namespace(scope.tenantId, scope.partition).events) {
      if (e.projectId !== null) counts.set(e.projectId, (counts.get(e.projectId) ?? 0) + 1)
    }
    return counts
  }

  view(scope: Scope, project: Project, counts = this.eventCounts(scope)): Record<string, unknown> {
    let eventCount = 0
    for (const id of this.projects.redirects(scope.tenantId).idsFor(project.project_id))
      eventCount += counts.get(id) ?? 0
    return {
      project_id: project.project_id,
      tenant_id: project.tenant_id,
      name: project.name,
      slug: project.slug,
      description: project.description,
      environment: project.environment,
      settings: project.settings,
      is_archived: project.is_archived,
      auto_created: project.auto_created,
      merged_into: project.merged_into,
      event_count: eventCount,
      agent_count: this.projects.linkedAgentIds(scope.tenantId, scope.partition, project.project_id).size,
      created_at: project.created_at,
      updated_at: project.updated_at,
    }
  }

  list(scope: Scope, includeArchived: boolean): Array<Record<string, unknown>> {
    const counts = this.eventCounts(scope)
    return this.projects
      .list(scope.tenantId)
      .filter((p) => includeArchived || !p.is_archived)
      .sort(
        (a, b) =>
          Number(isDefault(b)) - Number(isDefault(a)) ||
          a.name.localeCompare(b.name) ||
          a.project_id.localeCompare(b.project_id),
      )
      .map((p) => this.view(scope, p, counts))
  }

  async create(tenantId: string, input: ProjectInput & { name: string }): Promise<Project> {
    const slug = input.slug ?? slugFromName(input.name)
    if (!SLUG.test(slug))
      throw fieldError(input.slug === undefined ? 'body.name' : 'body.slug', 'Not a valid project slug')
    const { name, description, environment, settings } = input
    const project = newProject(
      tenantId,
      {
        name,
        slug,
        description: description ?? null,
        environment: environment ?? 'production',
        settings: settings ?? {},
      },
      iso(this.clock.now()),
    )
    await this.storage.entities.updateTenant('projects', tenantId, (projects) => {
      const active = projects.filter((p) => !p.is_archived)
      if (active.some((p) => p.slug === slug)) throw slugTaken()
      if (active.length >= this.maxProjects) {
        throw new AppError('project_limit_reached', `Project limit of ${this.maxProjects} reached`)
      }
      return [...projects, project]
    })
    return project
  }

  async update(tenantId: string, ref: string, input: ProjectInput): Promise<Project> {
    const project = this.projects.require(tenantId, ref)
    if (input.slug !== undefined && input.slug !== project.slug && project.slug === 'default') {
      throw new AppError('cannot_modify_default', 'The default project keeps its slug')
    }
    return this.patch(tenantId, project.project_id, (p, projects) => {
      if (input.slug !== undefined && input.slug !== p.slug && !p.is_archived) {
        if (projects.some((o) => !o.is_archived && o.slug === input.slug)) throw slugTaken()
      }
      const next: Project = { ...p, updated_at: iso(this.clock.now()) }
      if (input.name !== undefined) next.name = input.name
      if (input.slug !== undefined) next.slug = input.slug
      if (input.description !== undefined) next.description = input.description
      if (input.environment !== undefined) next.environment = input.environment
      if (input.settings !== undefined) next.settings = input.settings
      return next
    })
  }

  async archive(tenantId: string, ref: string, archived: boolean): Promise<{ status: string }> {
    const project = this.projects.require(tenantId, ref)
    if (project.slug === 'default')
      throw new AppError('cannot_modify_default', 'The default project cannot be archived')
    const now = iso(this.clock.now())
    await this.patch(tenantId, project.project_id, (p, projects) => {
      if (archived) return p.is_archived ? p : { ...p, is_archived: true, archived_at: now, updated_at: now }
      if (!p.is_archived) return p
      if (projects.some((o) => !o.is_archived && o.slug === p.slug)) throw slugTaken()
      if (projects.filter((o) => !o.is_archived).length >= this.maxProjects) {
        throw new AppError('project_limit_reached', `Project limit of ${this.maxProjects} reached`)
      }
      // Unarchiving undoes a merge or delete: the events come back with the redirect (links stay moved).
      return { ...p, is_archived: false, archived_at: null, merged_into: null, events_moved_to: null, updated_at: now }
    })
    return { status: archived ? 'archived' : 'unarchived' }
  }

  async merge(scope: Scope, ref: string, targetRef: string) {
    const source = this.projects.require(scope.tenantId, ref)
    const target = this.projects.require(scope.tenantId, targetRef)
    if (source.project_id === target.project_id || target.is_archived || source.slug === 'default') {
      throw new AppError(
        'invalid_merge',
        'Cannot merge a project into itself, into an archived project, or merge default',
      )
    }
    const moved = await this.moveInto(scope, source, target)
    return { status: 'merged', source_slug: source.slug, target_slug: target.slug, events_moved: moved }
  }

  async remove(scope: Scope, ref: string, reassignTo: string) {
    const source = this.projects.require(scope.tenantId, ref)
    if (source.slug === 'default' && !source.is_archived) {
      throw new AppError('cannot_delete_default', 'The default project cannot be deleted')
    }
    const target = this.projects.find(scope.tenantId, reassignTo)
    if (target === undefined || target.is_archived || target.project_id === source.project_id) {
      throw new AppError('not_found', 'Project not found')
    }
    const moved = await this.moveInto(scope, source, target)
    return { status: 'deleted', events_reassigned: moved, reassigned_to: target.slug }
  }

  /** `POST /v1/projects/{ref}/agents`: true when a new link was written. */
  async addAgent(scope: Scope, ref: string, agentId: string): Promise<{ project: Project; added: boolean }> {
    const project = this.projects.require(scope.tenantId, ref)
    if (!this.storage.events.namespace(scope.tenantId, scope.partition).agents.has(agentId)) {
      throw new AppError('not_found', 'Agent not found')
    }
    const linked = this.projects.linkedAgentIds(scope.tenantId, scope.partition, project.project_id).has(agentId)
    if (!linked) await this.projects.link(scope.tenantId, scope.partition, [[project.project_id, agentId]])
    return { project, added: !linked }
  }

  async removeAgent(scope: Scope, ref: string, agentId: string): Promise<void> {
    const project = this.projects.require(scope.tenantId, ref)
    const matches = (l: { project_id: string; agent_id: string; key_type: Partition }) =>
      l.project_id === project.project_id && l.agent_id === agentId && l.key_type === scope.partition
    await this.storage.entities.updateTenant('project_agents', scope.tenantId, (links) => {
      if (!links.some(matches)) throw new AppError('not_found', 'Agent is not linked to this project')
      return links.filter((l) => !matches(l))
    })
  }

  /**
   * NOTE: events are immutable NDJSON lines, so "moving" them persists a redirect on the source
   * (`events_moved_to`) that every project-filtered query and count follows; links move for real.
   */
  private async moveInto(scope: Scope, source: Project, target: Project): Promise<number> {
    const before = this.view(scope, source)['event_count'] as number
    const now = iso(this.clock.now())
    await this.patch(scope.tenantId, source.project_id, (p, projects) => {
      if (effectiveProjectId(projects, target.project_id) === p.project_id) {
        throw new AppError('invalid_merge', 'The target project was merged into this one')
      }
      return {
        ...p,
        is_archived: true,
        archived_at: p.archived_at ?? now,
        merged_into: target.project_id,
        events_moved_to: target.project_id,
        updated_at: now,
      }
    })
    await this.storage.entities.updateTenant('project_agents', scope.tenantId, (links) => {
      if (!links.some((l) => l.project_id === source.project_id)) return null
      const kept = links.filter((l) => l.project_id !== source.project_id)
      const moved = links
        .filter((l) => l.project_id === source.project_id)
        .filter(
          (l) =>
            !kept.some(
              (k) => k.project_id === target.project_id && k.agent_id === l.agent_id && k.key_type === l.key_type,
            ),
        )
        .map((l) => ({ ...l, project_id: target.project_id }))
      return [...kept, ...moved]
    })
    return before
  }

  private async patch(
    tenantId: string,
    projectId: string,
    change: (p: Project, all: readonly Project[]) => Project,
  ): Promise<Project> {
    let result: Project | undefined
    await this.storage.entities.updateTenant('projects', tenantId, (projects) => {
      const current = projects.find((p) => p.project_id === projectId)
      if (current === undefined) throw new AppError('not_found', 'Project not found')
      const next = change(current, projects)
      result = next
      return next === current ? null : projects.map((p) => (p === current ? next : p))
    })
    return result as Project
  }
}
