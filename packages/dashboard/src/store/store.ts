/** The store: state + queued messages applied once per animation frame (D13). */
import { reduce, type Msg } from './reducers.js'
import type { State } from './state.js'

export type Listener = (state: State) => void

export class Store {
  private queue: Msg[] = []
  private scheduled = false
  private listeners = new Set<Listener>()

  constructor(
    private current: State,
    private readonly schedule: (fn: () => void) => void = (fn) => requestAnimationFrame(fn),
  ) {}

  get state(): State {
    return this.current
  }

  dispatch(msg: Msg): void {
    this.queue.push(msg)
    if (this.scheduled) return
    this.scheduled = true
    this.schedule(() => this.flush())
  }

  flush(): void {
    this.scheduled = false
    const batch = this.queue.splice(0)
    if (batch.length === 0) return
    this.current = batch.reduce(reduce, this.current)
    for (const listener of this.listeners) listener(this.current)
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
