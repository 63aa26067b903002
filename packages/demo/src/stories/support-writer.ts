import type { Task } from 'loophive'
import { callModel, everyRound, heartbeatMs, type Story } from './story.js'

const ID = 'support-writer'
const TOPICS = ['billing', 'login', 'shipping', 'refund', 'api-limits', 'invoice'] as const

/** The steady one: answers support tickets all day with three models, every step planned and tracked. */
export const supportWriter: Story = {
  id: ID,
  summary: 'steady LLM-heavy worker: plans each ticket, classifies, drafts and reviews with three models',
  async run(ctx) {
    let current = 'waiting for tickets'
    const agent = ctx.hb.agent(ID, {
      type: 'support',
      version: '2.3.1',
      heartbeatIntervalMs: heartbeatMs(ctx.pace, 15_000),
      heartbeatPayload: () => ({ kind: 'heartbeat_status', summary: current }),
    })
    const searchKb = agent.track('search_knowledge_base', async (topic: string) => {
      await ctx.pace.sleep(ctx.rng.jitter(900))
      return ctx.rng.int(2, 6) + (topic.length % 3)
    })
    const draftReply = agent.track('draft_reply', async (task: Task, topic: string) => {
      const tokensIn = ctx.rng.jitter(2400)
      await callModel(ctx, task, {
        name: 'draft_reply',
        model: 'claude-sonnet-4-20250514',
        tokensIn,
        tokensOut: ctx.rng.jitter(380),
        reportCost: true,
        prompt: `You are a support agent. Customer asks about ${topic}. Use the retrieved articles…`,
        response: `Hi! Thanks for reaching out about ${topic}. Here is what happened…`,
      })
    })
    await everyRound(
      ctx,
      () => ctx.rng.jitter(4000),
      async (n) => {
        const ticket = `ticket-${4800 + n}`
        const topic = ctx.rng.pick(TOPICS)
        current = `Answering ${ticket} (${topic})`
        await agent.task(ticket, { project: 'customer-support', type: 'ticket_reply' }, async (task) => {
          task.plan(`Reply to ${ticket}`, ['Classify ticket', 'Search knowledge base', 'Draft reply', 'Review tone'])
          task.planStep(0, 'started', 'Classifying')
          await callModel(ctx, task, {
            name: 'classify_ticket',
            model: 'gpt-4o-mini',
            tokensIn: ctx.rng.jitter(620),
            tokensOut: ctx.rng.jitter(24),
            reportCost: true,
            prompt: `Classify this ticket into one of ${TOPICS.join(', ')}`,
            response: topic,
          })
          task.planStep(0, 'completed', `Classified as ${topic}`, { turns: 1 })
          task.planStep(1, 'started', 'Searching articles')
          const found = await searchKb(topic)
          task.planStep(1, 'completed', `${found} articles found`)
          task.planStep(2, 'started', 'Drafting')
          await draftReply(task, topic)
          task.planStep(2, 'completed', 'Draft ready', { turns: 1 })
          task.planStep(3, 'started', 'Reviewing tone')
          // No cost reported here: the server estimates it from its pricing table.
          await callModel(ctx, task, {
            name: 'review_tone',
            model: 'gemini-2.0-flash',
            tokensIn: ctx.rng.jitter(900),
            tokensOut: ctx.rng.jitter(60),
            reportCost: false,
          })
          task.planStep(3, 'completed', 'Tone is friendly')
        })
        current = 'waiting for tickets'
      },
    )
  },
}
