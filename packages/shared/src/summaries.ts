/** Summary strings of events.md E16, produced identically by loophive and hiveloop. */

export function registrationSummary(agentId: string): string {
  return `Agent ${agentId} registered`
}

export function taskSummary(taskId: string, phase: 'started' | 'completed' | 'failed'): string {
  return `Task ${taskId} ${phase}`
}

export interface LlmSummaryInput {
  name: string
  model: string
  tokensIn?: number | null | undefined
  tokensOut?: number | null | undefined
  cost?: number | null | undefined
}

export function llmCallSummary(input: LlmSummaryInput): string {
  const parts: string[] = []
  const hasIn = input.tokensIn !== undefined && input.tokensIn !== null
  const hasOut = input.tokensOut !== undefined && input.tokensOut !== null
  if (hasIn && hasOut) parts.push(`${input.tokensIn} in / ${input.tokensOut} out`)
  if (input.cost !== undefined && input.cost !== null) parts.push(`$${input.cost}`)
  const head = `${input.name} \u2192 ${input.model}`
  return parts.length > 0 ? `${head} (${parts.join(', ')})` : head
}

export function queueSnapshotSummary(depth: number, oldestAgeSeconds?: number | null): string {
  const base = `Queue: ${depth} items`
  return oldestAgeSeconds === undefined || oldestAgeSeconds === null ? base : `${base}, oldest ${oldestAgeSeconds}s`
}

export function scheduledSummary(items: ReadonlyArray<{ next_run?: unknown }>): string {
  const base = `${items.length} scheduled items`
  const runs = items
    .map((item) => item.next_run)
    .filter((run): run is string => typeof run === 'string' && run !== '')
    .sort()
  const first = runs[0]
  if (first === undefined) return base
  const t = first.indexOf('T')
  return `${base}, next at ${t >= 0 ? first.slice(t + 1) : first}`
}

export function planStepSummary(index: number, action: string, text: string): string {
  return `Step ${index} ${action}: ${text}`
}
