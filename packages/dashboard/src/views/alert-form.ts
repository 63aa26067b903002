/**
 * Create/edit form for alert rules (D49): fields per `condition_type` with events.md E101 / api.md §4.11 defaults.
 * The server validates; its envelope's `details.fields` are shown on the matching fields (D58 style).
 */
import { clear, h, setText } from '../lib/h.js'
import { field, nextFieldId, select, type FieldBox } from './form-field.js'
import { CONDITION_LABEL, CONFIG_FIELDS, fieldErrors, numberOrRaw, type FieldKind } from '../lib/rule-fields.js'
import { CONDITION_TYPES, type ConditionType } from '@hiveboard/shared'
import type { AlertRule, ProjectRef, RuleAction } from '../store/alerts.js'

interface ActionRow {
  dom: HTMLElement
  read(): Record<string, unknown>
  fields: FieldBox[]
}

export interface RuleFormDeps {
  save: (ruleId: string | null, body: Record<string, unknown>) => Promise<AlertRule>
  done: () => void
}

export interface RuleForm {
  readonly dom: HTMLFormElement
  open(rule: AlertRule | null, projects: readonly ProjectRef[], preset?: Partial<AlertRule>): void
  close(): void
}

export function createRuleForm(deps: RuleFormDeps): RuleForm {
  const title = h('h3', null, 'New alert rule')
  const summary = h('div', { class: 'form-errors', role: 'alert' })
  const name = field('name', 'Name', h('input', { type: 'text', maxlength: 100, autocomplete: 'off' }))
  const type = field(
    'condition_type',
    'Condition',
    select(
      CONDITION_TYPES.map((t) => [t, CONDITION_LABEL[t]]),
      'agent_stuck',
    ),
  )
  const configBox = h('fieldset', { class: 'config-fields' }, h('legend', null, 'Condition settings'))
  const project = field('project_id', 'Project', select([['', 'All projects']], ''))
  const env = field('filters.environment', 'Environment', h('input', { type: 'text' }), 'blank = any')
  const group = field('filters.group', 'Group', h('input', { type: 'text' }), 'blank = any')
  const agent = field('filters.agent_id', 'Agent filter', h('input', { type: 'text' }), 'blank = any')
  const cooldown = field('cooldown_seconds', 'Cooldown (seconds)', h('input', { type: 'text', inputmode: 'numeric' }))
  const enabled = h('input', { type: 'checkbox', id: nextFieldId() })
  const actionsList = h('div', { class: 'action-rows' })
  const addWebhook = h('button', { type: 'button', class: 'link' }, '+ Webhook')
  const addEmail = h('button', { type: 'button', class: 'link' }, '+ E-mail')
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Save rule')
  const cancel = h('button', { type: 'button' }, 'Cancel')
  const dom = h(
    'form',
    { class: 'rule-form', novalidate: true, 'aria-label': 'Alert rule' },
    title,
    summary,
    name.dom,
    type.dom,
    configBox,
    h('fieldset', { class: 'scope-fields' }, h('legend', null, 'Scope'), project.dom, env.dom, group.dom, agent.dom),
    h(
      'fieldset',
      { class: 'action-fields' },
      h('legend', null, 'Actions (in-app history always)'),
      actionsList,
      addWebhook,
      ' ',
      addEmail,
    ),
    cooldown.dom,
    h('div', { class: 'field' }, h('label', { for: enabled.id }, enabled, ' Enabled')),
    h('div', { class: 'form-buttons' }, submit, ' ', cancel),
  )
  dom.hidden = true

  let editing: AlertRule | null = null
  let configFields: { key: string; spec: FieldKind; box: FieldBox }[] = []
  let actionRows: ActionRow[] = []

  const drawConfig = (t: ConditionType, values: Record<string, unknown>) => {
    for (const el of [...configBox.children]) if (el.tagName !== 'LEGEND') el.remove()
    configFields = CONFIG_FIELDS[t].map((f) => {
      const v = values[f.key]
      let input: HTMLInputElement | HTMLSelectElement
      if (f.spec.kind === 'select') {
        input = select(
          f.spec.options.map((o) => [o, o === '' ? 'Any' : o]),
          typeof v === 'string' ? v : (f.spec.options[0] ?? ''),
        )
      } else {
        input = h('input', { type: 'text', inputmode: f.spec.kind === 'number' ? 'decimal' : null })
        const shown = v === null || v === undefined ? (f.spec.kind === 'number' ? f.spec.def : null) : v
        input.value = typeof shown === 'string' || typeof shown === 'number' ? String(shown) : ''
      }
      const box = field(`condition_config.${f.key}`, f.label, input, f.hint)
      configBox.append(box.dom)
      return { key: f.key, spec: f.spec, box }
    })
  }

  const addAction = (a: RuleAction | { type: 'webhook' | 'email' }) => {
    const i = actionRows.length
    const remove = h('button', { type: 'button', class: 'link' }, 'Remove')
    let row: ActionRow
    if (a.type === 'webhook') {
      const url = field(`actions.${i}.url`, 'Webhook URL', h('input', { type: 'url' }))
      const format = field(
        `actions.${i}.format`,
        'Format',
        select(
          [
            ['json', 'JSON'],
            ['slack', 'Slack'],
          ],
          'json',
        ),
      )
      const secretSet = 'secret_set' in a && a.secret_set
      const secret = field(
        `actions.${i}.secret`,
        'Signing secret',
        h('input', { type: 'password', autocomplete: 'new-password' }),
        secretSet ? 'set — blank keeps it' : 'optional',
      )
      if ('url' in a) url.input.value = a.url
      if ('format' in a) format.input.value = a.format
      row = {
        dom: h('div', { class: 'action-row' }, url.dom, format.dom, secret.dom, remove),
        fields: [url, format, secret],
        read() {
          const out: Record<string, unknown> = {
            type: 'webhook',
            url: url.input.value.trim(),
            format: format.input.value,
          }
          if (secret.input.value !== '') out['secret'] = secret.input.value
          return out
        },
      }
    } else {
      const to = field(`actions.${i}.to`, 'E-mail to', h('input', { type: 'email' }))
      if ('to' in a) to.input.value = a.to
      row = {
        dom: h('div', { class: 'action-row' }, to.dom, remove),
        fields: [to],
        read: () => ({ type: 'email', to: to.input.value.trim() }),
      }
    }
    remove.addEventListener('click', () => {
      actionRows = actionRows.filter((r) => r !== row)
      row.dom.remove()
    })
    actionRows.push(row)
    actionsList.append(row.dom)
  }

  const allFields = (): FieldBox[] => [
    name,
    type,
    project,
    env,
    group,
    agent,
    cooldown,
    ...configFields.map((f) => f.box),
    ...actionRows.flatMap((r) => r.fields),
  ]

  const clearErrors = () => {
    clear(summary)
    for (const f of allFields()) {
      f.error.textContent = ''
      f.input.removeAttribute('aria-invalid')
    }
  }

  const showErrors = (e: unknown) => {
    const errors = fieldErrors(e)
    const unplaced: string[] = []
    const byPath = new Map(allFields().map((f) => [f.input.dataset.field ?? '', f]))
    for (const err of errors) {
      const f = byPath.get(err.field)
      if (f === undefined) unplaced.push(`${err.field}: ${err.message}`)
      else {
        f.error.textContent = err.message
        f.input.setAttribute('aria-invalid', 'true')
      }
    }
    const message = e instanceof Error ? e.message : 'Could not save the rule'
    summary.append(h('p', null, message), ...unplaced.map((u) => h('p', null, u)))
    const first = errors.map((x) => byPath.get(x.field)).find((f) => f !== undefined)
    first?.input.focus()
  }

  const body = (): Record<string, unknown> => {
    const config: Record<string, unknown> = {}
    for (const f of configFields) {
      const raw = f.box.input.value
      if (f.spec.kind === 'number') {
        const v = numberOrRaw(raw)
        if (v !== undefined) config[f.key] = v
        else if (editing !== null) config[f.key] = null
      } else if (raw.trim() !== '') config[f.key] = raw.trim()
      else if (editing !== null) config[f.key] = null
    }
    // A cleared optional number on edit means "back to the default": drop nulls the schema would reject.
    for (const [k, v] of Object.entries(config)) {
      const spec = configFields.find((f) => f.key === k)?.spec
      if (v === null && spec?.kind === 'number' && spec.def !== null) delete config[k]
    }
    // Rows may have been removed: error paths follow the order sent.
    actionRows.forEach((r, i) => {
      for (const f of r.fields)
        f.input.dataset.field = (f.input.dataset.field ?? '').replace(/^actions\.\d+\./, `actions.${i}.`)
    })
    const text = (i: FieldBox) => (i.input.value.trim() === '' ? null : i.input.value.trim())
    const out: Record<string, unknown> = {
      name: name.input.value,
      condition_type: type.input.value,
      condition_config: config,
      project_id: text(project),
      filters: { environment: text(env), group: text(group), agent_id: text(agent) },
      actions: actionRows.map((r) => r.read()),
      is_enabled: enabled.checked,
    }
    const cd = numberOrRaw(cooldown.input.value)
    if (cd !== undefined) out['cooldown_seconds'] = cd
    return out
  }

  type.input.addEventListener('change', () => drawConfig(type.input.value as ConditionType, {}))
  addWebhook.addEventListener('click', () => addAction({ type: 'webhook' }))
  addEmail.addEventListener('click', () => addAction({ type: 'email' }))
  cancel.addEventListener('click', () => {
    dom.hidden = true
    deps.done()
  })
  dom.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') {
      ev.stopPropagation()
      dom.hidden = true
      deps.done()
    }
  })
  dom.addEventListener('submit', (ev) => {
    ev.preventDefault()
    clearErrors()
    submit.disabled = true
    deps
      .save(editing?.rule_id ?? null, body())
      .then(() => {
        dom.hidden = true
        deps.done()
      })
      .catch((e: unknown) => showErrors(e))
      .finally(() => {
        submit.disabled = false
      })
  })

  return {
    dom,
    open(rule, projects, preset) {
      editing = rule
      const r = rule ?? preset ?? null
      clearErrors()
      setText(title, rule === null ? 'New alert rule' : `Edit “${rule.name}”`)
      name.input.value = r?.name ?? ''
      const t = r?.condition_type ?? 'agent_stuck'
      type.input.value = t
      drawConfig(t, r?.condition_config ?? {})
      const projectSelect = project.input as HTMLSelectElement
      clear(projectSelect)
      projectSelect.append(
        h('option', { value: '' }, 'All projects'),
        ...projects.map((p) => h('option', { value: p.project_id }, p.name)),
      )
      if (
        r?.project_id !== null &&
        r?.project_id !== undefined &&
        !projects.some((p) => p.project_id === r.project_id)
      ) {
        projectSelect.append(h('option', { value: r.project_id }, r.project_id))
      }
      projectSelect.value = r?.project_id ?? ''
      env.input.value = r?.filters?.environment ?? ''
      group.input.value = r?.filters?.group ?? ''
      agent.input.value = r?.filters?.agent_id ?? ''
      cooldown.input.value = String(r?.cooldown_seconds ?? 300)
      enabled.checked = r?.is_enabled ?? true
      clear(actionsList)
      actionRows = []
      for (const a of r?.actions ?? []) addAction(a)
      dom.hidden = false
      name.input.focus()
    },
    close() {
      dom.hidden = true
    },
  }
}
