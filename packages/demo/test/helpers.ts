import { spawn, type ChildProcess } from 'node:child_process'
import type { TestServer } from '@hiveboard/server/testing'

/** The read API's objects, loosely typed: tests assert on the fields they care about. */
export type Json = Record<string, any>

export async function getJson(srv: TestServer, path: string, key?: string): Promise<Json> {
  const res = await srv.get(path, key)
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`)
  return (await res.json()) as Json
}

/** Every page of a paginated list (api.md §1.4). */
export async function getAll(srv: TestServer, path: string, key?: string): Promise<Json[]> {
  const items: Json[] = []
  let cursor: string | null = null
  do {
    const sep = path.includes('?') ? '&' : '?'
    const page = await getJson(srv, `${path}${sep}limit=200${cursor === null ? '' : `&cursor=${cursor}`}`, key)
    items.push(...(page['data'] as Json[]))
    cursor = page['pagination'].cursor as string | null
  } while (cursor !== null)
  return items
}

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs `node <args>` to completion (or kills it after `timeoutMs`). */
export function runNode(
  args: string[],
  options: {
    cwd?: string
    env?: Record<string, string | undefined>
    timeoutMs?: number
    onSpawn?: (child: ChildProcess) => void
  } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    options.onSpawn?.(child)
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000)
    child.once('error', reject)
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
