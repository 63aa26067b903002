import type { Dirent } from 'node:fs'
import { open, rename, readdir, rm, type FileHandle } from 'node:fs/promises'
import { dirname, basename, join } from 'node:path'

let counter = 0

/** fsync a directory so a rename or a new file in it survives a crash (POSIX only). */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

export async function renameWithRetry(from: string, to: string): Promise<void> {
  // Windows: a reader or antivirus may hold the target briefly (events.md E136).
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to)
      return
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (process.platform !== 'win32' || attempt >= 4 || (code !== 'EPERM' && code !== 'EBUSY')) throw error
      await new Promise((r) => setTimeout(r, 50))
    }
  }
}

/** Characters encoded per write: a few hundred µs of the event loop each (README "Performance"). */
export const WRITE_SLICE_CHARS = 256 * 1024

/**
 * Writes `content` as UTF-8, a slice per write. PERF: `writeFile(string)` encodes the whole string on the event loop
 * at once; the agents checkpoint (several MB at 1M events) was a ~7 ms stall of every batch in flight. A slice never
 * ends between the two halves of a surrogate pair, which would encode as two U+FFFD.
 */
export async function writeSliced(handle: FileHandle, content: string): Promise<void> {
  for (let start = 0; start < content.length;) {
    let end = Math.min(content.length, start + WRITE_SLICE_CHARS)
    const last = content.charCodeAt(end - 1)
    if (end < content.length && last >= 0xd800 && last <= 0xdbff) end--
    await handle.write(content.slice(start, end), null, 'utf8')
    start = end
  }
}

/** Temp file in the same folder, fsync, close, rename over the target, fsync the folder (E136). */
export async function atomicWrite(path: string, content: string): Promise<void> {
  const tmp = join(dirname(path), `${basename(path)}.tmp-${process.pid}-${counter++}`)
  const handle = await open(tmp, 'w', 0o600)
  try {
    await writeSliced(handle, content)
    await handle.sync()
  } finally {
    await handle.close()
  }
  try {
    await renameWithRetry(tmp, path)
  } catch (error) {
    await rm(tmp, { force: true })
    throw error
  }
  await fsyncDir(dirname(path))
}

/** Leftover `*.tmp-*` files from a crash are deleted at start (E136). */
export async function removeTempFiles(dir: string): Promise<number> {
  let removed = 0
  let entries: Dirent[]
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch {
    return 0
  }
  for (const entry of entries) {
    const full = join(dir, entry.name)
    if (entry.isDirectory()) removed += await removeTempFiles(full)
    else if (entry.name.includes('.tmp-')) {
      await rm(full, { force: true })
      removed++
    }
  }
  return removed
}
