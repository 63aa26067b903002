/**
 * D50 Beyond: opt-in desktop notifications for live `alert.fired`. Off by default, the choice kept per browser.
 * Notifies only while the tab is not visible: a visible page already toasts and announces the alert.
 * Never throws: `Notification` may be missing (old Safari, some webviews) or refused.
 */
import { alertSentence } from '../lib/alert-words.js'
import { readPreference, writePreference } from '../lib/preferences.js'
import type { AlertRecord } from '../store/alerts.js'

export const NOTIFY_PREFERENCE_KEY = 'hb_alert_notifications'

/** The control's state in words: unsupported / blocked / on / off. */
export type NotifyState = 'unsupported' | 'blocked' | 'on' | 'off'

function notificationApi(): typeof Notification | null {
  return typeof globalThis.Notification === 'function' ? globalThis.Notification : null
}

/** Ask once; old Safari answers through a callback and returns nothing, newer browsers return a promise. */
function askPermission(api: typeof Notification): Promise<void> {
  return new Promise((resolve) => {
    try {
      const answer = api.requestPermission(() => resolve()) as Promise<NotificationPermission> | undefined
      if (answer !== undefined)
        answer.then(
          () => resolve(),
          () => resolve(),
        )
    } catch {
      resolve()
    }
  })
}

/** "agent worker-1 · task t-9": the notification body, the subject the click opens. */
export function alertSubjectWords(r: AlertRecord): string {
  const parts = [
    r.related_agent_id === null ? null : `agent ${r.related_agent_id}`,
    r.related_task_id === null ? null : `task ${r.related_task_id}`,
  ]
  return parts.filter((p) => p !== null).join(' · ')
}

export class DesktopNotifier {
  /** @param open shows the alert's subject in this tab (task, else agent, else the Alerts view). */
  constructor(private readonly open: (r: AlertRecord) => void) {}

  state(): NotifyState {
    const api = notificationApi()
    if (api === null) return 'unsupported'
    if (api.permission === 'denied') return 'blocked'
    return api.permission === 'granted' && readPreference(NOTIFY_PREFERENCE_KEY) === 'on' ? 'on' : 'off'
  }

  /** Call from the user's click only: browsers ignore permission requests made without a gesture. */
  async setEnabled(on: boolean): Promise<NotifyState> {
    const api = notificationApi()
    if (api === null) return 'unsupported'
    if (on && api.permission === 'default') await askPermission(api)
    // A dismissed or refused prompt leaves it off, so the box never claims more than the browser allows.
    writePreference(NOTIFY_PREFERENCE_KEY, on && api.permission === 'granted' ? 'on' : 'off')
    return this.state()
  }

  notify(r: AlertRecord): void {
    if (this.state() !== 'on' || document.visibilityState === 'visible') return
    const api = notificationApi()
    if (api === null) return
    try {
      // The tag is the alert id: a repeat of the same alert replaces its notification instead of stacking.
      const n = new api(alertSentence(r), { body: alertSubjectWords(r), tag: r.alert_id })
      n.addEventListener('click', () => {
        window.focus()
        this.open(r)
        n.close()
      })
    } catch {
      // Chrome on Android only notifies through a service worker and throws here: the toast still shows it.
    }
  }
}
