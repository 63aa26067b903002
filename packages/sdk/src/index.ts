export { init, getClient, flush, shutdown, reset } from './singleton.js'
export { currentTask, currentAgent, currentActionId } from './context.js'
export { track } from './track.js'
export { toolPayload, type ToolPayloadOptions } from './tool-payload.js'
export { forwardLog, logStream, hookConsole, type ForwardOptions, type LogRecord } from './log-bridge.js'
export { HiveBoard } from './client.js'
export { Agent, type AgentOptions } from './agent.js'
export { Task, type TaskOptions, type TaskCompleteOptions } from './task.js'
export { ActionHandle, type ActionContext } from './action.js'
export { HiveLoopError } from './errors.js'
export { SDK_VERSION } from './version.js'
export type { HiveBoardOptions } from './options.js'
export type { Logger } from './log.js'
export type { Payload } from './emit.js'
export type { Stats, FlushResult, ShutdownResult, DropReason } from './transport/stats.js'
export type {
  Severity,
  IssueSeverity,
  EventOptions,
  LlmCallOptions,
  PlanOptions,
  PlanStepOptions,
  EscalateOptions,
  ApprovalRequestOptions,
  ApprovalReceivedOptions,
  RetryOptions,
  QueueSnapshotOptions,
  TodoOptions,
  ReportIssueOptions,
  ScheduledItem,
} from './methods.js'
import type { EventType as SharedEventType } from '@hiveboard/shared'
/** The 13 event types of events.md, or any string (sent unchanged, with a warning). */
export type EventType = SharedEventType | (string & {})
