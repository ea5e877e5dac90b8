// 批量任务: batches (a grid of tasks, or a dataset fan-out) listed, and one batch's page with its tasks, the grid's
// values per task, and pause / resume / cancel / limit; the grid builder creates one from a base task.
import {api, query} from './api.js';
import {t} from './i18n.js';
import {
  h, fill, table, emptyState, openDialog, confirmDialog, toast, toastError, showFieldError, clearFieldErrors, field,
  badge, fmtTime, fmtPct, poller, errorText,
} from './ui.js';
import {taskForm, taskProgress} from './tasks.js';
import {listDatasets, datasetLabel} from './datasets.js';

const MAX_TASKS = 200;
let root;
let poll;

function mount(section) {
  root = section;
}

function show([id]) {
  poll?.stop();
  poll = id ? poller(() => loadBatch(id), () => 3000) : poller(loadList, () => 15000);
}

const stateBadge = batch => h('span', {class: 'badge ' + (batch.state === 'active' ? 'ok' : batch.state === 'paused' ? 'PENDING' : 'CANCELLED'),
  'data-state': batch.state}, t('batches.state.' + batch.state));

const counts = batch => Object.entries(batch.counts || {}).map(([status, n]) => h('span', {class: 'count'}, badge(status), ' ', String(n)));

async function loadList() {
  const page = await api('/batches' + query({size: 100}));
  fill(root, h('div', {class: 'panel'},
    h('header', {}, h('h2', {}, t('tab.batches')), h('span', {class: 'grow'}),
      h('button', {type: 'button', onclick: () => poll.now()}, t('common.refresh')),
      h('button', {type: 'button', class: 'primary', id: 'new-batch', 'data-needs': 'OPERATOR', onclick: () => openNewBatch()},
        t('batches.new'))),
    table([
      {label: t('batches.name'), render: b => h('a', {href: `#/batches/${b.id}`}, b.name || t('batches.unnamed'))},
      {label: t('batches.state'), render: stateBadge},
      {label: t('batches.counts'), render: counts},
      {label: t('batches.limit'), class: 'num', render: b => b.max_concurrent ?? t('batches.noLimit')},
      {label: t('batches.created'), class: 'nowrap', render: b => `${fmtTime(b.created_at)} · ${b.created_by ?? ''}`},
    ], page.items, {
      empty: emptyState(t('batches.none'), h('button', {type: 'button', class: 'link', onclick: () => openNewBatch()},
        t('batches.noneNext'))),
      rowProps: b => ({'data-batch-id': b.id}),
    })));
}

/** What each axis of the grid set on a task, as table columns. */
function gridColumns(grid) {
  const columns = [];
  for (const [axis, values] of Object.entries(grid || {})) {
    if (axis === 'dataset_ids') columns.push({label: t('field.dataset_ids'), render: task => datasetLabel(task.dataset_id)});
    else if (axis === 'env') Object.keys(values).forEach(name => columns.push({label: name, render: task => task.params?.env?.[name] ?? '—'}));
    else if (axis === 'windows' || axis === 'model') {
      const keys = [...new Set(values.flatMap(value => Object.keys(value)))];
      keys.forEach(key => columns.push({label: key, render: task => task.params?.[key] ?? '—'}));
    } else columns.push({label: axis, render: task => [task.params?.[axis] ?? '—'].flat().join(', ')});
  }
  return columns;
}

async function loadBatch(id) {
  const [batch, page] = await Promise.all([api(`/batches/${id}`),
    api('/tasks' + query({batch_id: id, sort: '-annualized_return', size: 200}))]);
  // the filter is the service's; kept here too so the page never shows another batch's task
  const tasks = page.items.filter(task => task.batch_id === id);
  await listDatasets(false, tasks.map(task => task.dataset_id));
  const limit = h('input', {type: 'number', name: 'max_concurrent', min: 1, max: 1000, step: 1, style: 'width:90px',
    value: batch.max_concurrent ?? '', placeholder: t('batches.noLimit')});
  const act = (action, label, danger) => h('button', {type: 'button', class: danger ? 'danger' : '', 'data-action': action,
    'data-needs': 'OPERATOR', onclick: () => batchAction(batch, action)}, label);
  fill(root, h('div', {class: 'panel', id: 'batch-page', 'data-batch-id': batch.id},
    h('header', {},
      h('a', {href: '#/batches', class: 'link'}, '← ' + t('batches.back')),
      h('h2', {}, batch.name || t('batches.unnamed')), stateBadge(batch), counts(batch),
      h('span', {class: 'grow'}),
      batch.state === 'active' && act('pause', t('batches.pause')),
      batch.state === 'paused' && act('resume', t('batches.resume')),
      batch.state !== 'cancelled' && act('cancel', t('batches.cancel'), true)),
    h('div', {class: 'toolbar', 'data-needs': 'OPERATOR'},
      field(t('batches.limit'), limit, {group: true}),
      h('button', {type: 'button', 'data-action': 'limit', onclick: async () => {
        try {
          await api(`/batches/${batch.id}/limit`, {method: 'POST', json: {max_concurrent: limit.value ? Number(limit.value) : null}});
          toast(t('batches.limited'));
          poll.now();
        } catch (error) {
          toastError(error);
        }
      }}, t('batches.setLimit'))),
    h('h3', {}, t('batches.tasks')),
    table([
      {label: 'ID', class: 'num', render: task => h('a', {href: `#/monitor/${task.id}`}, String(task.id))},
      {label: t('tasks.name'), render: task => task.name || t('tasks.unnamed')},
      ...gridColumns(batch.grid),
      {label: t('tasks.status'), render: task => badge(task.status)},
      {label: t('tasks.progress'), render: task => taskProgress(task)},
      {label: t('tasks.bestReturn'), class: 'num', render: task => fmtPct(task.metrics?.sota?.values?.annualized_return)},
    ], tasks, {rowProps: task => ({'data-task-id': task.id})})));
}

async function batchAction(batch, action) {
  if (action === 'cancel' && !await confirmDialog({title: t('batches.cancel'),
    message: t('batches.cancelConfirm', {name: batch.name || t('batches.unnamed')}), confirm: t('batches.cancel')})) {
    return;
  }
  try {
    await api(`/batches/${batch.id}/${action}`, {method: 'POST'});
    toast(t({pause: 'batches.paused', resume: 'batches.resumed', cancel: 'batches.cancelled'}[action]));
  } catch (error) {
    toastError(error);
  }
  poll.now();
}

const values = text => text.split(/[,，]/).map(v => v.trim()).filter(Boolean);

/** The grid builder: a base task (the new-task form) and comma-separated values per axis. */
export async function openNewBatch(initial = {}) {
  const base = await taskForm(initial);
  const input = (name, placeholder) => h('input', {name, placeholder});
  const name = input('batch_name', t('batches.unnamed'));
  const limit = h('input', {type: 'number', name: 'max_concurrent', min: 1, max: 1000, step: 1});
  const loops = input('grid_loop_n', '1, 3, 5');
  const epochs = input('grid_n_epochs', '10, 50');
  const envKey = input('grid_env_key', 'CHAT_MODEL');
  const envValues = input('grid_env_values', 'gpt-4o, deepseek-chat');
  const count = h('div', {class: 'hint', id: 'grid-count'});
  const grid = h('div', {class: 'form', 'data-field': 'grid'},
    field(t('batches.name'), name, {wide: true}),
    field(t('batches.limit'), limit),
    field(t('batches.gridLoopN'), loops, {wide: true}),
    field(t('batches.gridEpochs'), epochs, {wide: true}),
    field(t('batches.gridEnvKey'), envKey),
    field(t('batches.gridEnvValues'), envValues, {wide: true}));
  const el = h('div', {}, h('h3', {}, t('batches.grid')), grid, count, base.el);

  function gridOf(body) {
    const axes = {};
    // several datasets in the base are the grid's dataset axis
    if ((body.dataset_ids || []).length > 1) {
      axes.dataset_ids = body.dataset_ids;
      delete body.dataset_ids;
    }
    if (values(loops.value).length) axes.loop_n = values(loops.value).map(Number);
    if (values(epochs.value).length) axes.model = values(epochs.value).map(n => ({n_epochs: Number(n)}));
    if (envKey.value.trim() && values(envValues.value).length) axes.env = {[envKey.value.trim()]: values(envValues.value)};
    return axes;
  }
  const size = axes => Object.entries(axes).reduce((n, [axis, v]) => n * (axis === 'env'
    ? Object.values(v).reduce((m, list) => m * list.length, 1) : v.length), 1);
  el.addEventListener('input', () => {
    const axes = gridOf({dataset_ids: [...el.querySelectorAll('input[name=dataset_ids]:checked')].map(b => Number(b.value))});
    count.textContent = Object.keys(axes).length ? t('batches.count', {n: size(axes)}) : '';
  });

  await openDialog({
    title: t('batches.new'),
    wide: true,
    body: el,
    actions: [{label: t('tasks.submit'), primary: true, run: async () => {
      clearFieldErrors(el);
      const body = base.read();
      if (!body) return false;
      const axes = gridOf(body);
      const request = {base: body, grid: axes};
      if (name.value.trim()) request.name = name.value.trim();
      if (limit.value) request.max_concurrent = Number(limit.value);
      try {
        const batch = await api('/batches', {method: 'POST', json: request});
        toast(t('batches.createdToast', {name: batch.name || t('batches.unnamed')}));
        location.hash = `#/batches/${batch.id}`;
        return true;
      } catch (error) {
        // a refused value shows where it was typed: a grid axis, the grid's own fields, or the base task's form
        const axis = {loop_n: loops, n_epochs: epochs, env: envValues}[error.field];
        const own = String(error.field || '').startsWith('grid') ? 'grid' : error.field === 'max_concurrent' ? 'max_concurrent' : null;
        const where = axis?.value.trim() ? axis.name : own;
        if (!where) base.showError(error);
        else if (!showFieldError(el, where, errorText(error))) toastError(error);
        return false;
      }
    }}],
  });
}

export default {
  id: 'batches',
  mount,
  show,
  hide() {
    poll?.stop();
  },
  shortcut(key) {
    if (key === 'n') openNewBatch();
  },
};
