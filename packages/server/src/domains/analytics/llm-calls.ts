import { round6 } from '@hiveboard/shared'
import { iso } from '../../clock.js'
import { fromMicros, matches, toMicros, type Filter } from '../../analytics/agg.js'
import { WindowReader } from '../../analytics/window-reader.js'
import { compareKeys, cursorAfter, pageOf, paginateSorted, type SortKey } from '../../http/paginate.js'
import type { NamespaceView } from '../../projection/namespace.js'
import { lowerBoundTs } from '../../projection/order.js'
import { parseRecord, payloadData, type EventRecord } from '../../projection/stored-event.js'
import type { ProjectIdMap } from '../projects/project-redirects.js'

export const LLM_SORTS = ['newest', 'cost', 'tokens_in', 'duration'] as const
export type LlmSort = (typeof LLM_SORTS)[number]

export interface LlmCallsRequest {
  filter: Filter & { taskId?: string | undefined; name?: string | undefined }
  since: number | undefined
  until: number | undefined
  sort: LlmSort
  limit: number
  cursor: string | undefined
  /** Calls of moved events are reported under the project they were merged or reassigned into. */
  effectiveProject: ProjectIdMap
}

function sortKey(sort: LlmSort): (e: EventRecord) => SortKey {
  const llm = (e: EventRecord) => e.llm as NonNullable<EventRecord['llm']>
  switch (sort) {
    case 'newest':
      return (e) => [-e.ts, -e.seq]
    case 'cost':
      return (e) => [-toMicros(llm(e).cost), -e.ts, -e.seq]
    case 'tokens_in':
      return (e) => [-llm(e).tokensIn, -e.ts, -e.seq]
    case 'duration':
      return (e) => [llm(e).durationMs === null ? null : -(llm(e).durationMs as number), -e.ts, -e.seq]
  }
}

/** One LlmCall (api.md §4.0, events.md E77). */
export function toLlmCall(record: EventRecord, effectiveProject: ProjectIdMap) {
  const event = parseRecord(record)
  const data = payloadData(event.payload) ?? {}
  const llm = record.llm as NonNullable<EventRecord['llm']>
  const text = (v: unknown) => (typeof v === 'string' ? v : null)
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.floor(v) : 0)
  return {
    event_id: record.eventId,
    agent_id: record.agentId,
    project_id: effectiveProject(record.projectId),
    task_id: record.taskId,
    action_id: record.actionId,
    timestamp: iso(record.ts),
    name: llm.name,
    model: llm.model,
    tokens_in: llm.tokensIn,
    tokens_out: llm.tokensOut,
    cache_read_tokens: num(data['cache_read_tokens']),
    reasoning_tokens: num(data['reasoning_tokens']),
    cost: llm.cost === null ? 0 : round6(llm.cost),
    cost_source: llm.costSource,
    cost_model_matched: text(data['cost_model_matched']),
    duration_ms: llm.durationMs,
    prompt_preview: text(data['prompt_preview']),
    response_preview: text(data['response_preview']),
    metadata: typeof data['metadata'] === 'object' && data['metadata'] !== null ? data['metadata'] : {},
  }
}

function inWindow(e: EventRecord, req: LlmCallsRequest): boolean {
  return (req.since === undefined || e.ts >= req.since) && (req.until === undefined || e.ts <= req.until)
}

function accepts(e: EventRecord, req: LlmCallsRequest): boolean {
  const f = req.filter
  return (
    inWindow(e, req) &&
    matches(
      { agentId: e.agentId, projectId: e.projectId, environment: e.environment, model: e.llm?.model ?? null },
      f,
    ) &&
    (f.taskId === undefined || e.taskId === f.taskId) &&
    (f.name === undefined || e.llm?.name === f.name)
  )
}

/** Totals over the whole filtered set: from rollups unless task_id or name narrow it (E77). */
function totals(ns: NamespaceView, req: LlmCallsRequest, candidates: readonly EventRecord[]) {
  let cost = 0
  let tokensIn = 0
  let tokensOut = 0
  let calls = 0
  if (req.filter.taskId === undefined && req.filter.name === undefined) {
    const first = candidates[0]
    const last = candidates[candidates.length - 1]
    if (first !== undefined && last !== undefined) {
      const from = Math.max(req.since ?? first.ts, first.ts)
      const to = Math.min(req.until ?? last.ts, last.ts) + 1
      const agg = new WindowReader(ns).sum(from, to, req.filter)
      ;({ costMicros: cost, tokensIn, tokensOut, calls } = agg)
    }
  } else {
    for (const e of candidates) {
      if (!accepts(e, req)) continue
      const llm = e.llm as NonNullable<EventRecord['llm']>
      cost += toMicros(llm.cost)
      tokensIn += llm.tokensIn
      tokensOut += llm.tokensOut
      calls++
    }
  }
  return { cost: round6(fromMicros(cost)), tokens_in: tokensIn, tokens_out: tokensOut, call_count: calls }
}

/** `GET /v1/llm-calls` = `GET /v1/cost/calls` (api.md §4.7). */
export function llmCalls(ns: NamespaceView, req: LlmCallsRequest) {
  const task = req.filter.taskId === undefined ? undefined : ns.tasks.get(req.filter.taskId)
  const candidates: readonly EventRecord[] =
    req.filter.taskId === undefined ? ns.rollups.llmCalls.records : (task?.events.filter((e) => e.llm !== null) ?? [])
  const keyOf = sortKey(req.sort)
  const page = {
    limit: req.limit,
    cursor: req.cursor,
    query: ['llm-calls', req.filter, req.since, req.until, req.sort],
  }
  let result
  if (req.sort === 'newest') {
    // Walk back from `until`: only the page (plus what the filters skip) is visited.
    const { after, hash } = cursorAfter(page)
    const out: EventRecord[] = []
    let more = false
    const end = req.until === undefined ? candidates.length : lowerBoundTs(candidates, req.until + 1)
    for (let i = end - 1; i >= 0; i--) {
      const e = candidates[i] as EventRecord
      if (req.since !== undefined && e.ts < req.since) break
      if (!accepts(e, req) || (after !== undefined && compareKeys(keyOf(e), after) <= 0)) continue
      if (out.length === req.limit) {
        more = true
        break
      }
      out.push(e)
    }
    result = pageOf(out, more, keyOf, hash)
  } else {
    const matching = candidates.filter((e) => accepts(e, req)).map((e) => ({ e, key: keyOf(e) }))
    matching.sort((a, b) => compareKeys(a.key, b.key))
    const sorted = paginateSorted(matching, (m) => m.key, page)
    result = { data: sorted.data.map((m) => m.e), pagination: sorted.pagination }
  }
  const data = result.data.map((e) => toLlmCall(e, req.effectiveProject))
  return { data, pagination: result.pagination, totals: totals(ns, req, candidates) }
}
