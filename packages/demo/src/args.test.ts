import { describe, expect, it } from 'vitest'
import { DEFAULT_ENDPOINT, parseCliArgs } from './args.js'

describe('parseCliArgs', () => {
  it('when only a key is given, then it runs every agent at speed 1 against the local server', () => {
    const parsed = parseCliArgs(['--api-key', 'hb_live_k'], {})
    expect(parsed).toMatchObject({
      kind: 'run',
      options: { endpoint: DEFAULT_ENDPOINT, apiKey: 'hb_live_k', speed: 1, agents: undefined, durationS: undefined },
    })
  })

  it('when flags are given, then they win over the environment', () => {
    const argv = ['--endpoint', 'http://h:1', '--api-key', 'hb_test_a', '--speed', '7.5', '--duration', '3']
    const env = { HIVEBOARD_ENDPOINT: 'http://env:2', HIVEBOARD_API_KEY: 'hb_live_env' }
    const parsed = parseCliArgs([...argv, '--agents', 'web-crawler, etl-batcher', '--seed', '9', '--quiet'], env)
    expect(parsed).toEqual({
      kind: 'run',
      options: {
        endpoint: 'http://h:1',
        apiKey: 'hb_test_a',
        speed: 7.5,
        agents: ['web-crawler', 'etl-batcher'],
        durationS: 3,
        seed: 9,
        quiet: true,
      },
    })
  })

  it('when flags are missing, then the environment fills the endpoint and key', () => {
    const parsed = parseCliArgs([], { HIVEBOARD_ENDPOINT: 'http://env:2', HIVEBOARD_API_KEY: 'hb_live_env' })
    expect(parsed).toMatchObject({ kind: 'run', options: { endpoint: 'http://env:2', apiKey: 'hb_live_env' } })
  })

  it('when input is wrong, then it explains instead of throwing', () => {
    const error = (argv: string[]) => parseCliArgs(argv, {})
    expect(error([])).toMatchObject({ kind: 'error', message: expect.stringContaining('--api-key') as unknown })
    expect(error(['--api-key', 'k', '--speed', 'fast'])).toMatchObject({ kind: 'error' })
    expect(error(['--api-key', 'k', '--duration', '-1'])).toMatchObject({ kind: 'error' })
    expect(error(['--api-key', 'k', '--seed', '1.5'])).toMatchObject({ kind: 'error' })
    expect(error(['--api-key', 'k', '--agents', 'ghost'])).toMatchObject({ kind: 'error' })
    expect(error(['--bogus'])).toMatchObject({ kind: 'error' })
    expect(error(['--help'])).toEqual({ kind: 'help' })
  })
})
