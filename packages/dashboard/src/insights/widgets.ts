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

/** D57 ROI inputs (rate per hour, minutes per task), kept in localStorage `hb_roi` (a UI preference, D68). */
export function roiForm(
  initial: { ratePerHour: number; minutesPerTask: number },
  onChange: (v: { ratePerHour: number; minutesPerTask: number }) => void,
): HTMLElement {
  const rate = h('input', { type: 'number', min: 0, step: 1, class: 'roi-rate', value: initial.ratePerHour })
  const minutes = h('input', { type: 'number', min: 0, step: 1, class: 'roi-minutes', value: initial.minutesPerTask })
  const changed = () => {
    const v = { ratePerHour: Number(rate.value), minutesPerTask: Number(minutes.value) }
    if (!Number.isFinite(v.ratePerHour) || !Number.isFinite(v.minutesPerTask)) return
    if (v.ratePerHour < 0 || v.minutesPerTask < 0) return
    onChange(v)
  }
  rate.addEventListener('input', changed)
  minutes.addEventListener('input', changed)
  return h(
    'div',
    { class: 'roi-form' },
    h('h4', null, 'ROI calculator'),
    h('label', null, 'Human cost per hour ($) ', rate),
    ' ',
    h('label', null, 'Minutes per task by hand ', minutes),
  )
}

export function readRoi(fallback: { ratePerHour: number; minutesPerTask: number }): {
  ratePerHour: number
  minutesPerTask: number
} {
  try {
    const raw = localStorage.getItem('hb_roi')
    if (raw === null) return fallback
    const v = JSON.parse(raw) as { ratePerHour?: unknown; minutesPerTask?: unknown }
    const ok = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0
    return ok(v.ratePerHour) && ok(v.minutesPerTask)
      ? { ratePerHour: v.ratePerHour, minutesPerTask: v.minutesPerTask }
      : fallback
  } catch {
    return fallback
  }
}

export function writeRoi(v: { ratePerHour: number; minutesPerTask: number }): void {
  try {
    localStorage.setItem('hb_roi', JSON.stringify(v))
  } catch {
    // a UI preference only
  }
}

/** Bars per bucket (nulls as gaps), heights through the CSSOM; `role=img` with a label (D65). */
export function sparkline(values: readonly (number | null)[], label: string): HTMLElement {
  const max = Math.max(0, ...values.filter((v): v is number => v !== null))
  return h(
    'span',
    { class: 'insight-spark', role: 'img', 'aria-label': label },
    ...values.map((v) =>
      sized(h('span', { class: v === null ? 'spark-bar gap' : 'spark-bar' }), (st) => {
        st.height = `${v === null || max === 0 ? 0 : Math.max(4, Math.round((v / max) * 100))}%`
      }),
    ),
  )
}
