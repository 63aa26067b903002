import type { Dirent } from 'node:fs'
import { open, rename, readdir, rm } from 'node:fs/promises'
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

/** Temp file in the same folder, fsync, close, rename over the target, fsync the folder (E136). */
export async function atomicWrite(path: string, content: string): Promise<void> {
  const tmp = join(dirname(path), `${basename(path)}.tmp-${process.pid}-${counter++}`)
  const handle = await open(tmp, 'w', 0o600)
  try {
    await handle.writeFile(content, 'utf8')
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
