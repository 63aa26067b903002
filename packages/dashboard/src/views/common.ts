/** Shared view pieces: panel states (D21), status badges, sparkline. */
import type { AgentStatus, TaskStatus } from '@hiveboard/shared'
import { AGENT_STATUS_LABEL, TASK_STATUS_LABEL, formatAgoPhrase } from '../lib/format.js'
import { clear, h, setText } from '../lib/h.js'
import type { Loadable } from '../store/state.js'

export function agentBadge(status: AgentStatus): HTMLSpanElement {
  const s = AGENT_STATUS_LABEL[status]
  return h('span', { class: `badge status-${status}` }, `${s.glyph} ${s.label}`)
}

export function setAgentBadge(el: HTMLElement, status: AgentStatus): void {
  const s = AGENT_STATUS_LABEL[status]
  el.className = `badge status-${status}`
  setText(el, `${s.glyph} ${s.label}`)
}

export function taskBadge(status: TaskStatus): HTMLSpanElement {
  const s = TASK_STATUS_LABEL[status]
  return h('span', { class: `badge task-${status}` }, `${s.glyph} ${s.label}`)
}

/**
 * The state line of a panel: skeleton on first load, empty sentence, or error with Retry and "last updated".
 * Returns true when the panel has data to show.
 */
export class PanelStatus {
  readonly dom = h('div', { class: 'panel-status', role: 'status' })
  private lastKey = ''

  constructor(private readonly retry: () => void) {}

  update<T>(l: Loadable<T>, isEmpty: (data: T) => boolean, emptyText: string, now: number): boolean {
    const has = l.data !== null
    const empty = has && l.data !== null && isEmpty(l.data)
    let key: string
    if (l.error !== null) key = `error:${l.error.message}:${Math.floor(now / 10000)}`
    else if (!has) key = l.loading || l.updatedAt === null ? 'loading' : 'none'
    else key = empty ? `empty:${emptyText}` : 'ok'
    if (key !== this.lastKey) {
      this.lastKey = key
      clear(this.dom)
      this.dom.className = 'panel-status'
      if (l.error !== null) {
        this.dom.classList.add('is-error')
        const retry = h('button', { type: 'button', class: 'retry' }, 'Retry')
        retry.addEventListener('click', this.retry)
        const updated = l.updatedAt === null ? '' : ` · last updated ${formatAgoPhrase((now - l.updatedAt) / 1000)}`
        this.dom.append(h('span', { class: 'error-text' }, l.error.message), updated, ' ', retry)
      } else if (key === 'loading') {
        this.dom.classList.add('is-loading')
        this.dom.append(
          h('span', { class: 'skeleton' }),
          h('span', { class: 'skeleton' }),
          h('span', { class: 'skeleton' }),
        )
      } else if (empty) {
        this.dom.classList.add('is-empty')
        this.dom.append(emptyText)
      }
    }
    return has && !empty
  }
}

/** A tiny bar sparkline (no chart library): `sparkline_1h` by default, or any per-bucket counts with `label`. */
export function updateSparkline(el: HTMLElement, values: readonly number[], label = 'Activity last hour'): void {
  const max = Math.max(1, ...values)
  while (el.children.length < values.length) el.append(h('span', { class: 'spark-bar' }))
  while (el.children.length > values.length) el.lastElementChild?.remove()
  values.forEach((v, i) => {
    const bar = el.children[i] as HTMLElement
    bar.style.height = `${Math.round((v / max) * 100)}%`
  })
  el.setAttribute('aria-label', `${label}, latest ${values[values.length - 1] ?? 0}`)
}
