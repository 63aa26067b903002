import { existsSync } from 'node:fs'
import { readdir, rm } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { Logger } from '../../logger.js'
import { alertIdOf, type AlertHistoryStore, type AlertLine } from '../alert-records.js'
import { listSegments, readSegment, type SegmentAppend } from './segment-log.js'
import type { WriterQueue } from './writer-queue.js'

/** `tenants/<id>/alerts/<fired day>.ndjson` (events.md E130, E132): loaded at start, appended by the one writer. */
export class JsonAlertHistoryStore implements AlertHistoryStore {
  private readonly byTenant = new Map<string, AlertLine[]>()
  private readonly pruneListeners: ((tenantId: string, removed: ReadonlySet<string>, beforeDayMs: number) => void)[] =
    []

  constructor(
    private readonly dataDir: string,
    private readonly queue: WriterQueue<SegmentAppend>,
    private readonly logger: Logger,
    /** Closes the writer's append handle of a deleted file (it would keep the disk space alive). */
    private readonly releaseFile: (path: string) => Promise<void> = () => Promise.resolve(),
  ) {}

  onPrune(listener: (tenantId: string, removed: ReadonlySet<string>, beforeDayMs: number) => void): void {
    this.pruneListeners.push(listener)
  }

  pruneDaysBefore(tenantId: string, beforeDayMs: number): Promise<number> {
    const beforeDay = new Date(beforeDayMs).toISOString().slice(0, 10)
    return this.queue.run(async () => {
      const expired = (await listSegments(join(this.dataDir, 'tenants', tenantId, 'alerts'))).filter(
        (path) => basename(path, '.ndjson') < beforeDay,
      )
      // E123: a run that removes nothing writes nothing.
      if (expired.length === 0) return 0
      for (const path of expired) {
        await this.releaseFile(path)
        await rm(path, { force: true })
      }
      // Deliveries and resolutions live in their alert's fired-day file, so they go with it.
      const lines = this.byTenant.get(tenantId) ?? []
      const removed = new Set<string>()
      for (const line of lines) {
        if (!('delivery' in line) && !('resolution' in line) && line.fired_at.slice(0, 10) < beforeDay) {
          removed.add(line.alert_id)
        }
      }
      const kept = lines.filter((line) => {
        const id = alertIdOf(line)
        return id === undefined || !removed.has(id)
      })
      if (kept.length === 0) this.byTenant.delete(tenantId)
      else this.byTenant.set(tenantId, kept)
      for (const listener of this.pruneListeners) listener(tenantId, removed, Date.parse(`${beforeDay}T00:00:00.000Z`))
      return expired.length
    })
  }

  async load(): Promise<void> {
    const tenantsDir = join(this.dataDir, 'tenants')
    if (!existsSync(tenantsDir)) return
    for (const tenantId of await readdir(tenantsDir)) {
      const lines: AlertLine[] = []
      for (const path of await listSegments(join(tenantsDir, tenantId, 'alerts'))) {
        const report = await readSegment(path, (value) => {
          if (typeof value === 'object' && value !== null) lines.push(value as AlertLine)
        })
        if (report.tornBytes > 0) this.logger.warn({ path, bytes: report.tornBytes }, 'cut torn last alert line')
      }
      if (lines.length > 0) this.byTenant.set(tenantId, lines)
    }
  }

  lines(tenantId: string): readonly AlertLine[] {
    return this.byTenant.get(tenantId) ?? []
  }

  async append(tenantId: string, firedAtMs: number, lines: AlertLine[]): Promise<void> {
    if (lines.length === 0) return
    const day = new Date(firedAtMs).toISOString().slice(0, 10)
    const path = join(this.dataDir, 'tenants', tenantId, 'alerts', `${day}.ndjson`)
    const text = lines.map((line) => JSON.stringify(line)).join('\n') + '\n'
    await this.queue.append({ path, bytes: Buffer.from(text, 'utf8') })
    let list = this.byTenant.get(tenantId)
    if (list === undefined) {
      list = []
      this.byTenant.set(tenantId, list)
    }
    list.push(...lines)
  }
}
