import { round6 } from '@hiveboard/shared'
import { iso } from '../../clock.js'
import { emptyAgg, fromMicros, mergeAgg, type Agg, type Dims, type Filter } from '../../analytics/agg.js'
import type { Summary } from '../../analytics/summary.js'
import type { WindowReader } from '../../analytics/window-reader.js'
import type { ProjectIdMap } from '../projects/project-redirects.js'

export interface CostRow {
  cost: number
  call_count: number
  tokens_in: number
  tokens_out: number
  reported_cost: number
  estimated_cost: number
}

export function costRow(agg: Agg): CostRow {
  return {
    cost: round6(fromMicros(agg.costMicros)),
    call_count: agg.calls,
    tokens_in: agg.tokensIn,
    tokens_out: agg.tokensOut,
    reported_cost: round6(fromMicros(agg.reportedMicros)),
    estimated_cost: round6(fromMicros(agg.estimatedMicros)),
  }
}

/** Rows by one dimension, sorted by cost desc then key (E76); only keys with calls. */
export function groupRows<K extends string>(
  groups: Map<string | null, Agg>,
  keyName: K,
): Array<Record<K, string | null> & CostRow> {
  return [...groups.entries()]
    .filter(([, agg]) => agg.calls > 0)
    .map(([key, agg]) => ({ [keyName]: key, ...costRow(agg) }) as Record<K, string | null> & CostRow)
    .sort((a, b) => b.cost - a.cost || String(a[keyName] ?? '').localeCompare(String(b[keyName] ?? '')))
}

export function addTo(groups: Map<string | null, Agg>, key: string | null, agg: Agg): void {
  let into = groups.get(key)
  if (into === undefined) {
    into = emptyAgg()
    groups.set(key, into)
  }
  mergeAgg(into, agg)
}

export interface CostBreakdown {
  total: Agg
  byAgent: Map<string | null, Agg>
  byModel: Map<string | null, Agg>
  byProject: Map<string | null, Agg>
}

export function costBreakdown(reader: WindowReader, from: number, to: number, filter: Filter): CostBreakdown {
  const out: CostBreakdown = { total: emptyAgg(), byAgent: new Map(), byModel: new Map(), byProject: new Map() }
  const onSummary = (s: Summary): void => {
    mergeAgg(out.total, s.total)
    for (const [k, agg] of s.byAgent) addTo(out.byAgent, k, agg)
    for (const [k, agg] of s.byModel) addTo(out.byModel, k, agg)
    for (const [k, agg] of s.byProject) addTo(out.byProject, k, agg)
  }
  reader.visitCosts(from, to, filter, onSummary, (d: Dims, agg: Agg) => {
    if (agg.calls === 0) return
    mergeAgg(out.total, agg)
    addTo(out.byAgent, d.agentId, agg)
    addTo(out.byModel, d.model, agg)
    addTo(out.byProject, d.projectId, agg)
  })
  return out
}

/** Rows keyed by stored project id, merged under the projects their events were moved into. */
export function byEffectiveProject(
  byStoredProject: ReadonlyMap<string | null, Agg>,
  effectiveProject: ProjectIdMap,
): Map<string | null, Agg> {
  const out = new Map<string | null, Agg>()
  for (const [storedId, agg] of byStoredProject) addTo(out, effectiveProject(storedId), agg)
  return out
}

/** `GET /v1/cost` body (api.md §4.7, events.md E76). */
export function costSummary(
  reader: WindowReader,
  range: string,
  from: number,
  to: number,
  filter: Filter,
  effectiveProject: ProjectIdMap,
) {
  const b = costBreakdown(reader, from, to, filter)
  const total = costRow(b.total)
  return {
    range,
    total_cost: total.cost,
    call_count: total.call_count,
    total_tokens_in: total.tokens_in,
    total_tokens_out: total.tokens_out,
    reported_cost: total.reported_cost,
    estimated_cost: total.estimated_cost,
    by_agent: groupRows(b.byAgent, 'agent_id'),
    by_model: groupRows(b.byModel, 'model'),
    by_project: groupRows(byEffectiveProject(b.byProject, effectiveProject), 'project_id'),
  }
}

/** `GET /v1/cost/timeseries` buckets (E74). */
export function costTimeseries(reader: WindowReader, bounds: ReadonlyArray<[number, number]>, filter: Filter) {
  return bounds.map(([from, to]) => {
    const agg = reader.sum(from, to, filter)
    return {
      timestamp: iso(from),
      cost: round6(fromMicros(agg.costMicros)),
      call_count: agg.calls,
      tokens_in: agg.tokensIn,
      tokens_out: agg.tokensOut,
    }
  })
}
