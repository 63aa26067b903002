/** Stuck banner (dashboard.md D51): from `is_stuck` and `agent.stuck`, until recovery. */
import { formatAgo, formatDuration } from '../lib/format.js'
import { h, setText, type Panel } from '../lib/h.js'
import type { State } from '../store/state.js'

export function stuckText(
  stuck: readonly {
    agent_id: string
    heartbeat_age_seconds: number | null
    stuck_threshold_seconds: number
    current_task_id: string | null
  }[],
): string | null {
  const [first] = stuck
  if (first === undefined) return null
  if (stuck.length > 1) return `${stuck.length} agents stuck`
  const age =
    first.heartbeat_age_seconds === null
      ? 'no heartbeat yet'
      : `no heartbeat for ${formatAgo(first.heartbeat_age_seconds)}`
  const task = first.current_task_id === null ? '' : ` · task ${first.current_task_id}`
  return `${first.agent_id} is stuck — ${age} (threshold ${formatDuration(first.stuck_threshold_seconds * 1000)})${task}`
}

export function createBanners(deps: { openAgent: (id: string) => void; filterStuck: () => void }): Panel<State> {
  const text = h('span')
  const investigate = h('button', { type: 'button', class: 'link' }, 'Investigate')
  const dom = h('div', { class: 'banner stuck-banner', role: 'alert' }, '⚠ ', text, ' · ', investigate)
  let target: string | null = null
  investigate.addEventListener('click', () => (target === null ? deps.filterStuck() : deps.openAgent(target)))
  return {
    dom,
    update(state) {
      const stuck = (state.agents.data ?? []).filter((a) => a.is_stuck || a.derived_status === 'stuck')
      const t = stuckText(stuck)
      dom.hidden = t === null
      target = stuck.length === 1 ? (stuck[0]?.agent_id ?? null) : null
      setText(text, t ?? '')
    },
    destroy() {},
  }
}
