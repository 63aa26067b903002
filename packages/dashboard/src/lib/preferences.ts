/** UI preferences in localStorage (collapsed panels and sections): a disabled or full storage never breaks the UI. */

export function readPreference(key: string): string | null {
  try {
    return localStorage.getItem(key)
  } catch {
    return null
  }
}

export function writePreference(key: string, value: string): void {
  try {
    localStorage.setItem(key, value)
  } catch {
    // storage full or disabled: the toggle still works for this page
  }
}
