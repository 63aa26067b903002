import type { EventRecord } from '../projection/stored-event.js'
import { addRecord, emptyAgg, type Agg, type Dims } from './agg.js'

/** One hour of a whole namespace: the total and the llm figures by agent, model and project. */
export interface Summary {
  total: Agg
  byAgent: Map<string, Agg>
  byModel: Map<string, Agg>
  byProject: Map<string | null, Agg>
  /** Task number (EventRecord.taskNo) → non-heartbeat events this hour (distinct-task counts). */
  tasks: Map<number, number>
}

export function emptySummary(): Summary {
  return { total: emptyAgg(), byAgent: new Map(), byModel: new Map(), byProject: new Map(), tasks: new Map() }
}

function into<K>(map: Map<K, Agg>, key: K): Agg {
  let agg = map.get(key)
  if (agg === undefined) map.set(key, (agg = emptyAgg()))
  return agg
}

export function summaryAdd(summary: Summary, dims: Dims, record: EventRecord, sign: 1 | -1): void {
  addRecord(summary.total, record, sign)
  if (record.taskNo >= 0 && record.eventType !== 'heartbeat') {
    const n = (summary.tasks.get(record.taskNo) ?? 0) + sign
    if (n > 0) summary.tasks.set(record.taskNo, n)
    else summary.tasks.delete(record.taskNo)
  }
  if (record.llm === null) return
  addRecord(into(summary.byAgent, dims.agentId), record, sign)
  addRecord(into(summary.byModel, record.llm.model), record, sign)
  addRecord(into(summary.byProject, dims.projectId), record, sign)
}
