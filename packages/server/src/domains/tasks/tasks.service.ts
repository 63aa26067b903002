import type { Partition, TaskStatus, WireEvent, WireTask } from '@hiveboard/shared'
import { AppError } from '../../errors/app-error.js'
import {
  compareKeys,
  cursorAfter,
  pageOf,
  paginateSorted,
  type PageRequest,
  type SortKey,
} from '../../http/paginate.js'
import { parseRecord, toWireEvent, type StoredEvent } from '../../projection/stored-event.js'
import { TaskState } from '../../projection/task-state.js'
import type { Storage } from '../../storage/storage.js'
import { buildPlan } from './plan.js'
import { toWireTask } from './task-view.js'
import { reportedUnder, type ProjectIdMap } from '../projects/project-redirects.js'
import { buildActionTree, errorChains, flattenActions, MAX_TIMELINE_EVENTS } from './timeline.js'

export interface TaskFilters {
  projectId?: string | undefined
  /** A project and every project whose events were moved into it (merge, delete with reassign). */
  projectIds?: readonly string[] | undefined
  agentId?: string | undefined
  taskType?: string | undefined
  environment?: string | undefined
  group?: string | undefined
  statuses?: TaskStatus[] | undefined
  since?: number | undefined
  until?: number | undefined
}

export type TaskSort = 'newest' | 'oldest' | 'duration' | 'cost'

function matches(task: TaskState, wire: WireTask, f: TaskFilters, group: (t: TaskState) => string | null): boolean {
  return (
    (f.projectId === undefined || wire.project_id === f.projectId) &&
    (f.projectIds === undefined || (wire.project_id !== null && f.projectIds.includes(wire.project_id))) &&
    (f.agentId === undefined || wire.agent_id === f.agentId) &&
    (f.taskType === undefined || wire.task_type === f.taskType) &&
    (f.environment === undefined || wire.environment === f.environment) &&
    (f.group === undefined || group(task) === f.group) &&
    (f.statuses === undefined || f.statuses.includes(wire.derived_status)) &&
    (f.since === undefined || task.first.ts >= f.since) &&
    (f.until === undefined || task.first.ts <= f.until)
  )
}

/** `GET /v1/tasks` and the timeline (api.md §4.4, events.md E55–E64). */
export class TasksService {
  constructor(private readonly storage: Storage) {}

  /** Filters see stored project ids; `effectiveProject` reports tasks of moved events under their new project. */
  list(
    tenantId: string,
    partition: Partition,
    filters: TaskFilters,
    sort: TaskSort,
    page: PageRequest,
    effectiveProject: ProjectIdMap,
  ) {
    const report = (r: Row) => reportedUnder(r.wire, effectiveProject, ['project_id'])
    const ordered = this.storage.events.namespace(tenantId, partition).tasksByStart
    const group = (t: TaskState) => t.events[0]?.group ?? null
    const rows: Row[] = []
    if (sort === 'newest' || sort === 'oldest') {
      // Walk the start-ordered index from the cursor and stop after one page: no full scan.
      const { after, hash } = cursorAfter(page)
      for (let i = 0; i < ordered.length && rows.length <= page.limit; i++) {
        const task = ordered[sort === 'newest' ? ordered.length - 1 - i : i] as TaskState
        const key = sortKeyOf(sort, task, null)
        if (after !== undefined && compareKeys(key, after) <= 0) continue
        const wire = toWireTask(task)
        if (matches(task, wire, filters, group)) rows.push({ wire, key })
      }
      const result = pageOf(rows.slice(0, page.limit), rows.length > page.limit, (r) => r.key, hash)
      return { data: result.data.map(report), pagination: result.pagination }
    }
    for (const task of ordered) {
      const wire = toWireTask(task)
      if (matches(task, wire, filters, group)) rows.push({ wire, key: sortKeyOf(sort, task, wire) })
    }
    rows.sort((a, b) => compareKeys(a.key, b.key))
    const result = paginateSorted(rows, (r) => r.key, page)
    return { data: result.data.map(report), pagination: result.pagination }
  }

  timeline(
    tenantId: string,
    partition: Partition,
    taskId: string,
    runId: string | undefined,
    effectiveProject: ProjectIdMap,
  ) {
    const task = this.storage.events.namespace(tenantId, partition).tasks.get(taskId)
    if (task === undefined) throw new AppError('not_found', 'Task not found')
    let records = task.events
    let summary: TaskState = task
    if (runId !== undefined) {
      // E59 (Beyond): task_run_id restricts everything, the summary included, to one run.
      records = records.filter((r) => r.taskRunId === runId)
      const first = records[0]
      if (first === undefined) throw new AppError('not_found', 'Task not found')
      summary = new TaskState(taskId, first)
      for (const r of records) summary.apply(r, parseRecord(r))
    }
    const truncated = records.length > MAX_TIMELINE_EVENTS
    const stored: StoredEvent[] = records.slice(0, MAX_TIMELINE_EVENTS).map(parseRecord)
    const wire: WireEvent[] = stored.map((e) => reportedUnder(toWireEvent(e), effectiveProject, ['project_id']))
    const tree = buildActionTree(stored, wire)
    return {
      ...reportedUnder(toWireTask(summary), effectiveProject, ['project_id']),
      events: wire,
      events_truncated: truncated,
      action_tree: tree,
      actions: flattenActions(tree),
      error_chains: errorChains(stored),
      plan: buildPlan(stored),
    }
  }
}

interface Row {
  wire: WireTask
  key: SortKey
}

function sortKeyOf(sort: TaskSort, task: TaskState, wire: WireTask | null): SortKey {
  switch (sort) {
    case 'newest':
      return [-task.first.ts, -task.first.seq]
    case 'oldest':
      return [task.first.ts, task.first.seq]
    case 'duration':
      return [wire?.duration_ms == null ? null : -wire.duration_ms, -task.first.ts, -task.first.seq]
    case 'cost':
      return [wire?.total_cost == null ? null : -wire.total_cost, -task.first.ts, -task.first.seq]
  }
}
