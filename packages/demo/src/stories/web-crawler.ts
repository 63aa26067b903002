import type { Agent } from 'loophive'
import type { StoryContext } from './story.js'
import { callModel, everyRound, heartbeatMs, SimulatedError, type Story } from './story.js'

const ID = 'web-crawler'
const SITES = ['docs.example.com', 'blog.example.org', 'news.example.net', 'status.example.io'] as const
/** Healthy tasks between two hangs. */
const TASKS_BETWEEN_HANGS = 4

/** 60 s at real speed, scaled down with --speed but never below the SDK's 10 s minimum. */
export function stuckThresholdFor(speed: number): number {
  return Math.max(10, Math.round(60 / speed))
}

/**
 * The frozen one: every few crawls a page fetch hangs and the process stops heartbeating mid-task. After
 * the stuck threshold the dashboard shows it stuck; after three thresholds a watchdog kills the fetch,
 * the task fails, heartbeats resume.
 */
export const webCrawler: Story = {
  id: ID,
  summary: 'goes stuck: a page fetch hangs mid-task and heartbeats stop (threshold 60 s / speed, min 10 s)',
  async run(ctx) {
    const thresholdS = stuckThresholdFor(ctx.pace.speed)
    const beatMs = heartbeatMs(ctx.pace, 5000)
    const agent = ctx.hb.agent(ID, {
      type: 'research',
      version: '3.0.2',
      heartbeatIntervalMs: beatMs,
      stuckThresholdS: thresholdS,
    })
    const fetchPage = agent.track('fetch_page', async (url: string) => {
      await ctx.pace.sleep(ctx.rng.jitter(1200))
      return url.length * 97
    })
    await everyRound(
      ctx,
      () => ctx.rng.jitter(3000),
      async (n) => {
        const site = ctx.rng.pick(SITES)
        const taskId = `crawl-${site}-${n}`
        if (n % (TASKS_BETWEEN_HANGS + 1) === 2) return hang(ctx, agent, taskId, site, { thresholdS, beatMs })
        await agent.task(taskId, { project: 'research', type: 'site_crawl' }, async (task) => {
          for (let page = 1; page <= 3; page++) await fetchPage(`https://${site}/page/${page}`)
          await callModel(ctx, task, {
            name: 'summarise_pages',
            model: 'claude-3-5-haiku-20241022',
            tokensIn: ctx.rng.jitter(3200),
            tokensOut: ctx.rng.jitter(260),
            reportCost: true,
          })
        })
      },
    )
  },
}

async function hang(
  ctx: StoryContext,
  agent: Agent,
  taskId: string,
  site: string,
  timing: { thresholdS: number; beatMs: number },
): Promise<void> {
  const task = agent.startTask(taskId, { project: 'research', type: 'site_crawl' })
  const action = task.run(() => agent.startAction('fetch_page'))
  // A slow fetch first, long enough for a few heartbeats to show the agent alive and processing…
  await ctx.pace.sleepReal(Math.max(ctx.pace.real(4000), 2.5 * timing.beatMs))
  if (ctx.pace.stopped) return
  // …then the process "freezes": no more heartbeats, no more events, the task and the action stay open.
  ctx.hb.agent(ID, { heartbeatIntervalMs: 0 })
  ctx.log(`${ID}: fetch of https://${site}/robots.txt hangs; stuck in ~${timing.thresholdS} s`)
  await ctx.pace.sleepReal(timing.thresholdS * 3 * 1000)
  if (ctx.pace.stopped) return // Still frozen when the fleet stops: leave it stuck, as a frozen process would.
  ctx.hb.agent(ID, { heartbeatIntervalMs: timing.beatMs })
  const error = new SimulatedError('WatchdogTimeout', `fetch_page on ${site} hung; killed by the watchdog`)
  action.fail(error)
  task.fail(error)
  agent.reportIssue(`Crawler hung fetching ${site}`, 'high', { issueId: 'crawler-hang', category: 'connectivity' })
  ctx.log(`${ID}: watchdog killed the hung fetch; back to work`)
}
