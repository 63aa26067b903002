import { parseArgs } from 'node:util'
import { STORIES, STORY_IDS } from './stories/index.js'

export interface CliOptions {
  endpoint: string
  apiKey: string
  speed: number
  agents: string[] | undefined
  durationS: number | undefined
  seed: number
  quiet: boolean
}

export type ParsedArgs = { kind: 'help' } | { kind: 'run'; options: CliOptions } | { kind: 'error'; message: string }

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:8451'

export function helpText(): string {
  const stories = STORIES.map((s) => `  ${s.id.padEnd(16)} ${s.summary}`).join('\n')
  return `hiveboard-demo: a simulated company of AI agents reporting to HiveBoard through loophive

Usage: hiveboard-demo --api-key hb_live_… [options]

Options:
  --endpoint URL    HiveBoard server (default ${DEFAULT_ENDPOINT}, or $HIVEBOARD_ENDPOINT)
  --api-key KEY     an hb_live_/hb_test_ key (or $HIVEBOARD_API_KEY)
  --speed N         time multiplier: 10 runs the stories ten times faster (default 1)
  --agents a,b,c    run only these agents (default: all six)
  --duration S      stop after S seconds, flushing first (default: run until Ctrl+C)
  --seed N          seed of the story randomness, for a repeatable run (default: random)
  --quiet           do not print story beats
  --help            show this help

Agents:
${stories}
`
}

function positiveNumber(name: string, raw: string | undefined, fallback: number): number | string {
  if (raw === undefined) return fallback
  const value = Number(raw)
  return Number.isFinite(value) && value > 0 ? value : `--${name} must be a positive number (got '${raw}')`
}

/** Parses argv (without node and the script) and the environment fallbacks; never exits. */
export function parseCliArgs(argv: readonly string[], env: Record<string, string | undefined>): ParsedArgs {
  let values
  try {
    ;({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        endpoint: { type: 'string' },
        'api-key': { type: 'string' },
        speed: { type: 'string' },
        agents: { type: 'string' },
        duration: { type: 'string' },
        seed: { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (error) {
    return { kind: 'error', message: (error as Error).message }
  }
  if (values.help === true) return { kind: 'help' }
  const apiKey = values['api-key'] ?? env['HIVEBOARD_API_KEY'] ?? ''
  if (apiKey === '') return { kind: 'error', message: '--api-key is required (or set HIVEBOARD_API_KEY)' }
  const speed = positiveNumber('speed', values.speed, 1)
  const duration = positiveNumber('duration', values.duration, Number.POSITIVE_INFINITY)
  const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed)
  for (const problem of [speed, duration]) if (typeof problem === 'string') return { kind: 'error', message: problem }
  if (!Number.isInteger(seed)) return { kind: 'error', message: `--seed must be an integer (got '${values.seed}')` }
  const agents = values.agents
    ?.split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '')
  const unknown = agents?.filter((a) => !STORY_IDS.includes(a)) ?? []
  if (unknown.length > 0) {
    return { kind: 'error', message: `unknown agent(s) ${unknown.join(', ')}; choose from ${STORY_IDS.join(', ')}` }
  }
  return {
    kind: 'run',
    options: {
      endpoint: values.endpoint ?? env['HIVEBOARD_ENDPOINT'] ?? DEFAULT_ENDPOINT,
      apiKey,
      speed: speed as number,
      agents,
      durationS: duration === Number.POSITIVE_INFINITY ? undefined : (duration as number),
      seed,
      quiet: values.quiet === true,
    },
  }
}
