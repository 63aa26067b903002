import { round6 } from '@hiveboard/shared'
import { iso } from '../../clock.js'
import { fromMicros, mergeAgg, type Filter } from '../../analytics/agg.js'
import { retiredLlmAgg, rollupHorizon } from '../../analytics/retired-hours.js'
import { WindowReader } from '../../analytics/window-reader.js'
import type { NamespaceView } from '../../projection/namespace.js'

/**
 * `GET /v1/cost/timeseries` buckets (E74) across retention: retained time from the query cells (or, with
 * `raw`, from the events), retired hours from the hourly rollups (E85), so a 7d or 30d series keeps
 * showing cost whose raw events retention has removed.
 */
export function costTimeseriesAcrossRetention(
  ns: NamespaceView,
  bounds: ReadonlyArray<[number, number]>,
  filter: Filter,
  raw = false,
) {
  const reader = new WindowReader(ns, raw)
  const horizon = rollupHorizon(ns.hourly)
  return bounds.map(([from, to]) => {
    const agg = reader.sum(Math.max(from, horizon), to, filter)
    mergeAgg(agg, retiredLlmAgg(ns.hourly, from, to, filter))
    return {
      timestamp: iso(from),
      cost: round6(fromMicros(agg.costMicros)),
      call_count: agg.calls,
      tokens_in: agg.tokensIn,
      tokens_out: agg.tokensOut,
    }
  })
}
