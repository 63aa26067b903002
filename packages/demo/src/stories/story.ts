import type { HiveBoard, Task } from 'loophive'
import { costOf, latencyMs, type ModelName } from '../models.js'
import type { Pace } from '../pace.js'
import type { Rng } from '../rng.js'

export interface StoryContext {
  hb: HiveBoard
  pace: Pace
  rng: Rng
  /** A line for the terminal: the story beats worth noticing on the dashboard. */
  log(line: string): void
}

/** One simulated agent: its id, a line for `--help`, and its behaviour until the fleet stops. */
export interface Story {
  id: string
  summary: string
  run(ctx: StoryContext): Promise<void>
}

/** An error the story throws on purpose, so the task ends as `task_failed` with a readable type. */
export class SimulatedError extends Error {
  constructor(name: string, message: string) {
    super(message)
    this.name = name
  }
}

/** Heartbeat interval for a realistic `baseMs` at this speed; the SDK's floor is 100 ms. */
export function heartbeatMs(pace: Pace, baseMs: number): number {
  return Math.max(100, Math.round(pace.real(baseMs)))
}

export interface LlmCallSpec {
  name: string
  model: ModelName
  tokensIn: number
  tokensOut: number
  /** Report the provider's cost; otherwise the server estimates it from its pricing table. */
  reportCost: boolean
  prompt?: string
  response?: string
}

/** Waits a realistic latency, then records the call on the task (inside the current action, if any). */
export async function callModel(ctx: StoryContext, task: Task, spec: LlmCallSpec): Promise<void> {
  const durationMs = ctx.rng.jitter(latencyMs(spec.model, spec.tokensOut), 0.2)
  await ctx.pace.sleep(durationMs)
  task.llmCall(spec.name, spec.model, {
    tokensIn: spec.tokensIn,
    tokensOut: spec.tokensOut,
    durationMs,
    ...(spec.reportCost ? { cost: costOf(spec.model, spec.tokensIn, spec.tokensOut) } : {}),
    ...(spec.prompt === undefined ? {} : { promptPreview: spec.prompt }),
    ...(spec.response === undefined ? {} : { responsePreview: spec.response }),
  })
}

/**
 * Runs `round(n)` until the fleet stops, with a pause between rounds. A round that throws is a story beat
 * (a failed task re-throws by design), so it is logged, never fatal.
 */
export async function everyRound(
  ctx: StoryContext,
  pauseMs: () => number,
  round: (n: number) => Promise<void>,
): Promise<void> {
  for (let n = 1; !ctx.pace.stopped; n++) {
    try {
      await round(n)
    } catch (error) {
      if (!(error instanceof SimulatedError)) ctx.log(`unexpected error: ${String(error)}`)
    }
    await ctx.pace.sleep(pauseMs())
  }
}

/** An ISO timestamp `offsetMs` of story time from now, for queue items and schedules. */
export function isoIn(pace: Pace, offsetMs: number): string {
  return new Date(Date.now() + pace.real(offsetMs)).toISOString()
}
