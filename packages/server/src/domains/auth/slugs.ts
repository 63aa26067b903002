/** Tenant slugs (api.md §4.12): lower-cased, non-`[a-z0-9]` runs → `-`, trimmed, ≤ 48 characters. */
export function tenantSlug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '')
}
