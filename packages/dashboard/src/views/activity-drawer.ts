import { h } from '../lib/h.js'

/**
 * D17: under 1,200 px the Activity stream is a drawer, opened by a floating button (shown there only, by CSS) and
 * closed by the button or Esc (D66).
 */
export function activityDrawer(layout: HTMLElement, activity: HTMLElement): HTMLButtonElement {
  activity.id = 'activity'
  const button = h(
    'button',
    { type: 'button', class: 'activity-toggle', 'aria-controls': 'activity', 'aria-expanded': 'false' },
    'Activity',
  )
  const set = (open: boolean) => {
    layout.classList.toggle('activity-open', open)
    button.setAttribute('aria-expanded', String(open))
  }
  button.addEventListener('click', () => set(!layout.classList.contains('activity-open')))
  activity.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && layout.classList.contains('activity-open')) {
      ev.stopPropagation()
      set(false)
      button.focus()
    }
  })
  return button
}
