import type { WirePlan as Plan, WirePlanStep as PlanStep } from '@hiveboard/shared'
import type { StoredEvent } from '../../projection/stored-event.js'

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function dataOf(event: StoredEvent): Record<string, unknown> {
  const data = event.payload?.['data']
  return isObject(data) ? data : {}
}

function whole(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null
}

/**
 * E64: the latest plan_created sets goal, revision and steps; only plan_steps of that revision count (all
 * count without a plan_created). Events are in canonical order.
 */
export function buildPlan(events: readonly StoredEvent[]): Plan | null {
  const created = events.filter((e) => e.payload?.['kind'] === 'plan_created')
  const stepEvents = events.filter((e) => e.payload?.['kind'] === 'plan_step')
  if (created.length === 0 && stepEvents.length === 0) return null
  const plan = created[created.length - 1]
  const planData = plan === undefined ? {} : dataOf(plan)
  const revision = whole(planData['revision']) ?? 0
  const summary = plan?.payload?.['summary']
  const goal = typeof summary === 'string' ? summary : typeof planData['goal'] === 'string' ? planData['goal'] : null
  const steps = new Map<number, PlanStep>()
  if (Array.isArray(planData['steps'])) {
    planData['steps'].forEach((raw, position) => {
      const step = isObject(raw) ? raw : {}
      const index = whole(step['index']) ?? position
      const description =
        typeof step['description'] === 'string' ? step['description'] : typeof raw === 'string' ? raw : null
      steps.set(index, { index, description, status: 'pending', action: null, started_at: null, completed_at: null })
    })
  }
  let latestTotal: number | null = null
  for (const event of stepEvents) {
    const data = dataOf(event)
    if (plan !== undefined && (whole(data['plan_revision']) ?? 0) !== revision) continue
    const index = whole(data['step_index'])
    if (index === null) continue
    latestTotal = whole(data['total_steps']) ?? latestTotal
    const step = steps.get(index) ?? {
      index,
      description: null,
      status: 'pending',
      action: null,
      started_at: null,
      completed_at: null,
    }
    const action = typeof data['action'] === 'string' ? data['action'] : null
    if (action !== null) {
      step.action = action
      step.status = action
      if (action === 'started' && step.started_at === null) step.started_at = event.timestamp
      if (action === 'completed') step.completed_at = event.timestamp
    }
    steps.set(index, step)
  }
  const ordered = [...steps.values()].sort((a, b) => a.index - b.index)
  const count = (action: string) => ordered.filter((s) => s.action === action).length
  const planSteps = Array.isArray(planData['steps']) ? planData['steps'].length : null
  const highest = ordered.length === 0 ? 0 : (ordered[ordered.length - 1] as PlanStep).index + 1
  return {
    goal,
    revision,
    steps: ordered,
    progress: {
      completed: count('completed'),
      failed: count('failed'),
      skipped: count('skipped'),
      total: planSteps ?? latestTotal ?? highest,
    },
  }
}
