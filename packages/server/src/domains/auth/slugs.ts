/** Name → slug: lower-cased, non-`[a-z0-9]` runs → `-`, trimmed, at most `maxLength` characters. */
export function slugify(name: string, maxLength: number): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/, '')
}

/** Tenant slugs (api.md §4.12): at most 48 characters. */
export function tenantSlug(name: string): string {
  return slugify(name, 48)
}
