/** Small Insights widgets: ranked lists with share bars, the fleet status bar. Text only; sizes via the CSSOM. */
import { h } from '../lib/h.js'

/** Sizes through the CSSOM: the CSP (D68) forbids inline style attributes, not style properties. */
function sized<E extends HTMLElement>(el: E, set: (style: CSSStyleDeclaration) => void): E {
  set(el.style)
  return el
}

/** A small ranked table: label, value, share bar. */
export function listTable(
  cls: string,
  title: string,
  rows: [string, string, number | null][],
  empty: string,
): HTMLElement {
  return h(
    'div',
    { class: `insight-list ${cls}` },
    h('h4', null, title),
    rows.length === 0
      ? h('p', { class: 'muted' }, empty)
      : h(
          'table',
          null,
          h(
            'tbody',
            null,
            ...rows.map(([label, value, share]) =>
              h(
                'tr',
                null,
                h('td', null, label),
                h('td', null, value),
                share === null
                  ? null
                  : h(
                      'td',
                      null,
                      h(
                        'span',
                        { class: 'share' },
                        sized(h('span', { class: 'share-bar' }), (st) => (st.width = `${Math.round(share)}%`)),
                      ),
                    ),
              ),
            ),
          ),
        ),
  )
}

export function statusBar(byStatus: Record<string, number>, total: number): HTMLElement {
  const order = ['stuck', 'error', 'waiting_approval', 'processing', 'idle']
  return h(
    'div',
    { class: 'status-bar', role: 'img', 'aria-label': order.map((k) => `${k} ${byStatus[k] ?? 0}`).join(', ') },
    ...order
      .filter((k) => (byStatus[k] ?? 0) > 0)
      .map((k) =>
        sized(
          h('span', { class: `status-seg status-${k}`, title: `${k} ${byStatus[k] ?? 0} of ${total}` }),
          (st) => (st.flexGrow = String(byStatus[k] ?? 0)),
        ),
      ),
  )
}
