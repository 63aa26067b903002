import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { storageUnavailable } from '../../errors/app-error.js'
import {
  GLOBAL_COLLECTIONS,
  TENANT_COLLECTIONS,
  type GlobalCollection,
  type GlobalEntities,
  type TenantCollection,
  type TenantEntities,
} from '../entities.js'
import type { EntityStore, Mutation } from '../storage.js'
import { atomicWrite } from './atomic-write.js'
import { DataDirError } from './data-dir.js'
import type { WriterQueue } from './writer-queue.js'

interface Collection {
  items: readonly unknown[]
  version: number
}

/** Entity files `{"version":1,"items":[…]}` (events.md E131), each rewritten atomically by the one writer. */
export class JsonEntityStore implements EntityStore {
  private readonly collections = new Map<string, Collection>()

  constructor(
    private readonly dataDir: string,
    private readonly queue: WriterQueue<unknown>,
    private readonly isReadOnly: () => boolean,
  ) {}

  private key(collection: string, tenantId?: string): string {
    return tenantId === undefined ? collection : `${tenantId}/${collection}`
  }

  private path(collection: string, tenantId?: string): string {
    return tenantId === undefined
      ? join(this.dataDir, `${collection}.json`)
      : join(this.dataDir, 'tenants', tenantId, `${collection}.json`)
  }

  async load(): Promise<void> {
    for (const c of GLOBAL_COLLECTIONS) await this.loadFile(c)
    const tenantsDir = join(this.dataDir, 'tenants')
    const tenantIds = existsSync(tenantsDir) ? await readdir(tenantsDir) : []
    for (const tenantId of tenantIds) for (const c of TENANT_COLLECTIONS) await this.loadFile(c, tenantId)
  }

  private async loadFile(collection: string, tenantId?: string): Promise<void> {
    const path = this.path(collection, tenantId)
    if (!existsSync(path)) return
    let parsed: unknown
    try {
      parsed = JSON.parse(await readFile(path, 'utf8'))
    } catch (error) {
      // E131: never reset silently.
      throw new DataDirError(`${path} is not valid JSON (${(error as Error).message}); refusing to start`)
    }
    const items = (parsed as { items?: unknown } | null)?.items
    if (!Array.isArray(items)) throw new DataDirError(`${path} has no "items" array; refusing to start`)
    this.collections.set(this.key(collection, tenantId), { items, version: 1 })
  }

  private read(collection: string, tenantId?: string): readonly unknown[] {
    return this.collections.get(this.key(collection, tenantId))?.items ?? []
  }

  list<C extends GlobalCollection>(collection: C): readonly GlobalEntities[C][] {
    return this.read(collection) as readonly GlobalEntities[C][]
  }

  listTenant<C extends TenantCollection>(collection: C, tenantId: string): readonly TenantEntities[C][] {
    return this.read(collection, tenantId) as readonly TenantEntities[C][]
  }

  version(collection: GlobalCollection | TenantCollection, tenantId?: string): number {
    return this.collections.get(this.key(collection, tenantId))?.version ?? 0
  }

  update<C extends GlobalCollection>(collection: C, mutation: Mutation<GlobalEntities[C]>): Promise<void> {
    return this.write(collection, undefined, mutation as Mutation<unknown>)
  }

  updateTenant<C extends TenantCollection>(
    collection: C,
    tenantId: string,
    mutation: Mutation<TenantEntities[C]>,
  ): Promise<void> {
    return this.write(collection, tenantId, mutation as Mutation<unknown>)
  }

  private write(collection: string, tenantId: string | undefined, mutation: Mutation<unknown>): Promise<void> {
    return this.queue.run(async () => {
      if (this.isReadOnly()) throw storageUnavailable()
      const next = mutation(this.read(collection, tenantId))
      if (next === null) return
      const path = this.path(collection, tenantId)
      try {
        if (tenantId !== undefined) await mkdir(join(this.dataDir, 'tenants', tenantId), { recursive: true })
        await atomicWrite(path, JSON.stringify({ version: 1, items: next }, null, 2) + '\n')
      } catch (error) {
        throw storageUnavailable(error)
      }
      // Memory changes only after the write succeeded (E134).
      const key = this.key(collection, tenantId)
      this.collections.set(key, { items: next, version: (this.collections.get(key)?.version ?? 0) + 1 })
    })
  }
}
