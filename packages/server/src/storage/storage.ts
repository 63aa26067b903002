import type { Partition } from '@hiveboard/shared'
import type { GlobalCollection, GlobalEntities, TenantCollection, TenantEntities } from './entities.js'
import type { StoredEvent } from '../projection/stored-event.js'
import type { NamespaceView } from '../projection/namespace.js'
import type { AlertHistoryStore } from './alert-records.js'

/**
 * A mutation of one collection, run inside the single writer: it sees the current items and returns the
 * new list, or null for "no change" (then nothing is written). Throwing aborts with nothing written.
 */
export type Mutation<T> = (items: readonly T[]) => T[] | null

/** Small entity files rewritten atomically by one writer queue (architecture.md "Storage"). */
export interface EntityStore {
  list<C extends GlobalCollection>(collection: C): readonly GlobalEntities[C][]
  listTenant<C extends TenantCollection>(collection: C, tenantId: string): readonly TenantEntities[C][]
  update<C extends GlobalCollection>(collection: C, mutation: Mutation<GlobalEntities[C]>): Promise<void>
  updateTenant<C extends TenantCollection>(
    collection: C,
    tenantId: string,
    mutation: Mutation<TenantEntities[C]>,
  ): Promise<void>
  /** Increments on every change of the collection, so callers can cache derived lookups. */
  version(collection: GlobalCollection | TenantCollection, tenantId?: string): number
}

export interface AppendResult {
  /** Events now durable, in `seq` order. */
  stored: StoredEvent[]
  /** event_ids found to be duplicates at commit time (claimed meanwhile by a concurrent batch). */
  duplicateIds: Set<string>
}

/** Append-only event log plus the in-memory indexes every query reads. */
export interface EventStore {
  /** True when (tenant, event_id) is stored or being stored, in either partition (api.md §2.6). */
  isKnownEventId(tenantId: string, eventId: string): boolean
  /**
   * Appends durably (fsync before resolving), then updates the indexes. `seq` is (re)assigned here, in the
   * order given. Rejects with `storage_unavailable` when nothing could be stored.
   */
  append(tenantId: string, partition: Partition, events: StoredEvent[]): Promise<AppendResult>
  /** The read side of one (tenant, partition). */
  namespace(tenantId: string, partition: Partition): NamespaceView
  /** Every (tenant, partition) with data, for background work such as the stuck detector. */
  namespaces(): Array<{ tenantId: string; partition: Partition; view: NamespaceView }>
}

/** Counts of one retention run (events.md E122). */
export interface PruneResult {
  ttl_pruned: number
  cold_pruned: number
  total_pruned: number
}

export interface StorageHealth {
  ready: boolean
  readOnly: boolean
}

export interface Storage {
  readonly entities: EntityStore
  readonly events: EventStore
  /** Alert history, delivery and resolution records (events.md E108, E132). */
  readonly alerts: AlertHistoryStore
  /** Loads files, recovers torn segments, rebuilds the indexes. */
  open(): Promise<void>
  /** Waits for queued writes and releases the data folder. Idempotent. */
  close(): Promise<void>
  health(): StorageHealth
  /** Writes derived checkpoints changed since the last one (events.md E133); a no-op when nothing changed. */
  checkpoint(): Promise<void>
  /** One retention run at `now`; `retentionDays` null = never prune that tenant (events.md E120–E127). */
  prune(now: number, retentionDays: (tenantId: string) => number | null): Promise<PruneResult>
}
