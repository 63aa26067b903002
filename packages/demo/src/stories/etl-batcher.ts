import type { Agent } from 'loophive'
import type { StoryContext } from './story.js'
import { callModel, everyRound, heartbeatMs, isoIn, type Story } from './story.js'

const ID = 'etl-batcher'
const HOUR_MS = 3_600_000
const SYNC_INTERVAL_MS = 60_000
type Priority = 'high' | 'normal' | 'low'

interface Batch {
  id: string
  priority: Priority
  source: 'scheduled' | 'webhook' | 'human'
  summary: string
  queued_at: string
  rows: number
}

type Processing = { id: string; summary: string; started_at: string } | null

/** The queue worker's state: what it has waiting, and what it is processing now. */
class BatchQueue {
  readonly items: Batch[] = []
  processing: Processing = null
  private next = 100

  refill(ctx: StoryContext, count: number, source: Batch['source']): void {
    for (let i = 0; i < count; i++) {
      const id = `b-${this.next++}`
      const priority = ctx.rng.pick<Priority>(['high', 'normal', 'normal', 'low'])
      // The very first batch is too big, so every run shows a TODO early.
      const rows = id === 'b-100' ? 36_000 : ctx.rng.int(2, 40) * 1000
      this.items.push({
        id,
        priority,
        source,
        summary: `Load ${rows} CRM rows`,
        queued_at: isoIn(ctx.pace, -i * 4000),
        rows,
      })
    }
  }

  take(): Batch | undefined {
    const order: Priority[] = ['high', 'normal', 'low']
    this.items.sort((a, b) => order.indexOf(a.priority) - order.indexOf(b.priority))
    return this.items.shift()
  }

  /** The `queue_snapshot` data, in the wire's snake_case (a queueProvider's result is sent as is). */
  snapshot(): { depth: number; oldest_age_seconds: number; items: Array<Omit<Batch, 'rows'>>; processing: Processing } {
    const oldest = this.items.reduce((min, b) => Math.min(min, Date.parse(b.queued_at)), Date.now())
    return {
      depth: this.items.length,
      oldest_age_seconds: Math.max(0, Math.round((Date.now() - oldest) / 1000)),
      items: this.items.slice(0, 5).map(({ rows: _rows, ...item }) => item),
      processing: this.processing,
    }
  }

  /** The same snapshot as an explicit event, between heartbeats. */
  report(agent: Agent): void {
    const { depth, oldest_age_seconds, items, processing } = this.snapshot()
    agent.queueSnapshot(depth, { oldestAgeSeconds: oldest_age_seconds, items, ...(processing ? { processing } : {}) })
  }
}

/** The scheduler view: the CRM sync that feeds the queue, a nightly rollup, and a disabled weekly job. */
function schedule(ctx: StoryContext, nextSyncAt: number, lastSync: 'success' | null): Array<Record<string, unknown>> {
  return [
    {
      id: 'crm-sync',
      name: 'CRM sync',
      next_run: new Date(nextSyncAt).toISOString(),
      interval: '1m',
      enabled: true,
      last_status: lastSync,
    },
    {
      id: 'nightly-rollup',
      name: 'Nightly rollup',
      next_run: isoIn(ctx.pace, 9 * HOUR_MS),
      interval: 'daily',
      enabled: true,
      last_status: 'success',
    },
    {
      id: 'weekly-vacuum',
      name: 'Weekly vacuum',
      next_run: null,
      interval: 'weekly',
      enabled: false,
      last_status: 'skipped',
    },
  ]
}

/** The queue-driven one: a scheduled sync fills a queue, batches drain it, failures leave TODOs. */
export const etlBatcher: Story = {
  id: ID,
  summary: 'queue-driven batch worker: a scheduled sync fills a queue, batches drain it, TODOs for bad batches',
  async run(ctx) {
    const queue = new BatchQueue()
    const agent = ctx.hb.agent(ID, {
      type: 'etl',
      version: '0.9.4',
      heartbeatIntervalMs: heartbeatMs(ctx.pace, 15_000),
      queueProvider: () => queue.snapshot(),
    })
    let nextSyncAt = Date.now()
    agent.scheduled(schedule(ctx, nextSyncAt, null))
    const openTodos: string[] = []
    await everyRound(
      ctx,
      () => ctx.rng.jitter(2500),
      async (n) => {
        if (queue.items.length === 0) {
          // Idle until the next scheduled sync refills the queue.
          if (Date.now() < nextSyncAt) return ctx.pace.sleepReal(nextSyncAt - Date.now())
          await runScheduledSync(ctx, agent, queue, n)
          nextSyncAt = Date.now() + ctx.pace.real(SYNC_INTERVAL_MS)
          agent.scheduled(schedule(ctx, nextSyncAt, 'success'))
          return
        }
        const batch = queue.take()
        if (batch === undefined) return
        queue.processing = { id: batch.id, summary: batch.summary, started_at: new Date().toISOString() }
        queue.report(agent)
        await processBatch(ctx, agent, batch, openTodos)
        queue.processing = null
        queue.report(agent)
      },
    )
  },
}

async function runScheduledSync(ctx: StoryContext, agent: Agent, queue: BatchQueue, n: number): Promise<void> {
  await agent.task(`crm-sync-${n}`, { project: 'data-platform', type: 'scheduled_sync' }, async () => {
    await ctx.pace.sleep(ctx.rng.jitter(2000))
    queue.refill(ctx, ctx.rng.int(4, 7), 'scheduled')
  })
  queue.report(agent)
}

async function processBatch(ctx: StoryContext, agent: Agent, batch: Batch, openTodos: string[]): Promise<void> {
  const extract = agent.track('extract', () => ctx.pace.sleep(ctx.rng.jitter(batch.rows / 20)))
  const load = agent.track('load_warehouse', () => ctx.pace.sleep(ctx.rng.jitter(batch.rows / 15)))
  await agent.task(`batch-${batch.id}`, { project: 'data-platform', type: 'etl_batch' }, async (task) => {
    await extract()
    await callModel(ctx, task, {
      name: 'classify_records',
      model: 'gemini-2.0-flash',
      tokensIn: Math.round(batch.rows / 4),
      tokensOut: Math.round(batch.rows / 40),
      reportCost: ctx.rng.chance(0.5),
    })
    if (batch.rows > 30_000) {
      // Too big for one load: park it with a TODO and end the task as partial.
      const todoId = `todo-rerun-${batch.id}`
      agent.todo(todoId, 'created', `Re-run ${batch.id} in smaller chunks (${batch.rows} rows)`, {
        priority: 'normal',
        source: 'failed_action',
        context: 'load_warehouse timed out above 30k rows',
      })
      openTodos.push(todoId)
      task.complete({ status: 'partial' })
      return
    }
    await load()
    const done = openTodos.shift()
    if (done !== undefined) agent.todo(done, 'completed', `Re-ran ${done.replace('todo-rerun-', '')} in chunks`)
  })
}
