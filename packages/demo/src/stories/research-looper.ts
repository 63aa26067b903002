import type { Task } from 'loophive'
import type { StoryContext } from './story.js'
import { callModel, everyRound, heartbeatMs, SimulatedError, type Story } from './story.js'

const ID = 'research-looper'
const QUESTIONS = ['competitor pricing', 'EU AI Act deadlines', 'vector DB benchmarks', 'GPU spot prices'] as const
const LOOP_PROMPT = 'You are a research planner. Sources read so far: []. Which source should I read next?'
const LOOP_RESPONSE = 'I should search the web for the topic again.'

/**
 * The looping one: its planner forgets what it has read, so it asks the same question again and again with
 * the same prompt until a loop guard trips. Every third task loops (the first always does).
 */
export const researchLooper: Story = {
  id: ID,
  summary: 'loops on the same LLM call: identical decide_next_step prompts until a loop guard fails the task',
  async run(ctx) {
    const agent = ctx.hb.agent(ID, {
      type: 'research',
      version: '0.7.0',
      heartbeatIntervalMs: heartbeatMs(ctx.pace, 15_000),
    })
    await everyRound(
      ctx,
      () => ctx.rng.jitter(5000),
      async (n) => {
        const question = ctx.rng.pick(QUESTIONS)
        const loops = n % 3 === 1
        await agent.task(`research-${n}`, { project: 'research', type: 'market_research' }, async (task) => {
          task.plan(`Research ${question}`, ['Search sources', 'Read and extract', 'Write summary'])
          task.planStep(0, 'completed', 'Found 5 sources')
          task.planStep(1, 'started', 'Choosing what to read next')
          if (loops) await loopUntilGuard(ctx, task)
          await callModel(ctx, task, {
            name: 'extract_facts',
            model: 'gpt-4o',
            tokensIn: ctx.rng.jitter(5200),
            tokensOut: ctx.rng.jitter(600),
            reportCost: true,
          })
          task.planStep(1, 'completed', 'Facts extracted')
          await callModel(ctx, task, {
            name: 'write_summary',
            model: 'gpt-4o',
            tokensIn: ctx.rng.jitter(2400),
            tokensOut: ctx.rng.jitter(450),
            reportCost: true,
          })
          task.planStep(2, 'completed', 'Summary written')
        })
      },
    )
  },
}

/** Repeats one identical call (cost left to the server), then the guard fails the task. */
async function loopUntilGuard(ctx: StoryContext, task: Task): Promise<void> {
  const planned = ctx.rng.int(8, 12)
  let repeats = 0
  for (; repeats < planned && !ctx.pace.stopped; repeats++) {
    await callModel(ctx, task, {
      name: 'decide_next_step',
      model: 'gpt-4o',
      tokensIn: 1840,
      tokensOut: 42,
      reportCost: false,
      prompt: LOOP_PROMPT,
      response: LOOP_RESPONSE,
    })
  }
  if (ctx.pace.stopped) return // Interrupted by the fleet stopping: no guard, no issue, just finish.
  task.planStep(1, 'failed', `Loop guard: decide_next_step repeated ${repeats} times with the same prompt`)
  task.agent.reportIssue('Planner repeats decide_next_step with an identical prompt', 'medium', {
    issueId: 'planner-loop',
    category: 'other',
    context: { repeats, model: 'gpt-4o' },
  })
  task.agent.todo('todo-planner-memory', 'created', 'Give the planner a memory of the sources it has read', {
    priority: 'high',
    source: 'failed_action',
  })
  ctx.log(`${ID}: loop guard tripped after ${repeats} identical calls`)
  throw new SimulatedError('LoopDetected', `decide_next_step repeated ${repeats} times without progress`)
}
