import { open, readFile, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { EventRecord } from '../../projection/stored-event.js'
import { DAY_MS } from '../../projection/prune-rules.js'
import { fsyncDir, renameWithRetry } from './atomic-write.js'
import type { SegmentRef } from './segment-ref.js'

let counter = 0

/** Received day (ms) of a segment path `…/<YYYY-MM-DD>.ndjson`, or null for any other name. */
export function segmentDay(path: string): number | null {
  const match = /^(\d{4}-\d{2}-\d{2})\.ndjson$/.exec(basename(path))
  return match === null ? null : Date.parse(`${match[1]}T00:00:00.000Z`)
}

/**
 * E125: a closed segment D is rewritten once it is at least two days old (so today's and yesterday's
 * never are), has removed lines and was not rewritten before.
 */
export function isRewriteDue(path: string, now: number, removedLines: number, alreadyCompacted: boolean): boolean {
  const day = segmentDay(path)
  return day !== null && now >= day + 2 * DAY_MS && removedLines > 0 && !alreadyCompacted
}

/**
 * Rewrites one segment with only the `kept` lines (the visible events whose line lives there), atomically
 * (E125, E136): temp file in the same folder, fsync, rename, fsync the folder. A crash before the rename
 * leaves the old file (the temp file is removed at start); after it, the new one.
 *
 * Readers locate events by (segment, offset, length) and pread them, so offsets change with the file. The
 * old file stays pinned open until the rename is done; then, in one synchronous step, every kept record is
 * moved to its new offset and the descriptor dropped, so no read ever pairs an offset with the wrong file.
 * Returns the bytes the file shrank by.
 */
export async function rewriteSegment(ref: SegmentRef, kept: readonly EventRecord[]): Promise<number> {
  const lines = [...kept].sort((a, b) => a.offset - b.offset)
  const old = await readFile(ref.path)
  const parts: Buffer[] = []
  const offsets: number[] = []
  let size = 0
  for (const record of lines) {
    offsets.push(size)
    parts.push(old.subarray(record.offset, record.offset + record.length + 1)) // the line and its '\n'
    size += record.length + 1
  }
  const tmp = join(dirname(ref.path), `${basename(ref.path)}.tmp-${process.pid}-${counter++}`)
  const handle = await open(tmp, 'w', 0o600)
  try {
    await handle.writeFile(Buffer.concat(parts, size))
    await handle.sync()
  } finally {
    await handle.close()
  }
  ref.pin()
  try {
    await renameWithRetry(tmp, ref.path)
  } catch (error) {
    await rm(tmp, { force: true })
    throw error
  }
  lines.forEach((record, i) => {
    // Records are shared by every index; relocating them in place keeps all of them valid at once.
    Object.assign(record, { offset: offsets[i] })
  })
  ref.close()
  await fsyncDir(dirname(ref.path))
  return old.length - size
}
