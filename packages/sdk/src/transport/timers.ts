/** `fn`, made unable to throw into the host (timer callbacks run outside any caller's try). */
function guarded(fn: () => void): () => void {
  return () => {
    try {
      fn()
    } catch {
      // timer callbacks never throw into the host
    }
  }
}

/** Unref'd where the runtime's timers can be (a web-style runtime's timer is a number, hence the `?.`). */
function unrefed(timer: NodeJS.Timeout): NodeJS.Timeout {
  timer.unref?.()
  return timer
}

/** The only place the SDK creates timers: always unref'd so the SDK never keeps the process alive. */
export function safeSetTimeout(fn: () => void, ms: number): NodeJS.Timeout {
  return unrefed(setTimeout(guarded(fn), ms))
}

export function safeSetInterval(fn: () => void, ms: number): NodeJS.Timeout {
  return unrefed(setInterval(guarded(fn), ms))
}

/** Resolves after `ms`, or at once when `signal` aborts. Never rejects. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true || ms <= 0) return resolve()
    const onAbort = () => {
      clearTimeout(t)
      resolve()
    }
    const t = safeSetTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** Backoff before retry n (1-based): min(30 s, 1 s·2^(n−1)) × uniform [0.5, 1]. */
export function backoffMs(n: number, random: () => number = Math.random): number {
  return Math.min(30_000, 1000 * 2 ** (n - 1)) * (0.5 + 0.5 * random())
}

/**
 * Resolves on the next event-loop turn (check phase), so the work after it starts a new turn. Not unref'd: during a
 * `beforeExit` flush nothing else holds the loop, and it lasts a single turn.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
