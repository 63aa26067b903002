/**
 * Budget bars (D53): per enabled `cost_threshold` rule, spend in its period vs `threshold_usd`. Shown in Costs,
 * on the targeted agent's card (D23) and, the fullest one, in the ribbon (D24).
 */
import { h, setText, type Panel } from '../lib/h.js'
import type { AlertRule, BudgetFigure } from '../store/alerts.js'
import { budgetLevel, budgetRules, budgetText, costConfig, fullestBudget } from '../store/budgets.js'
import type { State } from '../store/state.js'

/** One bar: label, meter, "$8.12 of $10.00 today". Updated in place. */
export function createBudgetBar(): {
  dom: HTMLElement
  update(rule: AlertRule, figure: BudgetFigure | undefined): void
} {
  const label = h('span', { class: 'budget-name' })
  const fill = h('span', { class: 'budget-fill' })
  const meter = h('span', { class: 'budget-meter', role: 'meter', 'aria-valuemin': 0, 'aria-valuemax': 100 }, fill)
  const text = h('span', { class: 'budget-text' })
  const dom = h('div', { class: 'budget' }, label, meter, text)
  return {
    dom,
    update(rule, figure) {
      const c = costConfig(rule)
      dom.dataset.ruleId = rule.rule_id
      setText(label, rule.name)
      if (figure === undefined || !('spent' in figure)) {
        setText(text, figure === undefined ? 'Loading…' : `Unavailable: ${figure.error}`)
        fill.style.width = '0%'
        dom.className = 'budget'
        meter.setAttribute('aria-valuenow', '0')
        return
      }
      const ratio = figure.spent / c.threshold_usd
      const pct = Math.round(ratio * 100)
      fill.style.width = `${Math.min(100, pct)}%`
      dom.className = `budget budget-${budgetLevel(ratio)}`
      meter.setAttribute('aria-valuenow', String(Math.min(100, pct)))
      meter.setAttribute('aria-label', `${rule.name}: ${pct}% of budget`)
      setText(text, budgetText(figure.spent, c))
    },
  }
}

/** The list of bars for Costs (and reused wherever every budget is shown). */
export function createBudgetList(filter: (rule: AlertRule) => boolean = () => true): Panel<State> {
  const list = h('div', { class: 'budget-list' })
  const dom = h('section', { class: 'budgets', 'aria-label': 'Budgets' }, h('h3', null, 'Budgets'), list)
  const bars = new Map<string, ReturnType<typeof createBudgetBar>>()
  return {
    dom,
    update(state) {
      const rules = budgetRules(state.alerts.rules.data).filter(filter)
      dom.hidden = rules.length === 0
      const keep = new Set(rules.map((r) => r.rule_id))
      for (const [id, bar] of bars) {
        if (!keep.has(id)) {
          bar.dom.remove()
          bars.delete(id)
        }
      }
      for (const rule of rules) {
        let bar = bars.get(rule.rule_id)
        if (bar === undefined) {
          bar = createBudgetBar()
          bars.set(rule.rule_id, bar)
        }
        list.append(bar.dom)
        bar.update(rule, state.alerts.budgets[rule.rule_id])
      }
    },
    destroy() {},
  }
}

/** The fullest budget for the ribbon (D24); hidden without budgets. */
export function createRibbonBudget(): Panel<State> {
  const bar = createBudgetBar()
  const dom = h('div', { class: 'ribbon-budget', 'aria-label': 'Fullest budget' }, bar.dom)
  return {
    dom,
    update(state) {
      const best = fullestBudget(state.alerts.rules.data, state.alerts.budgets)
      dom.hidden = best === null
      if (best !== null) bar.update(best.rule, state.alerts.budgets[best.rule.rule_id])
    },
    destroy() {},
  }
}

/** Adds/updates the budget bars of the rules targeting this agent inside its Hive card (D53 "on the card"). */
export function decorateAgentCard(card: HTMLElement, agentId: string, state: State): void {
  const rules = budgetRules(state.alerts.rules.data).filter((r) => costConfig(r).agent_id === agentId)
  let box = card.querySelector<HTMLElement>(':scope > .card-budgets')
  if (rules.length === 0) {
    box?.remove()
    return
  }
  if (box === null) {
    box = h('div', { class: 'card-budgets' })
    card.append(box)
  }
  const have = [...box.children] as HTMLElement[]
  while (have.length > rules.length) have.pop()?.remove()
  rules.forEach((rule, i) => {
    const barDom = box.children[i] as HTMLElement | undefined
    const bar = createBudgetBar()
    // Bars are tiny; rebuilding a changed one is cheaper than keeping per-card maps alive across reconciles.
    if (barDom === undefined || barDom.dataset.sig !== signature(rule, state.alerts.budgets[rule.rule_id])) {
      bar.update(rule, state.alerts.budgets[rule.rule_id])
      bar.dom.dataset.sig = signature(rule, state.alerts.budgets[rule.rule_id])
      if (barDom === undefined) box.append(bar.dom)
      else barDom.replaceWith(bar.dom)
    }
  })
}

function signature(rule: AlertRule, f: BudgetFigure | undefined): string {
  return `${rule.rule_id}|${rule.name}|${JSON.stringify(rule.condition_config)}|${f === undefined ? '' : 'spent' in f ? f.spent : f.error}`
}
