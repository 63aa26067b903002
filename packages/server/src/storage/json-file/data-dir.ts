import { readFileSync, writeFileSync, rmSync, existsSync, mkdirSync, openSync, closeSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'

export const FORMAT = { engine: 'json', format_version: 1 } as const

export class DataDirError extends Error {
  override readonly name = 'DataDirError'
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * One process per data folder (events.md E134): LOCK is created exclusively; a live owner makes start
 * fail; a dead same-host owner's lock is replaced, with a warning through `warn`.
 */
export function acquireLock(dataDir: string, warn: (message: string) => void): () => void {
  const path = join(dataDir, 'LOCK')
  const content = JSON.stringify({ pid: process.pid, host: hostname(), started_at: new Date().toISOString() })
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600)
      writeSync(fd, content)
      closeSync(fd)
      return () => rmSync(path, { force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    let owner: { pid?: unknown; host?: unknown } = {}
    try {
      owner = JSON.parse(readFileSync(path, 'utf8')) as typeof owner
    } catch {
      // An unreadable lock was torn by a crash while being written: nobody holds it.
    }
    const pid = typeof owner.pid === 'number' ? owner.pid : null
    const sameHost = owner.host === undefined || owner.host === hostname()
    if (pid !== null && (!sameHost || (pid !== process.pid && isAlive(pid)))) {
      throw new DataDirError(`data_dir ${dataDir} is in use by pid ${pid} on ${String(owner.host)} (LOCK)`)
    }
    warn(`replacing stale LOCK of pid ${pid ?? 'unknown'} in ${dataDir}`)
    rmSync(path, { force: true })
  }
  throw new DataDirError(`could not lock data_dir ${dataDir}`)
}

/** FORMAT records the engine and layout version; an unknown version refuses to start (E137). */
export function checkFormat(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true })
  const path = join(dataDir, 'FORMAT')
  if (!existsSync(path)) {
    writeFileSync(path, JSON.stringify(FORMAT) + '\n', { mode: 0o600 })
    return
  }
  let format: { engine?: unknown; format_version?: unknown }
  try {
    format = JSON.parse(readFileSync(path, 'utf8')) as typeof format
  } catch {
    throw new DataDirError(`${path} is not valid JSON; refusing to start`)
  }
  if (format.engine !== FORMAT.engine || format.format_version !== FORMAT.format_version) {
    throw new DataDirError(`${path}: unsupported format ${JSON.stringify(format)}; refusing to start`)
  }
}
