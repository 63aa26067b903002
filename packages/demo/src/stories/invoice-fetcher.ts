import type { Task } from 'loophive'
import { callModel, everyRound, heartbeatMs, SimulatedError, type Story } from './story.js'

const ID = 'invoice-fetcher'
const VENDORS = ['acme-supplies', 'globex', 'initech', 'umbrella-corp'] as const
const MAX_ATTEMPTS = 3

/**
 * Failures per task, scripted at first so every run shows both endings: the 1st task recovers on its
 * 3rd attempt, the 2nd exhausts its retries and fails. Later tasks fail each attempt with p = 0.3.
 */
function failuresFor(n: number, random: () => boolean): number {
  if (n === 1) return 2
  if (n === 2) return MAX_ATTEMPTS
  let failures = 0
  while (failures < MAX_ATTEMPTS && random()) failures++
  return failures
}

/** The flaky one: a vendor API that answers 503, retries with backoff, and sometimes gives up. */
export const invoiceFetcher: Story = {
  id: ID,
  summary: 'fails and retries: vendor API 503s, exponential backoff, some tasks fail for good, issue raised/resolved',
  async run(ctx) {
    const agent = ctx.hb.agent(ID, {
      type: 'finance',
      version: '1.4.0',
      heartbeatIntervalMs: heartbeatMs(ctx.pace, 15_000),
    })
    let issueOpen = false
    const fetchInvoices = agent.track('fetch_invoices', async (vendor: string, fail: boolean) => {
      await ctx.pace.sleep(ctx.rng.jitter(1500))
      if (fail) throw new SimulatedError('VendorApiError', `GET /v2/${vendor}/invoices: 503 Service Unavailable`)
      return ctx.rng.int(3, 12)
    })
    /** Up to MAX_ATTEMPTS fetches with exponential backoff; the last failure raises an issue and re-throws. */
    const withRetries = async (task: Task, vendor: string, failures: number): Promise<number> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await fetchInvoices(vendor, attempt <= failures)
        } catch (error) {
          if (attempt >= MAX_ATTEMPTS) {
            agent.reportIssue(`Vendor API ${vendor} keeps answering 503`, 'high', {
              issueId: 'vendor-api-503',
              category: 'connectivity',
              context: { vendor, attempts: attempt },
            })
            issueOpen = true
            ctx.log(`${ID}: ${task.id} failed after ${attempt} attempts`)
            throw error
          }
          const backoffSeconds = 2 ** attempt
          task.retry(`Retrying fetch_invoices for ${vendor} after 503`, { attempt: attempt + 1, backoffSeconds })
          await ctx.pace.sleep(backoffSeconds * 1000)
        }
      }
    }
    const postToLedger = agent.track('post_to_ledger', async (count: number) => {
      await ctx.pace.sleep(ctx.rng.jitter(120 * count))
    })
    await everyRound(
      ctx,
      () => ctx.rng.jitter(6000),
      async (n) => {
        const vendor = ctx.rng.pick(VENDORS)
        const failures = failuresFor(n, () => ctx.rng.chance(0.3))
        await agent.task(`invoices-${vendor}-${n}`, { project: 'finance-ops', type: 'invoice_sync' }, async (task) => {
          const count = await withRetries(task, vendor, failures)
          if (issueOpen) {
            agent.resolveIssue('Vendor API is answering again', { issueId: 'vendor-api-503' })
            issueOpen = false
          }
          await callModel(ctx, task, {
            name: 'extract_line_items',
            model: 'gpt-4o-mini',
            tokensIn: ctx.rng.jitter(300 * count),
            tokensOut: ctx.rng.jitter(40 * count),
            reportCost: true,
          })
          await postToLedger(count)
        })
      },
    )
  },
}
