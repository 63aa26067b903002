import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config.js'

const base = () => mkdtempSync(join(tmpdir(), 'hb-config-'))

describe('loadConfig (api.md §3)', () => {
  it('when nothing is set, then defaults apply and paths resolve against the base folder', () => {
    const dir = base()
    const { config, source } = loadConfig({ env: {}, baseDir: dir })
    expect(source).toBeNull()
    expect(config).toMatchObject({
      mode: 'local',
      host: '127.0.0.1',
      port: 8451,
      max_body_bytes: 5_242_880,
      data_dir: join(dir, 'data'),
    })
  })

  it('when only HIVEBOARD_* variables are set, then they are used', () => {
    const { config } = loadConfig({
      env: {
        HIVEBOARD_PORT: '9000',
        HIVEBOARD_DATA_DIR: '/tmp/x',
        HIVEBOARD_DEV_KEY: 'hb_live_abc',
        HIVEBOARD_TRUST_PROXY: 'true',
      },
      baseDir: base(),
    })
    expect(config).toMatchObject({ port: 9000, data_dir: '/tmp/x', dev_key: 'hb_live_abc', trust_proxy: true })
  })

  it('when config.json and the environment disagree, then config.json wins and unknown keys warn', () => {
    const dir = base()
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ port: 7000, _comment: 'hi', colour: 'blue' }))
    const { config, source, warnings } = loadConfig({ env: { HIVEBOARD_PORT: '9000' }, baseDir: dir })
    expect([config.port, source]).toEqual([7000, join(dir, 'config.json')])
    expect(warnings).toEqual(['unknown config key "colour" ignored'])
  })

  it('when several keys are bad, then every one is reported at once', () => {
    try {
      loadConfig({ env: { HIVEBOARD_PORT: 'eighty', HIVEBOARD_MODE: 'staging' }, baseDir: base() })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError)
      const problems = (error as ConfigError).problems.join('\n')
      expect(problems).toContain('port')
      expect(problems).toContain('mode')
    }
  })

  it('when config.json is not JSON, then a clear error names the file', () => {
    const dir = base()
    writeFileSync(join(dir, 'config.json'), '{ nope')
    expect(() => loadConfig({ env: {}, baseDir: dir })).toThrow(/config\.json: not readable JSON/)
  })

  it('when HIVEBOARD_CONFIG is empty, then no config file is read', () => {
    const dir = base()
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ port: 7000 }))
    expect(loadConfig({ env: { HIVEBOARD_CONFIG: '' }, baseDir: dir }).config.port).toBe(8451)
  })

  it.each([
    ['a short jwt_secret', { HIVEBOARD_JWT_SECRET: 'short' }, 'jwt_secret'],
    ['a placeholder jwt_secret', { HIVEBOARD_JWT_SECRET: 'change-me-please-0123456789abcdefghij' }, 'jwt_secret'],
    [
      'a dev key',
      { HIVEBOARD_JWT_SECRET: 'Zq8#vN2!pL5@wR9$kT3%mX7^bC1&hJ4*', HIVEBOARD_DEV_KEY: 'hb_live_x' },
      'dev_key',
    ],
  ])('when production has %s, then it refuses to start naming the key', (_, env, key) => {
    expect(() => loadConfig({ env: { HIVEBOARD_MODE: 'production', ...env }, baseDir: base() })).toThrow(key)
  })
})
