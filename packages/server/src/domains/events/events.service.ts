import { severityRank, type EventType, type Partition, type Severity } from '@hiveboard/shared'
import { cursorAfter, pageOf, type PageRequest, type SortKey } from '../../http/paginate.js'
import { lowerBoundTs } from '../../projection/order.js'
import { parseRecord, toWireEvent, type EventRecord } from '../../projection/stored-event.js'
import type { Storage } from '../../storage/storage.js'
import { reportedUnder, type ProjectIdMap } from '../projects/project-redirects.js'

export interface EventFilters {
  projectId?: string | undefined
  /** A project and every project whose events were moved into it (merge, delete with reassign). */
  projectIds?: readonly string[] | undefined
  agentId?: string | undefined
  taskId?: string | undefined
  eventTypes?: EventType[] | undefined
  severities?: Severity[] | undefined
  minSeverity?: Severity | undefined
  environment?: string | undefined
  group?: string | undefined
  payloadKinds?: string[] | undefined
  excludeHeartbeats: boolean
  since?: number | undefined
  until?: number | undefined
}

export function eventMatches(e: EventRecord, f: EventFilters): boolean {
  return (
    (f.projectId === undefined || e.projectId === f.projectId) &&
    (f.projectIds === undefined || (e.projectId !== null && f.projectIds.includes(e.projectId))) &&
    (f.agentId === undefined || e.agentId === f.agentId) &&
    (f.taskId === undefined || e.taskId === f.taskId) &&
    (f.eventTypes === undefined || f.eventTypes.includes(e.eventType)) &&
    (f.severities === undefined || f.severities.includes(e.severity)) &&
    (f.minSeverity === undefined || severityRank(e.severity) >= severityRank(f.minSeverity)) &&
    (f.environment === undefined || e.environment === f.environment) &&
    (f.group === undefined || e.group === f.group) &&
    (f.payloadKinds === undefined || (e.kind !== null && f.payloadKinds.includes(e.kind))) &&
    (!f.excludeHeartbeats || e.eventType !== 'heartbeat') &&
    (f.since === undefined || e.ts >= f.since) &&
    (f.until === undefined || e.ts <= f.until)
  )
}

/** `GET /v1/events` (api.md §4.5): newest first, ties in ingest order reversed, cursor on (timestamp, seq). */
export class EventsService {
  constructor(private readonly storage: Storage) {}

  /** `effectiveProject` reports moved events under the project they were merged or reassigned into. */
  list(
    tenantId: string,
    partition: Partition,
    filters: EventFilters,
    page: PageRequest,
    effectiveProject: ProjectIdMap,
  ) {
    const view = this.storage.events.namespace(tenantId, partition)
    // The narrowest index that covers the filters.
    const source: readonly EventRecord[] =
      filters.taskId !== undefined
        ? (view.tasks.get(filters.taskId)?.events ?? [])
        : filters.agentId !== undefined
          ? (view.agents.get(filters.agentId)?.events ?? [])
          : view.events
    const { after, hash } = cursorAfter(page)
    let end = filters.until === undefined ? source.length : lowerBoundTs(source, filters.until + 1)
    if (after !== undefined) {
      const [ts, seq] = after as [number, number]
      end = Math.min(end, lowerBoundTs(source, ts + 1))
      while (
        end > 0 &&
        ((source[end - 1] as EventRecord).ts > ts ||
          ((source[end - 1] as EventRecord).ts === ts && (source[end - 1] as EventRecord).seq >= seq))
      )
        end--
    }
    const rows: EventRecord[] = []
    for (let i = end - 1; i >= 0 && rows.length <= page.limit; i--) {
      const record = source[i] as EventRecord
      if (filters.since !== undefined && record.ts < filters.since) break
      if (eventMatches(record, filters)) rows.push(record)
    }
    const keyOf = (r: EventRecord): SortKey => [r.ts, r.seq]
    const result = pageOf(rows.slice(0, page.limit), rows.length > page.limit, keyOf, hash)
    return {
      data: result.data.map((r) => reportedUnder(toWireEvent(parseRecord(r)), effectiveProject, ['project_id'])),
      pagination: result.pagination,
    }
  }
}
