import { existsSync, readFileSync } from 'node:fs'
import { mkdir, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Partition } from '@hiveboard/shared'
import { DAY_MS } from '../../projection/prune-rules.js'
import { atomicWrite } from './atomic-write.js'

/** `state/prune.json` (events.md E127): the TTL high-water mark and compacted segments. */
export interface PruneState {
  pruned_before: string | null
  compacted: string[]
}

function statePath(dataDir: string, tenantId: string): string {
  return join(dataDir, 'tenants', tenantId, 'state', 'prune.json')
}

export function readPruneState(dataDir: string, tenantId: string): PruneState {
  const path = statePath(dataDir, tenantId)
  if (!existsSync(path)) return { pruned_before: null, compacted: [] }
  let parsed: Partial<PruneState>
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<PruneState>
  } catch (error) {
    // Not rebuildable (pruned events must stay pruned, E139): refuse to start, naming the file, like E131.
    throw new Error(`unparsable retention state file ${path}`, { cause: error })
  }
  return { pruned_before: parsed.pruned_before ?? null, compacted: parsed.compacted ?? [] }
}

/** Written atomically before any file is deleted (E127). */
export async function writePruneState(dataDir: string, tenantId: string, state: PruneState): Promise<void> {
  const path = statePath(dataDir, tenantId)
  await mkdir(join(path, '..'), { recursive: true })
  await atomicWrite(path, JSON.stringify(state, null, 2) + '\n')
}

/** Deletes whole segments of received day D with D + 1 day ≤ cutoff (E125); returns how many. */
export async function deleteSegmentsBefore(
  dataDir: string,
  tenantId: string,
  partition: Partition,
  cutoff: number,
): Promise<string[]> {
  const dir = join(dataDir, 'tenants', tenantId, 'events', partition)
  if (!existsSync(dir)) return []
  const deleted: string[] = []
  for (const name of await readdir(dir)) {
    const match = /^(\d{4}-\d{2}-\d{2})\.ndjson$/.exec(name)
    if (match === null) continue
    const day = Date.parse(`${match[1]}T00:00:00.000Z`)
    if (day + DAY_MS <= cutoff) {
      await rm(join(dir, name), { force: true })
      deleted.push(join(dir, name))
    }
  }
  return deleted
}
