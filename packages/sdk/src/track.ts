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
    if (a instanceof Agent) return a
    if (typeof a === 'string') return getClient()?.getAgent(a) ?? currentAgent()
    return currentAgent()
  }
  return makeDecorator(resolve, name)
}
