import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { CONFIG_KEYS, ConfigError, loadConfig, parseConfig } from '../src/config.js'

const STRONG = 'k3y-Zq9!mW2#tR7$vL4&pX8*nB5^cJ1@hF6'

function problems(raw: Record<string, unknown>): string[] {
  try {
    parseConfig(raw, '/srv/hiveboard')
    return []
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
}

describe('production refusals (api.md §3, §5.2)', () => {
  it.each([
    ['empty', ''],
    ['short', 'aB3$aB3$aB3$aB3$'],
    ['few distinct characters', 'abababababababababababababababababab'],
    ['placeholder', 'please-change-me-0123456789-ABCDEFGHIJ'],
    ['example', 'example-jwt-secret-0123456789-ABCDEFGH'],
  ])('when jwt_secret is %s, then start is refused naming jwt_secret', (_name, secret) => {
    const found = problems({ mode: 'production', jwt_secret: secret })
    expect(found).toHaveLength(1)
    expect(found[0]).toMatch(/^jwt_secret:/)
  })

  it('when dev_key or dev_password is set in production, then each is named', () => {
    const found = problems({ mode: 'production', jwt_secret: STRONG, dev_key: 'hb_live_x', dev_password: 'pw' })
    expect(found.map((p) => p.split(':')[0])).toEqual(['dev_key', 'dev_password'])
  })

  it('when production has a strong secret and no dev credentials, then it starts', () => {
    expect(problems({ mode: 'production', jwt_secret: STRONG })).toEqual([])
  })

  it('when local mode has no secret and dev credentials, then that is fine', () => {
    expect(problems({ jwt_secret: '', dev_key: 'hb_live_dev', dev_password: 'pw' })).toEqual([])
  })

  it('when jwt_expiry is out of 1–604800, then it is refused', () => {
    expect(problems({ jwt_expiry: 0 })[0]).toMatch(/^jwt_expiry:/)
    expect(problems({ jwt_expiry: 604_801 })[0]).toMatch(/^jwt_expiry:/)
  })

  it('when the environment asks for production with the example secret, then loadConfig throws before anything listens', () => {
    const env = {
      HIVEBOARD_CONFIG: '',
      HIVEBOARD_MODE: 'production',
      HIVEBOARD_JWT_SECRET: 'change-me-to-a-long-random-string-0123',
    }
    expect(() => loadConfig({ env, baseDir: '/srv/hiveboard' })).toThrow(/jwt_secret/)
  })
})

describe('config.example.json', () => {
  it('when copied as is, then it loads in local mode and lists every key', () => {
    const baseDir = new URL('../../..', import.meta.url).pathname
    const { config, warnings } = loadConfig({ env: { HIVEBOARD_CONFIG: 'config.example.json' }, baseDir })
    expect(warnings).toEqual([])
    expect(config.mode).toBe('local')
    const raw = JSON.parse(readFileSync(`${baseDir}/config.example.json`, 'utf8')) as Record<string, unknown>
    for (const key of CONFIG_KEYS) expect(raw, key).toHaveProperty(key)
  })
})
