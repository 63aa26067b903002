import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Partition } from '@hiveboard/shared'
import { storageUnavailable } from '../../errors/app-error.js'
import type { Logger } from '../../logger.js'
import { Namespace, type NamespaceView } from '../../projection/namespace.js'
import { Interner, serializeEvent, toRecord, type StoredEvent } from '../../projection/stored-event.js'
import type { AppendResult, EventStore, PruneResult, Storage, StorageHealth } from '../storage.js'
import { JsonAlertHistoryStore } from './alert-history-files.js'
import {
  agentsPath,
  checkpointNamespace,
  serializeAgents,
  writeAgentsSnapshot,
  type AgentsSnapshot,
  loadAgentsCheckpoint,
  loadRollupCheckpoints,
  rollupDir,
} from './checkpoints.js'
import { readPruneState } from './prune-files.js'
import { PARTITIONS, pruneTenant, type PruneContext } from './prune-run.js'
import { removeTempFiles } from './atomic-write.js'
import { acquireLock, checkFormat } from './data-dir.js'
import { JsonEntityStore } from './entity-files.js'
import { asciiLines, listSegments, readSegment, segmentPath, SegmentWriter, type SegmentAppend } from './segment-log.js'
import { SegmentRef } from './segment-ref.js'
import { WriterQueue, type CommitOutcome } from './writer-queue.js'

export interface JsonFileStorageOptions {
  dataDir: string
  logger: Logger
  /** Days hourly rollups are kept (config `rollup_retention_days`, E126); default 90. */
  rollupRetentionDays?: number
}

/** The embedded default engine: plain files under data_dir (architecture.md "Storage", events.md §8). */
export class JsonFileStorage implements Storage, EventStore {
  readonly entities: JsonEntityStore
  readonly events: EventStore = this
  readonly alerts: JsonAlertHistoryStore
  private readonly queue: WriterQueue<SegmentAppend>
  private readonly segments = new SegmentWriter()
  private readonly spaces = new Map<string, Namespace>()
  private readonly knownIds = new Map<string, Set<string>>()
  private readonly nextSeq = new Map<string, number>()
  private readonly interner = new Interner()
  private readonly segmentRefs = new Map<string, SegmentRef>()
  /** Segment path → lines removed by retention and still in the file (E125 rewrite candidates). */
  private readonly removedLines = new Map<string, number>()
  private readOnly = false
  private ready = false
  private releaseLock: (() => void) | null = null
  private closing: Promise<void> | null = null

  constructor(private readonly options: JsonFileStorageOptions) {
    this.queue = new WriterQueue<SegmentAppend>((jobs) => this.commit(jobs))
    this.entities = new JsonEntityStore(options.dataDir, this.queue as WriterQueue<unknown>, () => this.readOnly)
    this.alerts = new JsonAlertHistoryStore(options.dataDir, this.queue, options.logger, (path) =>
      this.segments.release(path),
    )
  }

  async open(): Promise<void> {
    const { dataDir, logger } = this.options
    checkFormat(dataDir)
    this.releaseLock = acquireLock(dataDir, (message) => logger.warn(message))
    try {
      const removed = await removeTempFiles(dataDir)
      if (removed > 0) logger.warn({ removed }, 'removed leftover temporary files')
      await this.entities.load()
      await this.loadEvents()
      await this.alerts.load()
    } catch (error) {
      this.releaseLock()
      this.releaseLock = null
      throw error
    }
    this.ready = true
  }

  private async loadEvents(): Promise<void> {
    const tenantsDir = join(this.options.dataDir, 'tenants')
    if (!existsSync(tenantsDir)) return
    const started = performance.now()
    let total = 0
    for (const tenantId of await readdir(tenantsDir)) {
      const prunedBefore = readPruneState(this.options.dataDir, tenantId).pruned_before
      for (const partition of PARTITIONS) {
        const space = this.space(tenantId, partition)
        const known = this.known(tenantId)
        const dir = rollupDir(this.options.dataDir, tenantId, partition)
        const onCorrupt = (path: string, error: unknown) =>
          this.options.logger.warn({ path, err: error }, 'corrupt checkpoint; rebuilding it from the segments')
        await loadRollupCheckpoints(dir, space.hourly, prunedBefore, onCorrupt)
        loadAgentsCheckpoint(agentsPath(this.options.dataDir, tenantId, partition), space, onCorrupt)
        let maxSeq = 0
        for (const path of await listSegments(join(tenantsDir, tenantId, 'events', partition))) {
          const source = this.segmentRef(path)
          const report = await readSegment(path, (value, offset, length) => {
            const event = value as StoredEvent
            if (typeof event.event_id !== 'string' || typeof event.seq !== 'number') return
            maxSeq = Math.max(maxSeq, event.seq)
            if (known.has(event.event_id)) return // E137: the first physical copy wins
            known.add(event.event_id)
            space.apply(toRecord(event, { source, offset, length }, this.interner), event)
          })
          total += report.lines
          if (report.tornBytes > 0) this.options.logger.warn({ path, bytes: report.tornBytes }, 'cut torn last line')
          if (report.malformedLines > 0) {
            this.options.logger.warn({ path, lines: report.malformedLines }, 'skipped malformed lines')
          }
        }
        // E137 step 3: seq never goes back below a checkpoint's watermark, even if its lines are gone.
        this.nextSeq.set(
          `${tenantId}/${partition}`,
          Math.max(maxSeq, space.hourly.watermark, space.agentsWatermark) + 1,
        )
      }
    }
    this.options.logger.info({ events: total, ms: Math.round(performance.now() - started) }, 'events loaded')
  }

  private async commit(jobs: SegmentAppend[]): Promise<CommitOutcome[]> {
    if (this.readOnly) return jobs.map(() => ({ error: storageUnavailable() }))
    try {
      return await this.segments.commit(jobs)
    } catch (error) {
      // A failed write could not be rolled back: refuse all writes until restart (E135).
      this.readOnly = true
      this.options.logger.error({ err: error }, 'storage turned read-only after an unrecoverable write failure')
      return jobs.map(() => ({ error }))
    }
  }

  private segmentRef(path: string): SegmentRef {
    let ref = this.segmentRefs.get(path)
    if (ref === undefined) {
      ref = new SegmentRef(path)
      this.segmentRefs.set(path, ref)
    }
    return ref
  }

  private space(tenantId: string, partition: Partition): Namespace {
    const key = `${tenantId}/${partition}`
    let space = this.spaces.get(key)
    if (space === undefined) {
      space = new Namespace(tenantId, partition)
      this.spaces.set(key, space)
    }
    return space
  }

  private known(tenantId: string): Set<string> {
    let known = this.knownIds.get(tenantId)
    if (known === undefined) {
      known = new Set()
      this.knownIds.set(tenantId, known)
    }
    return known
  }

  isKnownEventId(tenantId: string, eventId: string): boolean {
    return this.knownIds.get(tenantId)?.has(eventId) ?? false
  }

  async append(tenantId: string, partition: Partition, events: StoredEvent[]): Promise<AppendResult> {
    if (this.readOnly || !this.ready) throw storageUnavailable()
    const known = this.known(tenantId)
    const duplicateIds = new Set<string>()
    const fresh: StoredEvent[] = []
    // Reserve ids synchronously, so a concurrent batch carrying the same id sees it as a duplicate.
    for (const event of events) {
      if (known.has(event.event_id)) duplicateIds.add(event.event_id)
      else {
        known.add(event.event_id)
        fresh.push(event)
      }
    }
    if (fresh.length === 0) return { stored: [], duplicateIds }
    const seqKey = `${tenantId}/${partition}`
    let seq = this.nextSeq.get(seqKey) ?? 1
    const lines: string[] = new Array<string>(fresh.length)
    for (let i = 0; i < fresh.length; i++) {
      const event = fresh[i] as StoredEvent
      event.seq = seq++
      lines[i] = serializeEvent(event)
    }
    this.nextSeq.set(seqKey, seq)
    const receivedAt = Date.parse((fresh[0] as StoredEvent).received_at)
    const path = segmentPath(this.options.dataDir, tenantId, partition, receivedAt)
    // Lines are pure ASCII (serializeEvent), so byte offsets are string lengths.
    const job: SegmentAppend = { path, bytes: asciiLines(lines) }
    try {
      await this.queue.append(job)
    } catch (error) {
      for (const event of fresh) known.delete(event.event_id)
      throw storageUnavailable(error)
    }
    const space = this.space(tenantId, partition)
    const source = this.segmentRef(path)
    let offset = job.offset ?? 0
    for (let i = 0; i < fresh.length; i++) {
      const event = fresh[i] as StoredEvent
      const length = (lines[i] as string).length
      space.apply(toRecord(event, { source, offset, length }, this.interner), event)
      offset += length + 1
    }
    return { stored: fresh, duplicateIds }
  }

  /**
   * One retention run (events.md E120–E127) through the single writer: per tenant, see `pruneTenant`.
   * A run that removes nothing writes nothing.
   */
  prune(now: number, retentionDays: (tenantId: string) => number | null): Promise<PruneResult> {
    return this.queue.run(async () => {
      const result: PruneResult = { ttl_pruned: 0, cold_pruned: 0, total_pruned: 0 }
      const context: PruneContext = {
        dataDir: this.options.dataDir,
        rollupRetentionDays: this.options.rollupRetentionDays ?? 90,
        space: (tenantId, partition) => this.space(tenantId, partition),
        known: (tenantId) => this.known(tenantId),
        segmentRef: (path) => this.segmentRef(path),
        dropSegmentRef: (path) => {
          this.segmentRefs.get(path)?.close()
          this.segmentRefs.delete(path)
        },
        removedLines: this.removedLines,
      }
      for (const tenantId of new Set([...this.spaces.values()].map((s) => s.tenantId))) {
        const days = retentionDays(tenantId)
        if (days === null) continue // E121: a tenant directory without a tenant record is never pruned
        const counts = await pruneTenant(context, tenantId, days, now)
        result.ttl_pruned += counts.ttl_pruned
        result.cold_pruned += counts.cold_pruned
      }
      result.total_pruned = result.ttl_pruned + result.cold_pruned
      return result
    })
  }

  /**
   * E133: writes the derived files changed since the last checkpoint (rollup days), atomically, through
   * the single writer. The server calls it every `checkpoint_interval_seconds`; close() calls it too.
   */
  async checkpoint(final = false): Promise<void> {
    if (this.readOnly || !this.ready) return
    // The registry is serialised before queueing, so appends are not held up by it (see serializeAgents).
    const agents: Array<{ space: Namespace; snapshot: AgentsSnapshot }> = []
    for (const space of this.spaces.values()) {
      if (space.agentsDirty) agents.push({ space, snapshot: await serializeAgents(space) })
    }
    await this.queue.run(async () => {
      for (const { space, snapshot } of agents) {
        if (this.readOnly || !this.ready) space.agentsDirty = true
        else
          await writeAgentsSnapshot(agentsPath(this.options.dataDir, space.tenantId, space.partition), space, snapshot)
      }
      // At shutdown the registry must end up complete on disk; on the timer the snapshot above is enough.
      await this.writeCheckpoints(final)
    })
  }

  private async writeCheckpoints(withAgents: boolean): Promise<void> {
    // A read-only engine writes nothing (E135); a closed one has nothing new to write.
    if (this.readOnly || !this.ready) return
    for (const space of this.spaces.values()) await checkpointNamespace(this.options.dataDir, space, withAgents)
  }

  namespace(tenantId: string, partition: Partition): NamespaceView {
    return this.space(tenantId, partition)
  }

  namespaces(): Array<{ tenantId: string; partition: Partition; view: NamespaceView }> {
    return [...this.spaces.values()].map((view) => ({ tenantId: view.tenantId, partition: view.partition, view }))
  }

  health(): StorageHealth {
    return { ready: this.ready, readOnly: this.readOnly }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.queue.drain()
      // E133: derived files are checkpointed at shutdown; a failure only costs a longer next start.
      if (this.ready && !this.readOnly) {
        await this.checkpoint(true).catch((error: unknown) =>
          this.options.logger.error({ err: error }, 'final checkpoint failed'),
        )
      }
      await this.segments.close()
      for (const ref of this.segmentRefs.values()) ref.close()
      this.ready = false
      this.releaseLock?.()
      this.releaseLock = null
    })()
    return this.closing
  }
}
