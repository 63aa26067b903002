import type { ApiKeyType, Partition, PriceEntry, Role } from '@hiveboard/shared'
import type { AlertRule } from './alert-records.js'

/** Entity records as stored (events.md E130). Hashes live here and are never returned by the API. */
export interface Tenant {
  tenant_id: string
  name: string
  slug: string
  plan: 'free' | 'pro' | 'enterprise' | (string & {})
  created_at: string
  updated_at: string
}

export interface User {
  user_id: string
  tenant_id: string
  email: string
  name: string
  role: Role
  password_hash: string
  token_version: number
  is_active: boolean
  created_at: string
  updated_at: string
  last_login_at: string | null
  settings: Record<string, unknown>
}

export interface ApiKey {
  key_id: string
  tenant_id: string
  key_hash: string
  key_prefix: string
  key_type: ApiKeyType
  label: string
  created_by_user_id: string | null
  created_at: string
  last_used_at: string | null
  revoked_at: string | null
  is_active: boolean
}

export interface Invite {
  invite_id: string
  tenant_id: string
  email: string
  role: Role
  name: string | null
  token_hash: string
  status: 'pending' | 'accepted' | 'cancelled'
  created_by_user_id: string | null
  created_at: string
  expires_at: string
  accepted_at: string | null
}

export interface Project {
  project_id: string
  tenant_id: string
  name: string
  slug: string
  description: string | null
  environment: string
  settings: Record<string, unknown>
  is_archived: boolean
  archived_at: string | null
  auto_created: boolean
  merged_into: string | null
  /**
   * Storage-only redirect set by merge and delete-with-reassign: this project's events (immutable in their
   * NDJSON segments) count as the target's. Unlike `merged_into`, unarchive never clears it.
   */
  events_moved_to?: string | null
  created_at: string
  updated_at: string
}

/** A project–agent link, per partition (api.md §2.6). */
export interface ProjectAgent {
  project_id: string
  agent_id: string
  key_type: Partition
  created_at: string
}

/** Alert rules are typed by the alerting domain (alert-records.ts). */
export type { AlertRule } from './alert-records.js'

export type PricingOverride = PriceEntry & { created_at: string; updated_at: string }

export interface GlobalEntities {
  tenants: Tenant
  users: User
  api_keys: ApiKey
  invites: Invite
}

export interface TenantEntities {
  projects: Project
  project_agents: ProjectAgent
  alert_rules: AlertRule
  pricing: PricingOverride
}

export type GlobalCollection = keyof GlobalEntities
export type TenantCollection = keyof TenantEntities
export const GLOBAL_COLLECTIONS: readonly GlobalCollection[] = ['tenants', 'users', 'api_keys', 'invites']
export const TENANT_COLLECTIONS: readonly TenantCollection[] = ['projects', 'project_agents', 'alert_rules', 'pricing']
