import { etlBatcher } from './etl-batcher.js'
import { invoiceFetcher } from './invoice-fetcher.js'
import { refundApprover } from './refund-approver.js'
import { researchLooper } from './research-looper.js'
import type { Story } from './story.js'
import { supportWriter } from './support-writer.js'
import { webCrawler } from './web-crawler.js'

/** Every simulated agent, in the order `--help` lists them. */
export const STORIES: readonly Story[] = [
  supportWriter,
  invoiceFetcher,
  refundApprover,
  webCrawler,
  researchLooper,
  etlBatcher,
]

export const STORY_IDS: readonly string[] = STORIES.map((s) => s.id)

export type { Story, StoryContext } from './story.js'
export { stuckThresholdFor } from './web-crawler.js'
