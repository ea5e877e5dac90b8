// LLM spend shown in USD and, at the configured rate (scheduler.llm.cny-rate), in CNY: the task table, the monitor
// and the spend tab share these.
import {api} from './api.js';
import {h} from './ui.js';
import {t} from './i18n.js';

let rate = null;

/** The CNY rate, asked for once. */
export async function cnyRate() {
  if (rate === null) {
    rate = api('/spend/prices').then(prices => prices.cny_rate).catch(() => null);
  }
  return rate;
}

/** "$0.1234 · ¥0.89"; with no rate, USD only. */
export function money(usd, cny) {
  if (usd === null || usd === undefined) return t('cost.unknown');
  const digits = usd < 1 ? 4 : 2;
  return `$${usd.toFixed(digits)}` + (cny ? ` · ¥${(usd * cny).toFixed(2)}` : '');
}

/** A task's or loop's cost: unknown (never 0) when nothing was priced, "+?" when some calls were not. */
export function costCell(cost, cny) {
  if (!cost) return h('span', {class: 'muted'}, '—');
  const detail = [t('cost.tokens', {prompt: cost.prompt_tokens, completion: cost.completion_tokens, calls: cost.calls}),
    ...(cost.by_model || []).map(m => `${m.model}: ${money(m.usd, cny)} (${t('cost.pricedBy.' + m.priced_by)})`)];
  if (cost.budget?.warning) detail.push(cost.budget.warning);
  return h('span', {class: 'cost nowrap' + (cost.budget?.warning ? ' warn' : ''), title: detail.join('\n'),
    'data-usd': cost.usd ?? ''},
    cost.usd === null || cost.usd === undefined ? h('span', {class: 'muted'}, t('cost.unknown')) : money(cost.usd, cny),
    cost.complete ? '' : h('span', {class: 'muted', title: t('cost.incomplete')}, ' +?'));
}
