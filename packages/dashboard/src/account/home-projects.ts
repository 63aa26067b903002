/** home.html#projects (D62): list with counts; new, edit, archive/unarchive, merge, delete with reassign. */
import type { ConfirmOptions } from './confirm.js'
import { field, selectField } from './form.js'
import { canWriteProjects, projectSlug } from './roles.js'
import { PROJECT_CODE_TEXT } from './session.js'
import { formatNumber } from '../lib/format.js'
import { h } from '../lib/h.js'
import {
  type HomeContext,
  type Project,
  table,
  row,
  actionLine,
  listPanel,
  rowAction,
  submitButton,
  wire,
  formError,
} from './home-ui.js'

export function projects(ctx: HomeContext): HTMLElement[] {
  const writable = canWriteProjects(ctx.me)
  const actionError = actionLine()
  let all: Project[] = []
  const isDefault = (p: Project) => p.slug === 'default' && !p.is_archived

  // One form for New and Edit: field errors need a place that stays open, which a confirm modal is not.
  const name = field('name', 'Name', 'text', { maxlength: '100', required: '' }, 'project-')
  const slug = field('slug', 'Slug (optional)', 'text', { maxlength: '64', autocomplete: 'off' }, 'project-')
  const description = field('description', 'Description (optional)', 'text', { maxlength: '1000' }, 'project-')
  const preview = h('p', { class: 'muted slug-preview', 'aria-live': 'polite' })
  const slugWarning = h('p', { class: 'banner warn slug-warning', hidden: true })
  const heading = h('h3', null, 'New project')
  const submit = submitButton('Create project')
  const cancel = h('button', { type: 'button', hidden: true }, 'Cancel edit')
  const error = formError()
  const form = h(
    'form',
    { class: 'inline-form project-form', novalidate: true },
    heading,
    name.dom,
    slug.dom,
    preview,
    slugWarning,
    description.dom,
    error,
    h('div', { class: 'row-actions' }, submit, cancel),
  )
  let editing: Project | null = null
  const updatePreview = () => {
    const derived = slug.input.value.trim() === '' ? projectSlug(name.input.value) : slug.input.value.trim()
    preview.textContent = derived === '' ? '' : `Slug: ${derived.toLowerCase()}`
    const changed = editing !== null && derived.toLowerCase() !== editing.slug
    slugWarning.hidden = !changed
    slugWarning.textContent = changed
      ? `Agents that send project "${editing?.slug ?? ''}" will no longer reach this project after the change.`
      : ''
  }
  name.input.addEventListener('input', updatePreview)
  slug.input.addEventListener('input', updatePreview)
  const resetForm = () => {
    editing = null
    form.reset()
    heading.textContent = 'New project'
    submit.textContent = 'Create project'
    cancel.hidden = true
    slug.input.disabled = false
    updatePreview()
  }
  cancel.addEventListener('click', resetForm)
  const startEdit = (p: Project) => {
    editing = p
    heading.textContent = `Edit ${p.name}`
    submit.textContent = 'Save project'
    cancel.hidden = false
    name.input.value = p.name
    slug.input.value = p.slug
    // The default project's slug is fixed (cannot_modify_default).
    slug.input.disabled = isDefault(p)
    description.input.value = p.description ?? ''
    updatePreview()
    name.input.focus()
  }
  wire(
    form,
    submit,
    [name, slug, description],
    error,
    async () => {
      const body: Record<string, string | null> = { name: name.input.value.trim() }
      const slugValue = slug.input.value.trim()
      const descValue = description.input.value.trim()
      if (editing === null) {
        if (slugValue !== '') body.slug = slugValue
        if (descValue !== '') body.description = descValue
        await ctx.api.request('/v1/projects', {}, { method: 'POST', body })
      } else {
        if (!slug.input.disabled && slugValue !== editing.slug) body.slug = slugValue
        body.description = descValue === '' ? null : descValue
        await ctx.api.request(`/v1/projects/${encodeURIComponent(editing.project_id)}`, {}, { method: 'PUT', body })
      }
      resetForm()
      await list.reload()
    },
    PROJECT_CODE_TEXT,
  )

  /** A row action: then the list reloads; refusals in the section's alert line, project codes in words. */
  const act = (button: HTMLButtonElement, work: () => Promise<unknown>, ask?: () => ConfirmOptions) =>
    rowAction(
      button,
      actionError,
      async () => {
        await work()
        await list.reload()
      },
      { ask, codeText: PROJECT_CODE_TEXT },
    )
  const targetSelect = (p: Project, label: string) => {
    const others = all.filter((x) => !x.is_archived && x.project_id !== p.project_id)
    const s = selectField(
      'target',
      label,
      others.map((x) => [x.slug, `${x.name} (${x.slug})`] as const),
      'confirm-',
    )
    return s
  }
  const actions = (p: Project): HTMLElement | string => {
    if (!writable) return ''
    const ref = encodeURIComponent(p.project_id)
    const edit = h('button', { type: 'button', class: 'edit' }, 'Edit')
    edit.addEventListener('click', () => startEdit(p))
    const buttons: HTMLElement[] = [edit]
    if (!isDefault(p) && !p.is_archived) {
      const archive = h('button', { type: 'button', class: 'archive' }, 'Archive')
      act(
        archive,
        () => ctx.api.request(`/v1/projects/${ref}/archive`, {}, { method: 'POST' }),
        () => ({
          title: `Archive ${p.name}?`,
          text: 'Archived projects are hidden from the dashboard filters; their data is kept and you can unarchive them.',
          confirmLabel: 'Archive',
        }),
      )
      // The target select is built when the modal opens (the project list may have changed) and read on Yes.
      let mergeTarget: ReturnType<typeof targetSelect> | null = null
      const merge = h('button', { type: 'button', class: 'merge' }, 'Merge…')
      act(
        merge,
        () =>
          ctx.api.request(
            `/v1/projects/${ref}/merge`,
            {},
            { method: 'POST', body: { target_slug: mergeTarget?.input.value } },
          ),
        () => {
          mergeTarget = targetSelect(p, 'Merge into')
          return {
            title: `Merge ${p.name}`,
            text: 'Its events and agent links move to the target project; this project is then archived.',
            confirmLabel: 'Merge',
            extra: [mergeTarget.dom],
            danger: true,
          }
        },
      )
      let deleteTarget: ReturnType<typeof targetSelect> | null = null
      const del = h('button', { type: 'button', class: 'delete danger' }, 'Delete…')
      act(
        del,
        () => ctx.api.request(`/v1/projects/${ref}`, { reassign_to: deleteTarget?.input.value }, { method: 'DELETE' }),
        () => {
          deleteTarget = targetSelect(p, 'Move its events to')
          return {
            title: `Delete ${p.name}?`,
            text: 'Its events and agent links move to the project you choose; the project itself is removed.',
            confirmLabel: 'Delete project',
            extra: [deleteTarget.dom],
            danger: true,
          }
        },
      )
      buttons.push(archive, merge, del)
    }
    if (p.is_archived) {
      const unarchive = h('button', { type: 'button', class: 'unarchive' }, 'Unarchive')
      act(unarchive, () => ctx.api.request(`/v1/projects/${ref}/unarchive`, {}, { method: 'POST' }))
      buttons.push(unarchive)
    }
    return h('div', { class: 'row-actions' }, ...buttons)
  }
  const list = listPanel(async () => {
    const p = await ctx.api.get<{ data: Project[] }>('/v1/projects', { include_archived: true })
    all = p.data
    const slugOf = (id: string | null) => all.find((x) => x.project_id === id)?.slug ?? id ?? ''
    const rows = p.data.map((x) =>
      row(
        [
          x.name,
          h('span', { class: 'mono' }, x.slug),
          formatNumber(x.agent_count),
          formatNumber(x.event_count),
          x.merged_into !== null ? `merged into ${slugOf(x.merged_into)}` : x.is_archived ? 'archived' : 'active',
          actions(x),
        ],
        { 'data-slug': x.slug, 'data-archived': String(x.is_archived) },
      ),
    )
    const headers = ['Name', 'Slug', 'Agents', 'Events', 'Status']
    return [table(writable ? [...headers, 'Actions'] : headers, rows, 'projects-table')]
  })
  void list.reload()
  return [
    list.dom,
    actionError,
    writable ? form : h('p', { class: 'muted' }, 'Viewers see projects but cannot change them.'),
  ]
}
