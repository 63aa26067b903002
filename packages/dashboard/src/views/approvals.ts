/** Approvals waiting (dashboard.md D27): agent, approver and a wait that ticks each second; rows open the timeline. */
import { formatDuration } from '../lib/format.js'
import { Disposables, h, setText, type Panel } from '../lib/h.js'
import type { WaitingApproval } from '../store/approvals.js'
import type { State } from '../store/state.js'
import { endpointPanel, type EndpointDeps } from './endpoint.js'

export interface ApprovalsDeps extends EndpointDeps {
  openTask: (id: string) => void
}

export function createApprovals(deps: ApprovalsDeps): Panel<State> {
  const disposables = new Disposables()
  // Wait cells of the rows drawn last; the tick only touches their text (D71).
  let waits: { cell: HTMLElement; since: number }[] = []
  const tick = () => {
    for (const w of waits) setText(w.cell, formatDuration(deps.now() - w.since))
  }
  disposables.interval(tick, 1000)
  const draw = (list: WaitingApproval[]): Node[] => {
    waits = []
    const rows = list.map((a) => {
      const wait = h('td', { class: 'approval-wait' })
      waits.push({ cell: wait, since: Date.parse(a.since) })
      const link = h('button', { type: 'button', class: 'link task-link' }, a.task_id)
      link.addEventListener('click', () => deps.openTask(a.task_id))
      return h(
        'tr',
        { class: 'approval-row', 'data-task-id': a.task_id },
        h('td', null, link),
        h('td', null, a.agent_id ?? '—'),
        h('td', { class: 'approval-approver' }, a.approver ?? '—'),
        h('td', { class: 'muted' }, a.summary ?? ''),
        wait,
      )
    })
    tick()
    return [
      h(
        'table',
        { class: 'approvals-table' },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            ...['Task', 'Agent', 'Approver', 'Request', 'Waiting'].map((x) => h('th', { scope: 'col' }, x)),
          ),
        ),
        h('tbody', null, ...rows),
      ),
    ]
  }
  const panel = endpointPanel<WaitingApproval[]>(deps, {
    key: 'approvals',
    className: 'approvals-panel',
    label: 'Approvals waiting',
    heading: { level: 'h3', text: 'Approvals waiting' },
    isEmpty: (list) => list.length === 0,
    emptyText: () => 'No approvals waiting',
    draw,
  })
  return {
    dom: panel.dom,
    update: (state) => panel.update(state),
    destroy() {
      disposables.dispose()
      panel.destroy()
    },
  }
}
