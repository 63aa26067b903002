import { execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
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
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now()
  return new Promise((resolve) => {
    execFile(process.execPath, [fixture(file), ...args], { timeout: timeoutMs }, (error, stdout, stderr) => {
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

  it('shutdown with the server down returns within its timeout and the process exits', async () => {
    const r = await run('child-shutdown.mjs', [await deadUrl()])
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout) as { ms: number; result: { dropped: number } }
    expect(out.ms).toBeLessThanOrEqual(550)
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
