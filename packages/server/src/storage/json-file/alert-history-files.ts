import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from '../../logger.js'
import type { AlertHistoryStore, AlertLine } from '../alert-records.js'
import { listSegments, readSegment, type SegmentAppend } from './segment-log.js'
import type { WriterQueue } from './writer-queue.js'

/** `tenants/<id>/alerts/<fired day>.ndjson` (events.md E130, E132): loaded at start, appended by the one writer. */
export class JsonAlertHistoryStore implements AlertHistoryStore {
  private readonly byTenant = new Map<string, AlertLine[]>()

  constructor(
    private readonly dataDir: string,
    private readonly queue: WriterQueue<SegmentAppend>,
    private readonly logger: Logger,
  ) {}

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
