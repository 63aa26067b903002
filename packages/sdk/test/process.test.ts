import { execFile, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { reset } from '../src/index.js'
import { deadUrl, startFakeServer, type FakeServer } from './helpers.js'

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))
const servers: FakeServer[] = []

function run(
  file: string,
  args: string[],
  timeoutMs = 10_000,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now()
  return new Promise((resolve) => {
    execFile(process.execPath, [fixture(file), ...args], { timeout: timeoutMs, env }, (error, stdout, stderr) => {
      resolve({
        code: error === null ? 0 : ((error as { code?: number }).code ?? null),
        stdout,
        stderr,
        ms: Date.now() - started,
      })
    })
  })
}

beforeAll(() => {
  if (!existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url))))
    throw new Error('run `pnpm build` first')
})

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
  await reset()
})

describe('child processes', () => {
  it('exits on its own without shutdown(), printing the lost-events line', async () => {
    const r = await run('child-natural-exit.mjs', ['http://127.0.0.1:9'])
    expect(r.code).toBe(0)
    expect(r.ms).toBeLessThan(5000)
    expect(r.stderr).toContain('[loophive] 2 events were not sent; await shutdown() before exit')
  })

  it('exits on its own when its work is done, with a kept-alive connection to a live server', async () => {
    const server = await startFakeServer()
    servers.push(server)
    server.server.keepAliveTimeout = 60_000 // the server would hold the idle connection far past run()'s 10 s kill
    const r = await run('child-work-done.mjs', [server.url])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ sent: 4, pending: 0, timedOut: false })
    expect(r.stderr).not.toContain('were not sent')
    expect(server.events().map((e) => e['event_type'])).toEqual([
      'agent_registered',
      'task_started',
      'custom',
      'task_completed',
    ])
  })

  it('sends over https with the default sender and still exits on its own', async () => {
    const bodies: Array<{ events: Array<{ payload?: { summary?: string } }> }> = []
    const server = createHttpsServer(
      { key: readFileSync(fixture('tls-key.pem')), cert: readFileSync(fixture('tls-cert.pem')) },
      (req, res) => {
        const chunks: Buffer[] = []
        req.on('data', (c: Buffer) => chunks.push(c))
        req.on('end', () => {
          bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as (typeof bodies)[number])
          res.writeHead(200, { 'content-type': 'application/json' })
          res.end('{"accepted":2,"rejected":0,"duplicates":0,"errors":[],"warnings":[]}')
        })
      },
    )
    server.keepAliveTimeout = 60_000
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      // the self-signed test certificate (CN and SAN 127.0.0.1) is trusted through Node's extra CA option
      const r = await run('child-https.mjs', [`https://127.0.0.1:${port}`], 10_000, {
        PATH: process.env['PATH'] ?? '',
        NODE_EXTRA_CA_CERTS: fixture('tls-cert.pem'),
      })
      expect(r.code, r.stderr).toBe(0)
      expect(JSON.parse(r.stdout)).toMatchObject({ sent: 2, timedOut: false })
      expect(bodies.flatMap((b) => b.events.map((e) => e.payload?.summary))).toContain('over tls')
    } finally {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })

  it('shutdown with the server down returns within its timeout and the process exits', async () => {
    const r = await run('child-shutdown.mjs', [await deadUrl()])
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout) as { ms: number; result: { dropped: number } }
    // The 500 ms timeout, not the 1 s + 2 s backoff of retrying; margin for a loaded CI box.
    expect(out.ms).toBeLessThanOrEqual(950)
  })

  it('delivers with flushOnBeforeExit', async () => {
    const server = await startFakeServer()
    servers.push(server)
    const r = await run('child-before-exit.mjs', [server.url])
    expect(r.code).toBe(0)
    expect(server.events().map((e: any) => e.payload.summary)).toContain('delivered at beforeExit')
    expect(r.stderr).not.toContain('were not sent')
  })

  it('flushOnBeforeExit with a dead server does not keep the process alive', async () => {
    const r = await run('child-before-exit.mjs', [await deadUrl()])
    expect(r.code).toBe(0)
    expect(r.ms).toBeLessThan(5000)
  })

  it('flushes then dies on SIGTERM with handleSignals', async () => {
    const server = await startFakeServer()
    servers.push(server)
    const child = spawn(process.execPath, [fixture('child-signal.mjs'), server.url])
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()))
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    )
    child.kill('SIGTERM')
    expect(await exited).toBe('SIGTERM')
    expect(server.events().map((e: any) => e.payload.summary)).toContain('flushed on SIGTERM')
  })

  it('import and require of dist/ share one client', async () => {
    const r = await run('dual.cjs', [])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({
      same: true,
      getClient: true,
      version: 'loophive-1.0.0',
      seen: ['t'],
      types: true,
    })
  })
})
