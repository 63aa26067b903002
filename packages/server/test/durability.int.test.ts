import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../src/logger.js'
import { JsonFileStorage } from '../src/storage/json-file/json-file-storage.js'
import { aStoredEvent } from '../src/testing/index.js'

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '../dist/main.js')
const KEY = 'hb_live_0123456789abcdef0123456789abcdef'
const dirs: string[] = []
const children: ChildProcess[] = []
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL')
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hb-durable-'))
  dirs.push(dir)
  return dir
}

/** Starts the built server as its own process on an ephemeral port; resolves with its URL. */
function startProcess(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      HIVEBOARD_CONFIG: '',
      HIVEBOARD_PORT: '0',
      HIVEBOARD_DATA_DIR: dataDir,
      HIVEBOARD_DEV_KEY: KEY,
      HIVEBOARD_LOG_LEVEL: 'info',
      HIVEBOARD_RATE_LIMIT_INGEST_PER_SECOND: '100000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /HiveBoard listening on (http:\/\/[\d.:]+)/.exec(out)
      if (match !== null) resolve({ child, url: match[1]! })
    })
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)))
  })
}

function batch(clientId: number, n: number) {
  const events = Array.from({ length: 50 }, (_, i) => ({
    event_id: `c${clientId}-b${n}-e${i}`,
    timestamp: new Date().toISOString(),
    event_type: i % 10 === 0 ? 'task_started' : 'custom',
    task_id: `task-${clientId}-${n}`,
    payload: { kind: 'note', summary: 'x'.repeat(200) },
  }))
  return { envelope: { agent_id: `agent-${clientId}` }, events }
}

async function openStorage(dataDir: string): Promise<JsonFileStorage> {
  const storage = new JsonFileStorage({ dataDir, logger: silentLogger() })
  await storage.open()
  return storage
}

describe('durability (architecture.md "Storage", events.md E139)', () => {
  it('when the server is SIGKILLed during sustained ingest, then every acknowledged event survives the restart', async () => {
    const dataDir = tempDir()
    const { child, url } = await startProcess(dataDir)
    const acknowledged = new Set<string>()
    let stop = false
    const client = async (id: number) => {
      for (let n = 0; !stop; n++) {
        const body = batch(id, n)
        try {
          const res = await fetch(`${url}/v1/ingest`, {
            method: 'POST',
            headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          })
          if (res.status === 200) for (const e of body.events) acknowledged.add(e.event_id)
        } catch {
          return // the server died mid-request: this batch was never acknowledged
        }
      }
    }
    const clients = [1, 2, 3, 4].map(client)
    await new Promise((r) => setTimeout(r, 1500))
    child.kill('SIGKILL')
    stop = true
    await Promise.all(clients)
    expect(acknowledged.size).toBeGreaterThan(1000)

    // Restart: the stale LOCK of the dead pid is replaced; every acknowledged event is there exactly once.
    const restarted = await startProcess(dataDir)
    const health = await fetch(`${restarted.url}/health/ready`)
    expect(health.status).toBe(200)
    const agents = (await (
      await fetch(`${restarted.url}/v1/agents`, { headers: { authorization: `Bearer ${KEY}` } })
    ).json()) as { data: unknown[] }
    expect(agents.data).toHaveLength(4)
    restarted.child.kill('SIGKILL')
    await new Promise((r) => restarted.child.once('exit', r))
    const storage = await openStorage(dataDir)
    const stored = storage.namespace('dev', 'live').events.map((e) => e.eventId)
    expect(new Set(stored).size).toBe(stored.length)
    const present = new Set(stored)
    const missing = [...acknowledged].filter((id) => !present.has(id))
    expect(missing).toEqual([])
    for (const name of readdirSync(dataDir).filter((f) => f.endsWith('.json'))) {
      expect(() => JSON.parse(readFileSync(join(dataDir, name), 'utf8')) as unknown).not.toThrow()
    }
    await storage.close()
  }, 60_000)
})

describe('startup recovery (events.md E137)', () => {
  const line = (seq: number, id: string) =>
    JSON.stringify(aStoredEvent({ event_id: id, agent_id: 'a', event_type: 'heartbeat', severity: 'debug', seq }))

  function segment(dataDir: string): string {
    const path = join(dataDir, 'tenants', 'dev', 'events', 'live', '2026-02-15.ndjson')
    mkdirSync(dirname(path), { recursive: true })
    return path
  }

  it('when the last line of a segment is torn, then it is cut and every complete line is kept', async () => {
    const dataDir = tempDir()
    const path = segment(dataDir)
    writeFileSync(path, `${line(1, 'one')}\n${line(2, 'two')}\n${line(3, 'three').slice(0, 40)}`)
    const storage = await openStorage(dataDir)
    expect(storage.namespace('dev', 'live').events.map((e) => e.eventId)).toEqual(['one', 'two'])
    expect(readFileSync(path, 'utf8')).toBe(`${line(1, 'one')}\n${line(2, 'two')}\n`)
    await storage.close()
  })

  it('when the last complete line is unparsable, then it is cut; a malformed middle line is skipped', async () => {
    const dataDir = tempDir()
    const path = segment(dataDir)
    writeFileSync(path, `${line(1, 'one')}\n{broken\n${line(3, 'three')}\n{"half":\n`)
    const storage = await openStorage(dataDir)
    expect(storage.namespace('dev', 'live').events.map((e) => e.eventId)).toEqual(['one', 'three'])
    expect(readFileSync(path, 'utf8').endsWith(`${line(3, 'three')}\n`)).toBe(true)
    await storage.close()
  })

  it('when a line repeats an event_id, then the first physical copy wins and seq continues after the max', async () => {
    const dataDir = tempDir()
    const path = segment(dataDir)
    writeFileSync(path, `${line(1, 'dup')}\n${line(7, 'dup')}\n`)
    const storage = await openStorage(dataDir)
    expect(storage.namespace('dev', 'live').events.map((e) => e.seq)).toEqual([1])
    const next = JSON.parse(line(0, 'next')) as Parameters<JsonFileStorage['append']>[2][number]
    next.received_at = '2026-02-15T11:00:00.000Z'
    const { stored } = await storage.append('dev', 'live', [next])
    expect(stored[0]!.seq).toBe(8)
    await storage.close()
  })

  it('when an entity file is corrupt, then start is refused naming the file', async () => {
    const dataDir = tempDir()
    writeFileSync(join(dataDir, 'api_keys.json'), '{"version":1,"items":[')
    await expect(openStorage(dataDir)).rejects.toThrow(/api_keys\.json is not valid JSON/)
  })

  it('when another live process holds the LOCK, then start is refused', async () => {
    const dataDir = tempDir()
    const first = await openStorage(dataDir)
    writeFileSync(
      join(dataDir, 'LOCK'),
      JSON.stringify({ pid: process.ppid, host: (await import('node:os')).hostname() }),
    )
    await expect(openStorage(dataDir)).rejects.toThrow(/in use by pid/)
    await first.close()
  })

  it('when leftover temp files exist, then they are removed at start', async () => {
    const dataDir = tempDir()
    writeFileSync(join(dataDir, 'users.json.tmp-1-2'), 'partial')
    const storage = await openStorage(dataDir)
    expect(readdirSync(dataDir).some((f) => f.includes('.tmp-'))).toBe(false)
    await storage.close()
  })
})
