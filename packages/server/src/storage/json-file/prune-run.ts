import { dirname, join } from 'node:path'
import type { Partition } from '@hiveboard/shared'
import { dayOf } from '../../analytics/hourly-rollups.js'
import type { Namespace } from '../../projection/namespace.js'
import { collectRemovals, DAY_MS, ttlCutoff } from '../../projection/prune-rules.js'
import type { EventRecord } from '../../projection/stored-event.js'
import type { PruneResult } from '../storage.js'
import { checkpointNamespace, deleteRollupDaysBefore, rollupDir } from './checkpoints.js'
import { deleteSegmentsBefore, readPruneState, writePruneState, type PruneState } from './prune-files.js'
import { SegmentRef } from './segment-ref.js'
import { isRewriteDue, rewriteSegment, segmentDay } from './segment-rewrite.js'

export const PARTITIONS: readonly Partition[] = ['live', 'test']

/** What one retention run needs from the engine (all of it runs inside the single writer, E134). */
export interface PruneContext {
  dataDir: string
  rollupRetentionDays: number
  space(tenantId: string, partition: Partition): Namespace
  known(tenantId: string): Set<string>
  /** The engine's one reader of a segment file (shared by every record of that file). */
  segmentRef(path: string): SegmentRef
  /** Forgets a deleted segment's read descriptor (it would keep its disk space and an fd alive). */
  dropSegmentRef(path: string): void
  /** Segment path → lines logically removed from it and still physically present (E125). */
  removedLines: Map<string, number>
}

/** `state/prune.json` key of a compacted segment. */
function compactedKey(partition: Partition, path: string): string {
  return `${partition}/${dayOf(segmentDay(path) ?? 0)}`
}

/**
 * One tenant's retention run (events.md E121–E127, E133): checkpoint the derived files before the first
 * physical change, record pruned_before, remove events from memory, delete expired segments, rewrite old
 * segments without their removed lines, delete expired rollup days. A run that removes nothing writes
 * nothing (E123).
 */
export async function pruneTenant(
  ctx: PruneContext,
  tenantId: string,
  days: number,
  now: number,
): Promise<PruneResult> {
  const state = readPruneState(ctx.dataDir, tenantId)
  const cutoff = ttlCutoff(now, days, state.pruned_before === null ? null : Date.parse(state.pruned_before))
  const spaces = PARTITIONS.map((partition) => ({ partition, space: ctx.space(tenantId, partition) }))
  const plans = spaces.map((s) => ({ ...s, ...collectRemovals(s.space.events, s.space.rollups.cold, now, cutoff) }))
  const ttl = plans.reduce((n, p) => n + p.ttl.length, 0)
  const cold = plans.reduce((n, p) => n + p.cold.length, 0)
  let checkpointed = false
  const checkpoint = async (): Promise<void> => {
    if (checkpointed) return
    checkpointed = true
    for (const { space } of spaces) await checkpointNamespace(ctx.dataDir, space)
  }
  if (ttl > 0 && (state.pruned_before === null || Date.parse(state.pruned_before) < cutoff)) {
    await checkpoint()
    state.pruned_before = new Date(cutoff).toISOString()
    await writePruneState(ctx.dataDir, tenantId, state)
    for (const { space } of spaces) space.hourly.frozenBefore = cutoff
  }
  for (const plan of plans) {
    const removed = new Set<EventRecord>([...plan.ttl, ...plan.cold])
    plan.space.removeEvents(removed)
    const known = ctx.known(tenantId)
    for (const e of removed) {
      known.delete(e.eventId)
      if (e.source instanceof SegmentRef)
        ctx.removedLines.set(e.source.path, (ctx.removedLines.get(e.source.path) ?? 0) + 1)
    }
    if (ttl === 0) continue
    await checkpoint()
    for (const path of await deleteSegmentsBefore(ctx.dataDir, tenantId, plan.partition, cutoff)) {
      ctx.dropSegmentRef(path)
      ctx.removedLines.delete(path)
      state.compacted = state.compacted.filter((key) => key !== compactedKey(plan.partition, path))
    }
  }
  if (await rewriteDueSegments(ctx, tenantId, state, now, checkpoint)) {
    await writePruneState(ctx.dataDir, tenantId, state)
  }
  await deleteExpiredRollups(ctx, tenantId, now, Math.max(ctx.rollupRetentionDays, days), checkpoint)
  return { ttl_pruned: ttl, cold_pruned: cold, total_pruned: ttl + cold }
}

/** E125: rewrites each due segment of the tenant once; returns whether any was rewritten. */
async function rewriteDueSegments(
  ctx: PruneContext,
  tenantId: string,
  state: PruneState,
  now: number,
  checkpoint: () => Promise<void>,
): Promise<boolean> {
  let rewritten = false
  for (const partition of PARTITIONS) {
    const folder = join(ctx.dataDir, 'tenants', tenantId, 'events', partition)
    const due = [...ctx.removedLines].filter(
      ([path, n]) =>
        dirname(path) === folder && isRewriteDue(path, now, n, state.compacted.includes(compactedKey(partition, path))),
    )
    if (due.length === 0) continue
    await checkpoint()
    const kept = new Map<string, EventRecord[]>(due.map(([path]) => [path, []]))
    // One pass over the partition's visible events finds every kept line of the due segments.
    for (const e of ctx.space(tenantId, partition).events) {
      if (e.source instanceof SegmentRef) kept.get(e.source.path)?.push(e)
    }
    for (const [path, records] of kept) {
      await rewriteSegment(ctx.segmentRef(path), records)
      ctx.removedLines.delete(path)
      state.compacted.push(compactedKey(partition, path))
      rewritten = true
    }
  }
  return rewritten
}

/** E126: rollups live max(rollup_retention_days, retention) days, then go by whole day file. */
async function deleteExpiredRollups(
  ctx: PruneContext,
  tenantId: string,
  now: number,
  keepDays: number,
  checkpoint: () => Promise<void>,
): Promise<void> {
  const firstKeptDay = dayOf(now - keepDays * DAY_MS)
  for (const partition of PARTITIONS) {
    const space = ctx.space(tenantId, partition)
    const dir = rollupDir(ctx.dataDir, tenantId, partition)
    const stale = [...space.hourly.agentHourly.keys(), ...space.hourly.modelHourly.keys()].some(
      (hour) => dayOf(hour) < firstKeptDay,
    )
    if (!stale) continue
    await checkpoint()
    await deleteRollupDaysBefore(dir, firstKeptDay)
    space.hourly.dropDaysBefore(firstKeptDay)
  }
}
