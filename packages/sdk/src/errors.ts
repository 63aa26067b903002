/** The only error the SDK throws, and only for invalid arguments to init(), new HiveBoard() and agent(). */
export class HiveLoopError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'HiveLoopError'
  }
}

/** `exception_type` of sdk.md §3.6. */
export function exceptionType(error: unknown): string {
  if (error === null) return 'null'
  if (typeof error !== 'object' && typeof error !== 'function') return typeof error
  try {
    const ctor = (error as { constructor?: { name?: unknown } }).constructor
    const ctorName = typeof ctor?.name === 'string' ? ctor.name : ''
    if (ctor === Error || ctorName === '') {
      const name = (error as { name?: unknown }).name
      if (typeof name === 'string' && name !== '') return name
    }
    return ctorName === '' ? typeof error : ctorName
  } catch {
    return typeof error
  }
}

/** `exception_message` of sdk.md §3.6. */
export function exceptionMessage(error: unknown): string {
  try {
    if (typeof error === 'object' && error !== null) {
      const message = (error as { message?: unknown }).message
      if (typeof message === 'string') return message
    }
    return String(error)
  } catch {
    return '<unprintable>'
  }
}
