import { makeDecorator, type TrackDecorator } from './action.js'
import { Agent } from './agent.js'
import { currentAgent } from './context.js'
import { getClient } from './singleton.js'

/**
 * A module-level decorator (or `track(name)(fn)` wrapper) that finds its agent at call time: `agent` (an Agent
 * or an id in the singleton), else currentAgent(), else the function runs untracked.
 */
export function track(name: string, options: { agent?: Agent | string } = {}): TrackDecorator {
  const resolve = (): Agent | undefined => {
    const a = options.agent
    // duck-typed, so an Agent from the other (ESM/CJS) copy of the package also works
    if (typeof a === 'string') return getClient()?.getAgent(a) ?? currentAgent()
    if (a instanceof Agent || (typeof a === 'object' && a !== null)) return a
    return currentAgent()
  }
  return makeDecorator(resolve, name)
}
