import type { Principal } from '../../http/principal.js'

/**
 * Verifies a session JWT (api.md §2.3) and returns its principal, or undefined for any failure.
 * NOTE: accounts (users, login, JWT issuing) are their own piece of work; until then no JWT is valid.
 */
export type JwtAuthenticator = (token: string) => Principal | undefined

export const rejectAllJwts: JwtAuthenticator = () => undefined
