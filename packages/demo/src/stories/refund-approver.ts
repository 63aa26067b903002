import { callModel, everyRound, heartbeatMs, type Story } from './story.js'

const ID = 'refund-approver'
const AUTO_APPROVE_LIMIT = 100
const APPROVER = 'support-lead'

/** Refund amounts: the first request always needs a human, later ones sometimes. */
function amountFor(n: number, rng: { int(a: number, b: number): number; chance(p: number): boolean }): number {
  if (n === 1) return 240
  return rng.chance(0.5) ? rng.int(120, 900) : rng.int(15, 95)
}

/** The careful one: refunds above the limit are escalated and wait for a human's approval. */
export const refundApprover: Story = {
  id: ID,
  summary: 'escalates and waits: refunds over $100 go to a human approver; most approved, some declined',
  async run(ctx) {
    let current = 'idle'
    const agent = ctx.hb.agent(ID, {
      type: 'support',
      version: '1.1.0',
      heartbeatIntervalMs: heartbeatMs(ctx.pace, 15_000),
      heartbeatPayload: () => ({ kind: 'heartbeat_status', summary: current }),
    })
    const checkOrder = agent.track('check_order_history', async (order: string) => {
      await ctx.pace.sleep(ctx.rng.jitter(800))
      return order.length % 2 === 0
    })
    const issueRefund = agent.track('issue_refund', async (amount: number) => {
      await ctx.pace.sleep(ctx.rng.jitter(600))
      return `re_${amount}_${ctx.rng.int(1000, 9999)}`
    })
    await everyRound(
      ctx,
      () => ctx.rng.jitter(7000),
      async (n) => {
        const order = `order-${70_000 + n * 17}`
        const amount = amountFor(n, ctx.rng)
        current = `Reviewing refund of $${amount} for ${order}`
        await agent.task(`refund-${order}`, { project: 'customer-support', type: 'refund_request' }, async (task) => {
          task.plan(`Refund $${amount} for ${order}`, [
            'Check order history',
            'Assess request',
            'Get approval',
            'Refund',
          ])
          await checkOrder(order)
          task.planStep(0, 'completed', 'Order history checked')
          // Estimated by the server: no cost reported for this model.
          await callModel(ctx, task, {
            name: 'assess_refund',
            model: 'claude-3-5-haiku-20241022',
            tokensIn: ctx.rng.jitter(1100),
            tokensOut: ctx.rng.jitter(140),
            reportCost: false,
            prompt: `Customer requests a $${amount} refund for ${order}. Policy: …`,
            response: amount > AUTO_APPROVE_LIMIT ? 'Eligible, but above my limit.' : 'Eligible. Approve.',
          })
          task.planStep(1, 'completed', `Assessed: $${amount}`)
          if (amount > AUTO_APPROVE_LIMIT) {
            task.escalate(`Refund of $${amount} is above the $${AUTO_APPROVE_LIMIT} limit`, {
              assignedTo: APPROVER,
              reason: 'amount_over_limit',
            })
            task.requestApproval(`Approve $${amount} refund for ${order}`, { approver: APPROVER })
            current = `Waiting for ${APPROVER} to approve $${amount}`
            ctx.log(`${ID}: waiting for approval of $${amount} (${order})`)
            await ctx.pace.sleep(ctx.rng.jitter(25_000, 0.4))
            const approved = n === 1 || ctx.rng.chance(0.75)
            task.approvalReceived(approved ? `Approved by ${APPROVER}` : `Declined by ${APPROVER}`, {
              approvedBy: APPROVER,
              decision: approved ? 'approved' : 'rejected',
            })
            if (!approved) {
              task.planStep(2, 'failed', 'Declined by a human')
              task.complete({ status: 'declined' })
              return
            }
            task.planStep(2, 'completed', `Approved by ${APPROVER}`)
          } else {
            task.planStep(2, 'skipped', 'Below the auto-approve limit')
          }
          await issueRefund(amount)
          task.planStep(3, 'completed', 'Refund issued')
        })
        current = 'idle'
      },
    )
  },
}
