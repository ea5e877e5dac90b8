// 费用: LLM spend per day, model or user (a chart and its table), the price table and the quotas; ADMIN edits the
// last two.
import {api, query} from './api.js';
import {t} from './i18n.js';
import {h, fill, table, openDialog, toast, toastError, showFieldError, clearFieldErrors, field, select} from './ui.js';
import {loadECharts} from './monitor.js';
import {money} from './cost.js';

const state = {from: '', to: '', groupBy: 'day'};
let chart;
let report;
let prices;
let quotas;

function mount(section) {
  const from = h('input', {type: 'date', name: 'from', 'aria-label': t('spend.from')});
  const to = h('input', {type: 'date', name: 'to', 'aria-label': t('spend.to')});
  const groupBy = select('group_by', ['day', 'model', 'user'].map(g => [g, t('spend.group.' + g)]), state.groupBy);
  for (const input of [from, to, groupBy]) {
    input.addEventListener('change', () => {
      Object.assign(state, {from: from.value, to: to.value, groupBy: groupBy.value});
      loadReport().catch(toastError);
    });
  }
  chart = h('div', {class: 'chart', id: 'spend-chart', style: 'height:280px'});
  report = h('div');
  prices = h('div');
  quotas = h('div');
  section.append(
    h('div', {class: 'panel'}, h('header', {}, h('h2', {}, t('spend.title')),
      field(t('spend.from'), from), field(t('spend.to'), to), field(t('spend.groupBy'), groupBy),
      h('span', {class: 'grow'}),
      h('button', {type: 'button', onclick: () => show()}, t('common.refresh'))), chart, report),
    h('div', {class: 'panel'}, h('header', {}, h('h2', {}, t('spend.prices')), h('span', {class: 'grow'}),
      h('button', {type: 'button', class: 'primary', id: 'new-price', 'data-needs': 'ADMIN', onclick: () => editPrice()},
        t('spend.editPrice'))), prices),
    h('div', {class: 'panel'}, h('header', {}, h('h2', {}, t('spend.quotas')), h('span', {class: 'grow'}),
      h('button', {type: 'button', class: 'primary', id: 'new-quota', 'data-needs': 'ADMIN', onclick: () => editQuota()},
        t('spend.editQuota'))), quotas));
}

async function loadReport() {
  const [data, priceList] = await Promise.all([
    api('/spend' + query({from: state.from, to: state.to, group_by: state.groupBy})), api('/spend/prices')]);
  const cny = priceList.cny_rate;
  const rows = [...data.items, {...data.total, key: t('spend.total'), total: true}];
  fill(report, table([
    {label: t('spend.key'), render: g => g.total ? h('b', {}, g.key) : g.key},
    {label: t('spend.calls'), class: 'num', render: g => String(g.calls)},
    {label: t('spend.promptTokens'), class: 'num', render: g => String(g.prompt_tokens)},
    {label: t('spend.completionTokens'), class: 'num', render: g => String(g.completion_tokens)},
    {label: t('spend.usd'), class: 'num nowrap', render: g => money(g.usd, cny)},
    {label: t('spend.unpriced'), class: 'num', render: g => g.unpriced_calls ? String(g.unpriced_calls) : '—'},
  ], rows, {rowProps: g => ({'data-key': g.total ? '' : g.key})}));
  const echarts = await loadECharts();
  const instance = echarts.getInstanceByDom(chart) || echarts.init(chart);
  instance.setOption({
    tooltip: {trigger: 'axis'},
    grid: {left: 60, right: 60, top: 30, bottom: 40},
    legend: {data: [t('spend.usd'), t('spend.promptTokens'), t('spend.completionTokens')]},
    xAxis: {type: 'category', data: data.items.map(g => g.key)},
    yAxis: [{type: 'value', name: 'USD'}, {type: 'value', name: 'tokens'}],
    series: [
      {name: t('spend.usd'), type: 'bar', data: data.items.map(g => g.usd)},
      {name: t('spend.promptTokens'), type: 'line', yAxisIndex: 1, data: data.items.map(g => g.prompt_tokens)},
      {name: t('spend.completionTokens'), type: 'line', yAxisIndex: 1, data: data.items.map(g => g.completion_tokens)},
    ],
  }, true);
}

async function loadPrices() {
  const data = await api('/spend/prices');
  fill(prices, table([
    {label: t('spend.model'), render: p => h('b', {}, p.model)},
    {label: t('spend.promptPerM'), class: 'num', render: p => '$' + p.prompt_per_m},
    {label: t('spend.completionPerM'), class: 'num', render: p => '$' + p.completion_per_m},
    {label: t('spend.override'), render: p => p.override ? '✓' : '—'},
    {label: t('spend.source'), class: 'muted', render: p => p.source + (p.updated_by ? ' · ' + p.updated_by : '')},
    {label: t('tasks.actions'), class: 'actions', render: p => h('span', {class: 'actions', 'data-needs': 'ADMIN'},
      h('button', {type: 'button', class: 'link', 'data-action': 'edit', onclick: () => editPrice(p)}, t('common.edit')),
      p.source === 'api' && h('button', {type: 'button', class: 'link danger', 'data-action': 'delete', onclick: () =>
        api('/spend/prices' + query({model: p.model}), {method: 'DELETE'}).then(loadPrices).catch(toastError)},
      t('common.delete')))},
  ], data.items, {rowProps: p => ({'data-model': p.model})}));
}

async function loadQuotas() {
  const data = await api('/spend/quotas');
  const limit = usd => usd === null || usd === undefined ? t('spend.none') : '$' + usd;
  fill(quotas, table([
    {label: t('spend.subject'), render: q => h('b', {}, q.subject)},
    {label: t('spend.daily'), class: 'num', render: q => limit(q.daily_usd)},
    {label: t('spend.monthly'), class: 'num', render: q => limit(q.monthly_usd)},
    {label: t('spend.spentToday'), class: 'num', render: q => money(q.spent_today)},
    {label: t('spend.spentMonth'), class: 'num', render: q => money(q.spent_this_month)},
    {label: t('spend.source'), class: 'muted', render: q => q.source},
    {label: t('tasks.actions'), class: 'actions', render: q => h('span', {class: 'actions', 'data-needs': 'ADMIN'},
      h('button', {type: 'button', class: 'link', 'data-action': 'edit', onclick: () => editQuota(q)}, t('common.edit')),
      q.source === 'api' && h('button', {type: 'button', class: 'link danger', 'data-action': 'delete', onclick: () =>
        api('/spend/quotas' + query({subject: q.subject}), {method: 'DELETE'}).then(loadQuotas).catch(toastError)},
      t('common.delete')))},
  ], data.items, {rowProps: q => ({'data-subject': q.subject})}));
}

/** A small form; numbers are sent as numbers, empty ones as null. */
function dialog(title, fields, path, saved, reload) {
  const form = h('div', {class: 'form'}, fields.map(([name, label, input]) => field(label, input)));
  return openDialog({title, body: form, actions: [{label: t('common.save'), primary: true, run: async () => {
    clearFieldErrors(form);
    const json = {};
    for (const [name, , input] of fields) {
      json[name] = input.type === 'checkbox' ? input.checked : input.type === 'number'
        ? (input.value === '' ? null : Number(input.value)) : input.value;
    }
    try {
      await api(path, {method: 'PUT', json});
      toast(saved);
      await reload();
      return true;
    } catch (error) {
      if (!showFieldError(form, error.field, error.message)) toastError(error);
      return false;
    }
  }}]});
}

function editPrice(p = {}) {
  return dialog(t('spend.editPrice'), [
    ['model', t('spend.model'), h('input', {name: 'model', value: p.model || '', readonly: !!p.model})],
    ['prompt_per_m', t('spend.promptPerM'), h('input', {name: 'prompt_per_m', type: 'number', step: 'any', min: 0,
      value: p.prompt_per_m ?? ''})],
    ['completion_per_m', t('spend.completionPerM'), h('input', {name: 'completion_per_m', type: 'number', step: 'any',
      min: 0, value: p.completion_per_m ?? ''})],
    ['override', t('spend.override'), h('input', {name: 'override', type: 'checkbox', checked: !!p.override})],
  ], '/spend/prices', t('spend.priceSaved'), loadPrices);
}

function editQuota(q = {}) {
  return dialog(t('spend.editQuota'), [
    ['subject', t('spend.subject'), h('input', {name: 'subject', value: q.subject || '', readonly: !!q.subject})],
    ['daily_usd', t('spend.daily'), h('input', {name: 'daily_usd', type: 'number', step: 'any', min: 0, value: q.daily_usd ?? ''})],
    ['monthly_usd', t('spend.monthly'), h('input', {name: 'monthly_usd', type: 'number', step: 'any', min: 0,
      value: q.monthly_usd ?? ''})],
  ], '/spend/quotas', t('spend.quotaSaved'), loadQuotas);
}

function show() {
  Promise.all([loadReport(), loadPrices(), loadQuotas()]).catch(toastError);
}

export default {
  id: 'spend',
  mount,
  show,
};
