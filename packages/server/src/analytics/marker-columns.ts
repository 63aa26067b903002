import type { EventType } from '@hiveboard/shared'
import type { EventRecord } from '../projection/stored-event.js'
import { float64, int32, RecordColumns, uint8, type ColumnWindow } from './record-columns.js'

export const MARKER_COMPLETED = 1
export const MARKER_FAILED = 2
export const MARKER_ESCALATED = 3
export const MARKER_APPROVAL = 4

const KIND_OF: Partial<Record<EventType, number>> = {
  task_completed: MARKER_COMPLETED,
  task_failed: MARKER_FAILED,
  escalated: MARKER_ESCALATED,
  approval_requested: MARKER_APPROVAL,
  approval_received: MARKER_APPROVAL,
}

/** Events whose task-level meaning is not additive (E67), kept in canonical order for window scans. */
export function isTaskMarker(type: EventType): boolean {
  return KIND_OF[type] !== undefined
}

/** The figures task figures read of each marker (E67, E69). */
export const MARKER_COLUMNS = {
  taskNo: int32((r) => r.taskNo),
  kind: uint8((r) => KIND_OF[r.eventType] ?? 0),
  /** `duration_ms` of task_completed markers, NaN where absent. */
  durationMs: float64((r) => (r.eventType === 'task_completed' ? (r.durationMs ?? Number.NaN) : Number.NaN)),
}

/**
 * A window of task markers as columns. Task figures walk ~14k markers per 24 h window; reading them from
 * typed arrays instead of one EventRecord each took `/v1/metrics` from ~12 to ~4 ms at a million events.
 */
export type MarkerWindow = ColumnWindow<typeof MARKER_COLUMNS>

/** The task markers of a namespace in canonical order, with their columns. */
export class MarkerColumns extends RecordColumns<typeof MARKER_COLUMNS> {
  constructor() {
    super(MARKER_COLUMNS)
  }

  /** Columns of an ordered list of markers (filtered windows and the raw reference reader). */
  static from(records: readonly EventRecord[]): MarkerWindow {
    return RecordColumns.of(MARKER_COLUMNS, records)
  }
}
