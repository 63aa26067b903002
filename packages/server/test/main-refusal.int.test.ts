import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'

const serverDir = fileURLToPath(new URL('..', import.meta.url))
const mainJs = join(serverDir, 'dist', 'main.js')

beforeAll(() => {
  // `npm test` builds first; a bare vitest run builds the server once here.
  if (!existsSync(mainJs)) execFileSync('pnpm', ['run', 'build'], { cwd: serverDir, stdio: 'ignore' })
}, 120_000)

function start(env: Record<string, string>): { status: number | null; output: string; dataDir: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'hb-main-'))
  const result = spawnSync(process.execPath, [mainJs], {
    env: {
      PATH: process.env['PATH'] ?? '',
      HIVEBOARD_CONFIG: '',
      HIVEBOARD_PORT: '0',
      HIVEBOARD_DATA_DIR: dataDir,
      ...env,
    },
    encoding: 'utf8',
    timeout: 20_000,
  })
  return { status: result.status, output: `${result.stdout}${result.stderr}`, dataDir }
}

describe('main refuses unsafe production starts (api.md §3, §5.2)', () => {
  it.each([
    ['the example jwt_secret', { HIVEBOARD_JWT_SECRET: 'change-me-to-a-long-random-string-0123' }, 'jwt_secret'],
    ['a short jwt_secret', { HIVEBOARD_JWT_SECRET: 'Sh0rt!' }, 'jwt_secret'],
    [
      'the dev key',
      { HIVEBOARD_JWT_SECRET: 'k3y-Zq9!mW2#tR7$vL4&pX8*nB5^cJ1@hF6', HIVEBOARD_DEV_KEY: 'hb_live_dev' },
      'dev_key',
    ],
    [
      'the dev password',
      { HIVEBOARD_JWT_SECRET: 'k3y-Zq9!mW2#tR7$vL4&pX8*nB5^cJ1@hF6', HIVEBOARD_DEV_PASSWORD: 'pw' },
      'dev_password',
    ],
  ])(
    'when production starts with %s, then it exits non-zero naming the key, before touching the data folder',
    (_n, env, key) => {
      const run = start({ HIVEBOARD_MODE: 'production', ...env })
      try {
        expect(run.status).toBe(1)
        expect(run.output).toContain(`${key}:`)
        expect(run.output).not.toContain('listening')
        expect(readdirSync(run.dataDir)).toEqual([])
      } finally {
        rmSync(run.dataDir, { recursive: true, force: true })
      }
    },
  )
})
