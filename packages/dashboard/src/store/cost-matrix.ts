/** Cost by task type × agent (dashboard.md D43; §17 #18, #21): grouped in the browser from ≤ 1,000 tasks. Pure. */
import type { WireTask } from '@hiveboard/shared'

export interface TypeAgentCell {
  task_type: string
  agent_id: string
  count: number
  /** Mean over the cell's tasks with a cost; null when none has one. */
  mean_cost: number | null
  mean_calls: number
  /** The cell's mean cost is over twice the cheapest agent's mean for the same task type. */
  spread: boolean
}

export function typeByAgent(tasks: readonly WireTask[]): TypeAgentCell[] {
  const groups = new Map<string, { type: string; agent: string; tasks: WireTask[] }>()
  for (const t of tasks) {
    const type = t.task_type ?? '—'
    const agent = t.agent_id ?? '—'
    const key = JSON.stringify([type, agent])
    const g = groups.get(key) ?? { type, agent, tasks: [] }
    g.tasks.push(t)
    groups.set(key, g)
  }
  const cells = [...groups.values()].map((g): TypeAgentCell => {
    const costs = g.tasks.map((t) => t.total_cost).filter((c): c is number => c !== null)
    return {
      task_type: g.type,
      agent_id: g.agent,
      count: g.tasks.length,
      mean_cost: costs.length === 0 ? null : costs.reduce((a, b) => a + b, 0) / costs.length,
      mean_calls: g.tasks.reduce((a, t) => a + t.llm_call_count, 0) / g.tasks.length,
      spread: false,
    }
  })
  const cheapest = new Map<string, number>()
  for (const c of cells) {
    if (c.mean_cost === null || c.mean_cost <= 0) continue
    cheapest.set(c.task_type, Math.min(cheapest.get(c.task_type) ?? Infinity, c.mean_cost))
  }
  for (const c of cells) {
    const low = cheapest.get(c.task_type)
    c.spread = low !== undefined && c.mean_cost !== null && c.mean_cost > 2 * low
  }
  return cells.sort(
    (a, b) =>
      a.task_type.localeCompare(b.task_type) ||
      (b.mean_cost ?? -1) - (a.mean_cost ?? -1) ||
      a.agent_id.localeCompare(b.agent_id),
  )
}
