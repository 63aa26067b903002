/** Outside semver: the transport alone, for tests and tools (sdk.md §8). */
export { Transport, transportHooks, type TransportOptions, type TransportHooks } from './transport/transport.js'
export { classifyResponse, retryAfterMs, type Outcome, type SendResult } from './transport/classify.js'
export { FetchSender, type HttpSender, type SendRequest, type FetchLike } from './transport/sender.js'
export {
  Queue,
  Batch,
  groupByEnvelope,
  splitByBytes,
  buildBody,
  buildBodyParts,
  EVENTS_PER_PART,
  type BodyParts,
  type AddResult,
  type EnvelopeRef,
  type Item,
} from './transport/queue.js'
export { safeSetTimeout, backoffMs, sleep } from './transport/timers.js'
export { safeStringify } from './serialize.js'
export { resolveEndpoint, readConfigEndpoint, DEFAULT_ENDPOINT } from './config.js'
export { Log, stderrLogger } from './log.js'
export { NodeHttpSender, WRITE_SLICE_CHARS } from './transport/node-http-sender.js'
