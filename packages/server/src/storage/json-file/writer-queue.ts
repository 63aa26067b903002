/** The outcome of one queued append: null when durable, else why it failed. */
export type CommitOutcome = { error: unknown } | null

/**
 * The single writer of events.md E134: every mutation runs here one at a time, in order. Appends are
 * group-committed: all appends waiting when a commit starts share one write and one fsync per file.
 */
export class WriterQueue<Job> {
  private tail: Promise<unknown> = Promise.resolve()
  private pending: Array<{ job: Job; resolve: () => void; reject: (error: unknown) => void }> = []
  private commitScheduled = false

  constructor(private readonly commitJobs: (jobs: Job[]) => Promise<CommitOutcome[]>) {}

  /** Runs `task` after everything queued before it. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task)
    this.tail = result.catch(() => undefined)
    return result
  }

  /** Queues an append; resolves once the fsync covering it is done. */
  append(job: Job): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ job, resolve, reject })
      if (this.commitScheduled) return
      this.commitScheduled = true
      void this.run(async () => {
        this.commitScheduled = false
        const group = this.pending
        this.pending = []
        let outcomes: CommitOutcome[]
        try {
          outcomes = await this.commitJobs(group.map((g) => g.job))
        } catch (error) {
          outcomes = group.map(() => ({ error }))
        }
        group.forEach((g, i) => {
          const failure = outcomes[i]
          if (failure === null || failure === undefined) g.resolve()
          else g.reject(failure.error)
        })
      })
    })
  }

  /** Resolves when everything queued so far has run. */
  async drain(): Promise<void> {
    await this.run(() => Promise.resolve())
  }
}
