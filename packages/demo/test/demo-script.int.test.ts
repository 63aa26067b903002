import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { runNode } from './helpers.js'

// scripts/demo.mjs, the README's first command after install and build: server + fleet + the URL.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const SCRIPT = join(ROOT, 'scripts/demo.mjs')
const dataDir = mkdtempSync(join(tmpdir(), 'hb-demo-script-'))

afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

function listen(port = 0): Promise<Server> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolvePromise(server))
  })
}

async function freePort(): Promise<number> {
  const probe = await listen()
  const address = probe.address()
  await new Promise((r) => probe.close(r))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

function runDemo(args: string[]) {
  const env = { ...process.env, HIVEBOARD_CONFIG: '', HIVEBOARD_DATA_DIR: dataDir, HIVEBOARD_DEV_KEY: '' }
  return runNode([SCRIPT, ...args], { env, timeoutMs: 25_000 })
}

describe('scripts/demo.mjs', () => {
  it('starts the server and the fleet, prints the dashboard URL, keeps the key, stops by itself', async () => {
    const port = await freePort()
    const first = await runDemo(['--port', String(port), '--duration', '2', '--speed', '10', '--quiet'])
    expect(first.code, first.stderr).toBe(0)
    const key = readFileSync(join(dataDir, '.dev-key'), 'utf8').trim()
    expect(key).toMatch(/^hb_live_[0-9a-f]{32}$/)
    expect(first.stdout).toContain(`dashboard at http://127.0.0.1:${port}/static/index.html?apiKey=${key}`)
    expect(first.stderr).toMatch(/\d+ events sent, 0 rejected, 0 dropped/)
    const second = await runDemo(['--port', String(port), '--duration', '1', '--quiet', '--agents', 'etl-batcher'])
    expect(second.code, second.stderr).toBe(0)
    expect(second.stdout).toContain(`apiKey=${key}`) // same key, same data: nothing was wiped
    expect(existsSync(join(dataDir, 'FORMAT'))).toBe(true)
  })

  it('stops with a clear message when the port is taken', async () => {
    const taken = await listen()
    const address = taken.address()
    const port = typeof address === 'object' && address !== null ? address.port : 0
    try {
      const result = await runDemo(['--port', String(port)])
      expect(result.code).toBe(1)
      expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`)
    } finally {
      await new Promise((r) => taken.close(r))
    }
  })

  it('wipes the data folder with --reset and makes a new key', async () => {
    const before = readFileSync(join(dataDir, '.dev-key'), 'utf8')
    const result = await runDemo(['--port', String(await freePort()), '--reset', '--duration', '1', '--quiet'])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toContain('--reset: removed')
    expect(readFileSync(join(dataDir, '.dev-key'), 'utf8')).not.toBe(before)
  })
})
