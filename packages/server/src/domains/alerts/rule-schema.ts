import { EVENT_TYPES, SEVERITIES } from '@hiveboard/shared'
import { z } from 'zod'
import { CONDITION_TYPES, type ConditionType } from '@hiveboard/shared'

const int = (min: number, max: number) => z.number().int().min(min).max(max)
const id = z.string().min(1).max(256)
const optionalId = id.nullable().default(null)

/** Per condition type: config fields, defaults and limits (api.md §4.11 where it has the type, else E101). */
export const CONDITION_CONFIGS = {
  agent_stuck: z.object({ agent_id: optionalId, stuck_threshold_seconds: int(10, 86_400).nullable().default(null) }),
  heartbeat_lost: z.object({ agent_id: id, window_seconds: int(30, 86_400).default(300) }),
  task_failed: z.object({ task_type: optionalId }),
  duration_exceeded: z.object({ threshold_ms: z.number().int().min(1).default(60_000) }),
  error_rate: z.object({
    threshold_percent: z.number().min(1).max(100).default(50),
    window_minutes: int(1, 1440).default(60),
    min_actions: int(1, 1_000_000).default(5),
  }),
  cost_threshold: z.object({
    threshold_usd: z.number().positive().default(10),
    window_hours: z.number().min(1).max(720).default(24),
    period: z.enum(['rolling', 'calendar_day', 'calendar_month']).default('rolling'),
    agent_id: optionalId,
    model: optionalId,
  }),
  loop_detected: z.object({
    window_seconds: int(10, 86_400).default(300),
    min_repeats: int(2, 100_000).default(5),
    match: z.enum(['llm_call', 'action', 'any']).default('any'),
    agent_id: optionalId,
  }),
  custom_event: z.object({
    event_type: z.enum(EVENT_TYPES).nullable().default(null),
    payload_kind: optionalId,
    min_severity: z.enum(SEVERITIES).nullable().default(null),
  }),
  approval_waiting: z.object({ threshold_seconds: int(10, 604_800).default(600), agent_id: optionalId }),
  escalation_open: z.object({ threshold_seconds: int(10, 604_800).default(600), agent_id: optionalId }),
} satisfies Record<ConditionType, z.ZodType>

const ALIASES: Readonly<Record<string, ConditionType>> = {
  task_duration: 'duration_exceeded',
  heartbeat_missing: 'heartbeat_lost',
}

const ConditionTypeInput = z
  .string()
  .transform((value) => ALIASES[value] ?? value)
  .pipe(z.enum(CONDITION_TYPES))

const WebhookActionInput = z.object({
  type: z.literal('webhook'),
  url: z
    .string()
    .max(2048)
    .refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), 'Must be an http(s) URL'),
  format: z.enum(['json', 'slack']).default('json'),
  /** Absent on update keeps the stored secret for the same URL; null clears it. */
  secret: z.string().min(1).max(256).nullable().optional(),
})

const EmailActionInput = z.object({ type: z.literal('email'), to: z.string().trim().toLowerCase().email() })

export const ActionInput = z.discriminatedUnion('type', [WebhookActionInput, EmailActionInput])
export type ActionInput = z.infer<typeof ActionInput>

const FiltersInput = z
  .object({ agent_id: optionalId, environment: optionalId, group: optionalId })
  .default({ agent_id: null, environment: null, group: null })

/** `POST /v1/alerts/rules` body; `condition_config` is checked per type by `parseConditionConfig`. */
export const RuleInput = z.object({
  name: z.string().min(1).max(100),
  condition_type: ConditionTypeInput,
  condition_config: z.record(z.string(), z.unknown()).default({}),
  project_id: z.string().min(1).nullable().default(null),
  filters: FiltersInput,
  actions: z.array(ActionInput).max(5).default([]),
  cooldown_seconds: int(0, 86_400).default(300),
  is_enabled: z.boolean().default(true),
})
export type RuleInput = z.infer<typeof RuleInput>

/** Validates the body with error paths `body.…` (api.md §1.3). */
export function parseRuleInput(body: unknown): RuleInput {
  const rule = z.object({ body: RuleInput }).parse({ body }).body
  rule.condition_config = parseConditionConfig(rule.condition_type, rule.condition_config)
  return rule
}

export function parseConditionConfig(type: ConditionType, config: unknown): Record<string, unknown> {
  const schema: z.ZodType = CONDITION_CONFIGS[type]
  const parsed = z
    .object({ body: z.object({ condition_config: schema }) })
    .parse({ body: { condition_config: config } })
  return parsed.body.condition_config as Record<string, unknown>
}

/** Typed view of a stored config (validated when saved). */
export function configOf<T extends ConditionType>(
  type: T,
  config: Record<string, unknown>,
): z.infer<(typeof CONDITION_CONFIGS)[T]> {
  return config as z.infer<(typeof CONDITION_CONFIGS)[T]>
}
