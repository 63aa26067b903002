import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { HiveBoard, HiveLoopError, reset } from '../src/index.js'
import { DEFAULT_ENDPOINT, resolveEndpoint } from '../src/internal.js'
import { captureLogger, TEST_KEY } from './helpers.js'

function dirs() {
  const root = mkdtempSync(join(tmpdir(), 'loophive-cfg-'))
  const cwd = join(root, 'app')
  const home = join(root, 'home')
  mkdirSync(cwd)
  mkdirSync(join(home, '.loophive'), { recursive: true })
  return {
    cwd,
    home,
    local: (text: string) => writeFileSync(join(cwd, 'loophive.cfg'), text),
    user: (text: string) => writeFileSync(join(home, '.loophive', 'loophive.cfg'), text),
  }
}

afterEach(async () => {
  await reset()
})

describe('endpoint resolution (sdk.md §2)', () => {
  it('1. the option wins, trimmed, trailing slashes stripped', () => {
    const d = dirs()
    d.local('[loophive]\nendpoint = http://local:1\n')
    expect(resolveEndpoint({ option: '  http://opt:8451//  ', cwd: d.cwd, home: d.home })).toEqual({
      endpoint: 'http://opt:8451',
      source: 'option',
    })
  })

  it('an empty option counts as absent; a non-URL option throws HiveLoopError', () => {
    const d = dirs()
    d.local('[loophive]\nendpoint = http://local:1\n')
    expect(resolveEndpoint({ option: '   ', cwd: d.cwd, home: d.home }).endpoint).toBe('http://local:1')
    expect(() => resolveEndpoint({ option: 'ftp://x', cwd: d.cwd, home: d.home })).toThrow(HiveLoopError)
    expect(() => resolveEndpoint({ option: 'localhost:8451', cwd: d.cwd, home: d.home })).toThrow(/endpoint/)
  })

  it('2. ./loophive.cfg beats the home file', () => {
    const d = dirs()
    d.local('[loophive]\nendpoint = "http://local:1/"\n')
    d.user('[loophive]\nendpoint = http://home:2\n')
    const r = resolveEndpoint({ cwd: d.cwd, home: d.home })
    expect(r).toEqual({ endpoint: 'http://local:1', source: join(d.cwd, 'loophive.cfg') })
  })

  it('3. ~/.loophive/loophive.cfg when there is no local file', () => {
    const d = dirs()
    d.user('[loophive]\nENDPOINT = http://home:2 ; comment\n')
    expect(resolveEndpoint({ cwd: d.cwd, home: d.home }).endpoint).toBe('http://home:2')
  })

  it('4. the default when no file exists', () => {
    const d = dirs()
    expect(resolveEndpoint({ cwd: d.cwd, home: d.home })).toEqual({ endpoint: DEFAULT_ENDPOINT, source: 'default' })
  })

  it('unusable files are skipped with a warning, never failing', () => {
    for (const bad of [
      '[other]\nendpoint = http://x\n',
      '[loophive]\nendpoint =\n',
      '[loophive]\nendpoint = not a url\n',
      '[LOOPHIVE]\nendpoint = http://x\n',
    ]) {
      const d = dirs()
      d.local(bad)
      d.user('[loophive]\nendpoint = http://home:2\n')
      const warnings: string[] = []
      expect(resolveEndpoint({ cwd: d.cwd, home: d.home, warn: (m) => warnings.push(m) }).endpoint).toBe(
        'http://home:2',
      )
      expect(warnings).toHaveLength(1)
    }
  })

  it('the last endpoint key wins', () => {
    const d = dirs()
    d.local('[loophive]\nendpoint = http://first:1\nEndpoint = http://second:2\n')
    expect(resolveEndpoint({ cwd: d.cwd, home: d.home }).endpoint).toBe('http://second:2')
  })

  it('the client exposes the endpoint and logs its source at debug', async () => {
    const d = dirs()
    d.local('[loophive]\nendpoint = http://127.0.0.1:8451/\n')
    const log = captureLogger()
    const hb = new HiveBoard({
      apiKey: TEST_KEY,
      debug: true,
      logger: log.logger,
      configPaths: { cwd: d.cwd, home: d.home },
    })
    expect(hb.endpoint).toBe('http://127.0.0.1:8451')
    expect(log.text('debug')).toContain(`endpoint http://127.0.0.1:8451 (from ${join(d.cwd, 'loophive.cfg')})`)
    await hb.shutdown({ timeoutMs: 0 })
  })
})

// The same steps without `configPaths`: a child process whose real cwd and HOME are temporary folders.
describe('endpoint resolution from the real process.cwd() and os.homedir()', () => {
  const fixture = fileURLToPath(new URL('./fixtures/child-endpoint.mjs', import.meta.url))

  function resolvedIn(d: ReturnType<typeof dirs>): string {
    if (!existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url))))
      throw new Error('run `pnpm build` first')
    const out = execFileSync(process.execPath, [fixture], {
      cwd: d.cwd,
      env: { PATH: process.env['PATH'] ?? '', HOME: d.home, USERPROFILE: d.home },
      encoding: 'utf8',
    })
    return (JSON.parse(out) as { endpoint: string }).endpoint
  }

  it('2. ./loophive.cfg in the working directory wins over the home file', () => {
    const d = dirs()
    d.local('[loophive]\nendpoint = http://cwd.example:8451/')
    d.user('[loophive]\nendpoint = http://home.example:8451')
    expect(resolvedIn(d)).toBe('http://cwd.example:8451')
  })

  it('3. ~/.loophive/loophive.cfg under the home folder when the working directory has none', () => {
    const d = dirs()
    d.user('[loophive]\nendpoint = http://home.example:8451')
    expect(resolvedIn(d)).toBe('http://home.example:8451')
  })

  it('4. the default endpoint when neither folder has a file', () => {
    expect(resolvedIn(dirs())).toBe(DEFAULT_ENDPOINT)
  })
})
