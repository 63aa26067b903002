import { AsyncLocalStorage } from 'node:async_hooks'
import type { Agent } from './agent.js'
import type { Task } from './task.js'

/** An immutable frame; every scope runs in a child frame and nothing is mutated in place (sdk.md §3.5). */
export interface Frame {
  readonly agent: Agent | undefined
  readonly tasks: ReadonlyMap<Agent, Task>
  readonly task: Task | undefined
  readonly actionId: string | undefined
}

const STATE_KEY = Symbol.for('loophive.state.v1')

/** Process-wide SDK state, shared by the ESM and the CJS copy of the package. */
export interface GlobalState {
  client: unknown
  als: AsyncLocalStorage<Frame>
}

type StateHolder = { [STATE_KEY]?: GlobalState }

export function globalState(): GlobalState {
  const holder = globalThis as StateHolder
  holder[STATE_KEY] ??= { client: undefined, als: new AsyncLocalStorage<Frame>() }
  return holder[STATE_KEY]
}

/** Removes all SDK state from globalThis (reset()). */
export function clearGlobalState(): void {
  const holder = globalThis as StateHolder
  const state = holder[STATE_KEY]
  if (state !== undefined) state.als.disable()
  delete holder[STATE_KEY]
}

export function currentFrame(): Frame | undefined {
  return globalState().als.getStore()
}

export function runInFrame<T>(frame: Frame, fn: () => T): T {
  return globalState().als.run(frame, fn)
}

export function withTask(task: Task): Frame {
  const parent = currentFrame()
  const tasks = new Map(parent?.tasks)
  tasks.set(task.agent, task)
  return { agent: task.agent, tasks, task, actionId: parent?.actionId }
}

export function withAction(agent: Agent, actionId: string): Frame {
  const parent = currentFrame()
  return { agent, tasks: parent?.tasks ?? new Map(), task: parent?.task, actionId }
}

/** The innermost task of `agent`, or of any agent. */
export function currentTask(agent?: Agent): Task | undefined {
  const frame = currentFrame()
  if (frame === undefined) return undefined
  return agent === undefined ? frame.task : frame.tasks.get(agent)
}

export function currentAgent(): Agent | undefined {
  return currentFrame()?.agent
}

export function currentActionId(): string | undefined {
  return currentFrame()?.actionId
}
