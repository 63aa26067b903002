/** Runs `fn` and calls `onOk`/`onError` when it settles, with the promise rules of sdk.md §3.4. */
export function settleResult<T>(fn: () => T, onOk: () => void, onError: (error: unknown) => void): T {
  let result: T
  try {
    result = fn()
  } catch (error) {
    onError(error)
    throw error
  }
  if (result instanceof Promise) {
    // Our handlers are attached first, so the end event is emitted before the caller's await resumes.
    result.then(onOk, onError)
    return result
  }
  if (isThenable(result)) {
    const adopted = Promise.resolve(result)
    adopted.then(onOk, onError)
    return adopted as T
  }
  onOk()
  return result
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  try {
    return (
      (typeof value === 'object' || typeof value === 'function') &&
      value !== null &&
      typeof (value as { then?: unknown }).then === 'function'
    )
  } catch {
    return false
  }
}
