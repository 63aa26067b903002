import { mkdir, open, readdir, truncate, type FileHandle } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Partition } from '@hiveboard/shared'
import { fsyncDir } from './atomic-write.js'
import type { CommitOutcome } from './writer-queue.js'

export interface SegmentAppend {
  path: string
  bytes: Buffer
  /** Set by the commit: the file offset where `bytes` starts. */
  offset?: number
}

export function segmentPath(dataDir: string, tenantId: string, partition: Partition, receivedAtMs: number): string {
  const day = new Date(receivedAtMs).toISOString().slice(0, 10)
  return join(dataDir, 'tenants', tenantId, 'events', partition, `${day}.ndjson`)
}

interface OpenSegment {
  handle: FileHandle
  size: number
}

/** Appends to NDJSON day segments (events.md E132, E135): one write and one fsync per file per commit. */
export class SegmentWriter {
  private readonly open = new Map<string, OpenSegment>()

  async commit(appends: SegmentAppend[]): Promise<CommitOutcome[]> {
    const byPath = new Map<string, number[]>()
    appends.forEach((a, i) => {
      const list = byPath.get(a.path)
      if (list === undefined) byPath.set(a.path, [i])
      else list.push(i)
    })
    const outcomes: CommitOutcome[] = appends.map(() => null)
    await Promise.all(
      [...byPath].map(async ([path, indexes]) => {
        const jobs = indexes.map((i) => appends[i] as SegmentAppend)
        const result = await this.writeFile(path, Buffer.concat(jobs.map((j) => j.bytes)))
        if (typeof result !== 'number') {
          for (const i of indexes) outcomes[i] = result
          return
        }
        let offset = result
        for (const job of jobs) {
          job.offset = offset
          offset += job.bytes.length
        }
      }),
    )
    return outcomes
  }

  /** Returns the offset written at, else the error; throws only when the file could not be restored. */
  private async writeFile(path: string, bytes: Buffer): Promise<number | { error: unknown }> {
    let segment: OpenSegment
    try {
      segment = await this.segment(path)
    } catch (error) {
      return { error }
    }
    const before = segment.size
    try {
      let offset = 0
      while (offset < bytes.length) {
        const { bytesWritten } = await segment.handle.write(bytes, offset, bytes.length - offset)
        offset += bytesWritten
      }
      await segment.handle.datasync()
      segment.size = before + bytes.length
      return before
    } catch (error) {
      // Nothing of a failed commit may stay behind (E135); if even that fails the engine turns read-only.
      await segment.handle.truncate(before).catch(async () => truncate(path, before))
      this.open.delete(path)
      await segment.handle.close().catch(() => undefined)
      return { error }
    }
  }

  private async segment(path: string): Promise<OpenSegment> {
    const known = this.open.get(path)
    if (known !== undefined) return known
    const dir = dirname(path)
    const existed = existsSync(path)
    if (!existed) await mkdir(dir, { recursive: true })
    const handle = await open(path, 'a', 0o600)
    const size = (await handle.stat()).size
    if (!existed) await fsyncDir(dir)
    // Only one open day segment per folder: the previous day's handle is closed when the day rolls over.
    for (const [other, seg] of this.open) {
      if (dirname(other) === dir) {
        this.open.delete(other)
        await seg.handle.close().catch(() => undefined)
      }
    }
    const segment = { handle, size }
    this.open.set(path, segment)
    return segment
  }

  /** Closes the append handle of one file (before it is deleted); the next append reopens it. */
  async release(path: string): Promise<void> {
    const segment = this.open.get(path)
    if (segment === undefined) return
    this.open.delete(path)
    await segment.handle.close().catch(() => undefined)
  }

  async close(): Promise<void> {
    const handles = [...this.open.values()]
    this.open.clear()
    await Promise.all(handles.map((s) => s.handle.close().catch(() => undefined)))
  }
}

export interface SegmentReadReport {
  lines: number
  tornBytes: number
  malformedLines: number
}

function tryParse(line: string): unknown {
  try {
    return JSON.parse(line) as unknown
  } catch {
    return undefined
  }
}

const CHUNK_BYTES = 8 * 1024 * 1024

/**
 * Streams one segment line by line (bounded memory for large days). A torn last line (no final newline,
 * or unparsable) is cut from the file and reported (events.md E137 step 2); a malformed line elsewhere is
 * skipped and counted.
 */
export async function readSegment(
  path: string,
  onLine: (value: unknown, offset: number, length: number) => void,
): Promise<SegmentReadReport> {
  const handle = await open(path, 'r')
  const report: SegmentReadReport = { lines: 0, tornBytes: 0, malformedLines: 0 }
  let completeEnd = 0 // byte offset after the last complete line
  let badLastLineStart: number | null = null // start of the last complete line when it is unparsable
  let fileSize: number
  try {
    fileSize = (await handle.stat()).size
    let carry = Buffer.alloc(0)
    let position = 0
    while (position < fileSize) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, fileSize - position))
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position)
      if (bytesRead === 0) break
      const data =
        carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead)
      const dataStart = position - carry.length
      position += bytesRead
      let start = 0
      for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
        // The previous bad line was not the last one: it is malformed, not torn.
        if (badLastLineStart !== null) report.malformedLines++
        badLastLineStart = null
        const line = data.toString('utf8', start, nl)
        const value = line === '' ? undefined : tryParse(line)
        if (value === undefined) {
          if (line !== '') badLastLineStart = dataStart + start
        } else {
          onLine(value, dataStart + start, nl - start)
          report.lines++
        }
        completeEnd = dataStart + nl + 1
        start = nl + 1
      }
      carry = Buffer.from(data.subarray(start))
    }
  } finally {
    await handle.close()
  }
  const keepBytes = badLastLineStart ?? completeEnd
  report.tornBytes = fileSize - keepBytes
  if (report.tornBytes > 0) {
    await truncate(path, keepBytes)
    const h = await open(path, 'r+')
    await h.sync().finally(() => h.close())
  }
  return report
}

/** Day segment files of one partition folder, oldest first. */
export async function listSegments(dir: string): Promise<string[]> {
  try {
    const names = await readdir(dir)
    return names
      .filter((n) => /^\d{4}-\d{2}-\d{2}\.ndjson$/.test(n))
      .sort()
      .map((n) => join(dir, n))
  } catch {
    return []
  }
}

/**
 * NDJSON bytes of pure-ASCII lines (serializeEvent), written straight into one buffer: a joined string plus its
 * final newline was copied twice more (join, then flattening the concatenation) before being encoded.
 */
export function asciiLines(lines: readonly string[]): Buffer {
  let size = 0
  for (const line of lines) size += line.length + 1
  const bytes = Buffer.allocUnsafe(size)
  let at = 0
  for (const line of lines) {
    at += bytes.write(line, at, 'latin1')
    bytes[at++] = 0x0a
  }
  return bytes
}
