// 任务管理: the task table (filters, paging, auto-refresh, row actions) and the new-task form, which the
// schedules tab reuses for a schedule's task.
import {api, apiUrl, query} from './api.js';
import {t} from './i18n.js';
import {
  h, table, emptyState, openDialog, confirmDialog, toast, toastError, showFieldError, clearFieldErrors, field, select,
  badge, progressBar, fmtTime, fmtDuration, fmtPct, fmtNum, debounce, poller, errorText,
} from './ui.js';
import {listDatasets, datasetLabel} from './datasets.js';
import {versionLabel, versionState} from './config.js';
import {cnyRate, costCell} from './cost.js';

export const STATUSES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT'];
export const ACTIVE = new Set(['PENDING', 'RUNNING']);
export const ANNUAL_RETURN = '1day.excess_return_with_cost.annualized_return';
/** What a task may rank its accepted experiments by (rank_by). */
const RANKINGS = ['annualized_return', 'information_ratio', 'max_drawdown', 'ic', 'icir', 'rank_ic', 'rank_icir'];
const RESUMABLE = new Set(['FAILED', 'CANCELLED', 'TIMED_OUT']);
const MAX_COMPARE = 50;
/** The list's query kept in the URL (#/tasks?sort=-ic&accepted=true…): shareable, kept over a reload. */
const KEPT = ['status', 'q', 'sort', 'accepted', 'starred', 'tag', 'min_ic', 'page', 'size'];

const state = {status: '', q: '', sort: '', accepted: '', starred: '', tag: '', min_ic: '', page: 0, size: 20,
  data: null, selected: new Set(), cny: null};
let root;
let list;
let poll;

function mount(section) {
  root = section;
}

function toolbar() {
  const status = select('status', [['', t('tasks.allStatuses')], ...STATUSES.map(s => [s, t('status.' + s)])], state.status);
  status.addEventListener('change', () => refilter({status: status.value}));
  const search = h('input', {type: 'search', placeholder: t('tasks.search'), value: state.q, 'data-search': true,
    'aria-label': t('tasks.search'), style: 'width:180px'});
  search.addEventListener('input', debounce(() => refilter({q: search.value.trim()})));
  const tag = h('input', {type: 'search', name: 'tag', list: 'tag-suggestions', placeholder: t('tasks.tag'),
    value: state.tag, 'aria-label': t('tasks.tag'), style: 'width:120px'});
  tag.addEventListener('input', debounce(() => refilter({tag: tag.value.trim()})));
  const minIc = h('input', {type: 'number', name: 'min_ic', step: '0.01', placeholder: t('tasks.minIc'),
    value: state.min_ic, 'aria-label': t('tasks.minIc'), style: 'width:90px'});
  minIc.addEventListener('input', debounce(() => refilter({min_ic: minIc.value})));
  const toggle = (name, label) => {
    const box = h('input', {type: 'checkbox', name, checked: state[name] === 'true',
      onchange: event => refilter({[name]: event.target.checked ? 'true' : ''})});
    return h('label', {class: 'toggle'}, box, ' ', label);
  };
  const compare = h('button', {type: 'button', id: 'compare-selected', onclick: () => {
    location.hash = '#/monitor/compare/' + [...state.selected].join(',');
  }}, t('tasks.compare'));
  return h('header', {},
    h('h2', {}, t('tab.tasks')), status, search, tag, minIc,
    toggle('accepted', t('tasks.acceptedOnly')), toggle('starred', t('tasks.starredOnly')),
    h('datalist', {id: 'tag-suggestions'}),
    h('button', {type: 'button', onclick: () => poll.now()}, t('common.refresh')),
    h('span', {class: 'grow'}),
    h('a', {class: 'button', id: 'export-csv', download: '', href: apiUrl('/tasks.csv')}, t('tasks.exportCsv')),
    compare,
    h('button', {type: 'button', class: 'primary', id: 'new-task', 'aria-keyshortcuts': 'n', 'data-needs': 'OPERATOR',
      onclick: () => openNewTask()},
      t('tasks.new')));
}

/** The filters and sort of the list, without paging: what the CSV exports too. */
function listQuery() {
  return {status: state.status, q: state.q, sort: state.sort, accepted: state.accepted, starred: state.starred,
    tag: state.tag, min_ic: state.min_ic};
}

function refilter(change) {
  Object.assign(state, change, {page: 0});
  keepInUrl();
  poll.now();
}

function keepInUrl() {
  const kept = Object.fromEntries(KEPT.map(key => [key, key === 'page' && !state.page ? ''
    : key === 'size' && state.size === 20 ? '' : state[key]]));
  history.replaceState(null, '', '#/tasks' + query(kept));
}

function readUrl() {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  for (const key of KEPT) {
    const value = params.get(key) ?? '';
    state[key] = key === 'page' ? Number(value) || 0 : key === 'size' ? Number(value) || 20 : value;
  }
}

/** Tags in use, offered while typing one. */
async function suggestTags() {
  const tags = await api('/tasks/tags').catch(() => []);
  document.querySelectorAll('#tag-suggestions').forEach(list =>
    list.replaceChildren(...tags.map(entry => h('option', {value: entry.tag}))));
}

async function load() {
  state.cny = await cnyRate();
  state.data = await api('/tasks' + query({...listQuery(), page: state.page, size: state.size}));
  // Ensure dataset names are known before the rows render them.
  await listDatasets(false, state.data.items.map(task => task.dataset_id));
  render();
}

function render() {
  if (!state.data) return;
  const {items, total, page, size} = state.data;
  const compare = root.querySelector('#compare-selected');
  compare.disabled = state.selected.size < 2 || state.selected.size > MAX_COMPARE;
  compare.textContent = t('tasks.compare') + (state.selected.size ? ` (${state.selected.size})` : '');
  root.querySelector('#export-csv').href = apiUrl('/tasks.csv' + query(listQuery()));
  const filtered = state.status || state.q || state.accepted || state.starred || state.tag || state.min_ic;
  const empty = filtered
    ? emptyState(t('tasks.noMatch'), t('tasks.noMatchNext'))
    : emptyState(t('tasks.none'), h('button', {type: 'button', class: 'link', onclick: () => openNewTask()}, t('tasks.noneNext')));
  const pages = Math.max(1, Math.ceil(total / size));
  list.replaceChildren(
    table(columns(), items, {
      empty,
      sort: state.sort || '-id',
      onSort: sort => refilter({sort}),
      rowProps: task => ({'data-task-id': task.id, class: state.selected.has(task.id) ? 'selected' : ''}),
    }),
    h('div', {class: 'pager'},
      t('common.pageOf', {page: page + 1, pages, total}),
      h('button', {type: 'button', disabled: page === 0, onclick: () => goto(page - 1)}, t('common.prev')),
      h('button', {type: 'button', disabled: page + 1 >= pages, onclick: () => goto(page + 1)}, t('common.next')),
      select('size', [10, 20, 50, 100].map(n => [n, t('common.perPage', {n})]), size)));
  list.querySelector('select[name=size]').addEventListener('change', event => {
    refilter({size: Number(event.target.value)});
  });
}

function goto(page) {
  state.page = page;
  keepInUrl();
  poll.now();
}

function columns() {
  return [
    {label: '', render: task => h('input', {type: 'checkbox', checked: state.selected.has(task.id),
      'aria-label': t('tasks.select', {id: task.id}), onchange: event => {
        if (event.target.checked) state.selected.add(task.id);
        else state.selected.delete(task.id);
        render();
      }})},
    {label: '', render: task => starButton(task, () => poll.now())},
    {label: 'ID', class: 'num', sort: 'id', render: task => h('a', {href: `#/monitor/${task.id}`}, String(task.id))},
    {label: t('tasks.name'), render: task => h('div', {class: 'cell-clip', title: task.name || ''},
      task.name || h('span', {class: 'muted'}, t('tasks.unnamed')), ' ', h('span', {class: 'muted'}, task.scenario),
      ' ', tagChips(task, () => poll.now()))},
    {label: t('tasks.dataset'), render: task => datasetLabel(task.dataset_id)},
    {label: t('tasks.loopDuration'), class: 'nowrap', render: task =>
      `${task.params?.loop_n ?? '—'} / ${task.params?.all_duration ?? '—'}`},
    {label: t('tasks.evolving'), render: task => task.params?.evolving_mode
      ? t('evolving.' + task.params.evolving_mode) : h('span', {class: 'muted'}, t('common.default'))},
    {label: t('tasks.status'), render: task => h('span', {title: task.error || task.stop_reason || ''}, badge(task.status))},
    {label: t('tasks.progress'), render: taskProgress},
    {label: t('tasks.started'), class: 'nowrap', sort: 'created_at', render: task => fmtTime(task.started_at)},
    {label: t('tasks.duration'), class: 'nowrap num', sort: 'duration', render: task => fmtDuration(elapsed(task))},
    {label: 'IC', class: 'num', sort: 'ic', render: task => fmtNum(task.metrics?.sota?.values?.ic)},
    {label: t('tasks.sotaReturn'), class: 'num', sort: 'annualized_return',
      render: task => signed(task.metrics?.sota?.values?.annualized_return)},
    {label: t('tasks.maxDrawdown'), class: 'num', sort: 'max_drawdown',
      render: task => signed(task.metrics?.sota?.values?.max_drawdown)},
    {label: t('tasks.bestReturn'), class: 'num', sort: 'best_annualized_return',
      render: task => signed(task.metrics?.best?.values?.annualized_return)},
    {label: t('tasks.cost'), class: 'num', sort: 'cost', render: task => costCell(task.cost, state.cny)},
    {label: t('tasks.actions'), class: 'actions', render: actions},
  ];
}

const signed = value => h('span', {class: value > 0 ? 'pos' : value < 0 ? 'neg' : ''}, fmtPct(value));

/** ☆/★: a click stars or unstars the task (OPERATOR); shared with the monitor. */
export function starButton(task, after) {
  return h('button', {type: 'button', class: 'link star', 'data-action': 'star', 'data-needs': 'OPERATOR',
    'aria-pressed': String(!!task.starred), title: t(task.starred ? 'tasks.unstar' : 'tasks.star'),
    onclick: async () => {
      try {
        await api(`/tasks/${task.id}`, {method: 'PATCH', json: {starred: !task.starred}});
        after();
      } catch (error) {
        toastError(error);
      }
    }}, task.starred ? '★' : '☆');
}

/** The task's tags and a pencil that edits tags and note; shared with the monitor. */
export function tagChips(task, after) {
  return h('span', {class: 'tags'},
    (task.tags || []).map(tag => h('a', {class: 'tag', href: '#/tasks' + query({tag})}, tag)),
    task.note && h('span', {class: 'muted', title: task.note}, '📝'),
    h('button', {type: 'button', class: 'link', 'data-action': 'labels', 'data-needs': 'OPERATOR',
      title: t('tasks.editLabels'), onclick: () => editLabels(task, after)}, '✎'));
}

/** Tags (comma-separated, suggestions from those in use) and the note; nothing changes on a refusal. */
export async function editLabels(task, after) {
  const tags = h('input', {name: 'tags', list: 'tag-suggestions', value: (task.tags || []).join(', '),
    placeholder: t('tasks.tagsHint')});
  const note = h('textarea', {name: 'note', rows: 6, maxlength: 4000}, task.note || '');
  suggestTags();
  await openDialog({
    title: t('tasks.labelsTitle', {id: task.id}),
    body: [h('datalist', {id: 'tag-suggestions'}), field(t('tasks.tags'), tags), field(t('tasks.note'), note)],
    actions: [{label: t('common.save'), primary: true, run: async () => {
      const form = tags.form;
      clearFieldErrors(form);
      try {
        await api(`/tasks/${task.id}`, {method: 'PATCH', json: {
          tags: tags.value.split(/[,，]/).map(tag => tag.trim()).filter(Boolean), note: note.value}});
        after();
        return true;
      } catch (error) {
        if (!showFieldError(form, error.field, error.message)) toastError(error);
        return false;
      }
    }}],
  });
}

/** The run's progress bar: percent of the loops, with loop and step, coloured by outcome. */
export function taskProgress(task, big = false) {
  const p = task.progress || {};
  const percent = task.status === 'SUCCEEDED' ? 100 : p.percent ?? 0;
  const state = task.status === 'SUCCEEDED' ? 'done' : ACTIVE.has(task.status) ? '' : 'failed';
  // loops are numbered from 0, as RD-Agent and the API number them
  const loop = p.loop === null || p.loop === undefined ? ''
    : `${t('monitor.loopN', {n: p.loop})}${p.loops_total ? ' ' + t('tasks.loopsTotal', {n: p.loops_total}) : ''} · ${p.step_name ?? ''} · `;
  return progressBar(percent, task.status === 'PENDING' ? t('status.PENDING') : `${loop}${Math.round(percent)}%`,
    state, big);
}

/** Run time so far, or in all once finished. */
export function elapsed(task) {
  if (!task.started_at) return null;
  const end = task.finished_at ? new Date(task.finished_at) : new Date();
  return end - new Date(task.started_at);
}

function actions(task) {
  const act = (name, label, run, danger) => h('button', {type: 'button', class: 'link' + (danger ? ' danger' : ''),
    'data-action': name, 'data-needs': 'OPERATOR', onclick: run}, label);
  return [
    h('a', {href: `#/monitor/${task.id}`, 'data-action': 'monitor'}, t('tasks.monitor')),
    ACTIVE.has(task.status) && act('cancel', t('tasks.cancel'), () => cancelTask(task), true),
    !ACTIVE.has(task.status) && act('rerun', t('tasks.rerun'), () => rerun(task)),
    act('clone', t('tasks.clone'), () => cloneTask(task)),
    RESUMABLE.has(task.status) && act('resume', t('tasks.resume'), () => resume(task)),
    task.archive_path && h('a', {href: apiUrl(`/tasks/${task.id}/artifacts.zip`), download: '', 'data-action': 'download'},
      t('tasks.download')),
  ];
}

/** Cancels after a confirmation that names the task; shared with the monitor. */
export async function cancelTask(task, after = () => poll?.now()) {
  const ok = await confirmDialog({
    title: t('tasks.cancelTitle'),
    message: t('tasks.cancelConfirm', {id: task.id, name: task.name || t('tasks.unnamed'), status: t('status.' + task.status)}),
    confirm: t('tasks.cancelAction'),
  });
  if (!ok) return;
  try {
    const updated = await api(`/tasks/${task.id}/cancel`, {method: 'POST'});
    // a running task stops in its own time (SIGINT, then SIGKILL): say so rather than "running"
    toast(updated.status === 'RUNNING' ? t('tasks.stopping', {id: task.id})
      : t('tasks.cancelled', {id: task.id, status: t('status.' + updated.status)}));
  } catch (error) {
    toastError(error);
  }
  after();
}

async function rerun(task) {
  try {
    const created = await api(`/tasks/${task.id}/rerun`, {method: 'POST'});
    toast(t('tasks.rerunDone', {id: task.id, created: createdIds(created).join(', ')}));
    poll.now();
  } catch (error) {
    toastError(error);
  }
}

async function resume(task) {
  try {
    await api(`/tasks/${task.id}/resume`, {method: 'POST'});
    toast(t('tasks.resumed', {id: task.id}));
    poll.now();
  } catch (error) {
    toastError(error);
  }
}

/** A created task, or a fan-out {batch_id, tasks}: the ids either way. */
const createdIds = created => (created.tasks || [created]).map(task => task.id);

/**
 * "基于此任务新建": the new-task dialog filled with the task's parameters, dataset and template versions; the task
 * created records it as cloned_from. A rerun, by contrast, repeats the task exactly.
 */
export function cloneTask(task) {
  const versions = Object.values(task.config || {}).map(entry => entry.history_id ?? entry.version_id).filter(Boolean);
  return openNewTask({...task.params, source_history_ids: versions}, task.id);
}

/** The new-task dialog; initial pre-fills it, clonedFrom names the task it was filled from. */
export async function openNewTask(initial = {}, clonedFrom = null) {
  const form = await taskForm(initial);
  await openDialog({
    title: clonedFrom ? t('tasks.cloneTitle', {id: clonedFrom}) : t('tasks.new'),
    wide: true,
    body: form.el,
    actions: [{label: t('tasks.submit'), primary: true, run: async () => {
      const params = form.read();
      if (!params) return false;
      if (clonedFrom) params.cloned_from = clonedFrom;
      try {
        const created = await api('/tasks', {method: 'POST', json: params});
        const ids = createdIds(created);
        toast(ids.length > 1 ? t('tasks.createdMany', {count: ids.length, ids: ids.join(', ')})
          : t('tasks.created', {id: ids[0]}));
        poll?.now();
        return true;
      } catch (error) {
        form.showError(error);
        return false;
      }
    }}],
  });
}

// --- the task form (SPEC 5.1), shared with schedules ---

/** yyyy-mm-dd naming a real day. */
function isoDate(text) {
  const day = new Date(text + 'T00:00:00Z');
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(day.getTime()) && day.toISOString().startsWith(text);
}

const DURATION = /^\d+(\.\d+)?[smhd]?$/;
const ENV_KEY = /^[A-Z][A-Z0-9_]*$/;
const RESERVED_ENV = new Set(['LOG_TRACE_PATH', 'WORKSPACE_PATH', 'PYTHONPATH', 'LOG_UI_SERVER_PORT', 'PYTHONUNBUFFERED']);
const DATES = ['train_start', 'train_end', 'valid_start', 'valid_end', 'test_start', 'test_end'];
const ADVANCED = new Set(['step_n', 'priority', 'callback_url', 'env']);
const INTS = {loop_n: [1, 1000], step_n: [1, 1000000], n_epochs: [1, 1000000], batch_size: [1, 1000000],
  n_jobs: [1, 1024], priority: [-1000, 1000]};

/**
 * The new-task fields, filled from `initial` (a POST /tasks body). read() returns the body to send, or null after
 * marking what is wrong; showError(error) places a server refusal next to its field.
 */
export async function taskForm(initial = {}) {
  const [datasets, templates] = await Promise.all([listDatasets(), api('/templates').catch(() => [])]);
  const number = (name, placeholder) => h('input', {name, type: 'number', step: 1, value: initial[name] ?? '', placeholder});
  const text = (name, placeholder) => h('input', {name, value: initial[name] ?? '', placeholder});

  const chosen = new Set(initial.dataset_ids || []);
  const fanout = h('span', {class: 'hint'});
  const datasetBoxes = datasets.map(d => h('label', {},
    h('input', {type: 'checkbox', name: 'dataset_ids', value: d.id, checked: chosen.has(d.id)}),
    `${d.is_default ? '★ ' : ''}${d.name} v${d.version} (${t('datasets.symbolsN', {n: d.symbol_count})})`));
  const describeFanout = () => {
    const n = datasetBoxes.filter(label => label.querySelector('input').checked).length;
    const fallback = datasets.find(d => d.is_default);
    fanout.textContent = n > 1 ? t('tasks.fanout', {n})
      : n === 1 ? t('tasks.oneDataset')
        : fallback ? t('tasks.defaultDataset', {name: fallback.name}) : t('tasks.templateMarket');
  };
  datasetBoxes.forEach(label => label.querySelector('input').addEventListener('change', describeFanout));
  describeFanout();

  const sourceBox = configSource(templates.filter(f => f.editable), initial.source_history_ids || []);
  const knowledge = h('input', {type: 'checkbox', name: 'knowledge_base', checked: !!initial.knowledge_base});
  const env = h('textarea', {name: 'env', rows: 3, placeholder: 'KEY=value',
    value: Object.entries(initial.env || {}).map(([k, v]) => `${k}=${v}`).join('\n')});

  const el = h('div', {class: 'task-form'},
    h('div', {class: 'form'},
      field(t('tasks.name'), text('name', t('tasks.namePlaceholder')), {wide: true}),
      field(t('tasks.scenario'), select('scenario', [['fin_quant', 'fin_quant'], ['fin_factor', 'fin_factor'],
        ['fin_model', 'fin_model']], initial.scenario || 'fin_quant')),
      field(t('tasks.evolving'), select('evolving_mode', [['', t('common.default')],
        ...['bandit', 'llm', 'random'].map(m => [m, t('evolving.' + m)])], initial.evolving_mode)),
      field(t('tasks.rankBy'), select('rank_by', [['', t('common.default')],
        ...RANKINGS.map(m => [m, t('rank.' + m)])], initial.rank_by), {hint: t('tasks.rankByHint')}),
      field(t('tasks.datasets'), datasets.length
        ? h('div', {class: 'checklist', 'data-field': 'dataset_ids'}, datasetBoxes)
        : h('div', {class: 'muted', 'data-field': 'dataset_ids'}, t('tasks.noDatasets')), {full: true, group: true, hint: fanout}),
      field('loop_n', number('loop_n', t('tasks.loopHint')), {hint: t('tasks.loopN')}),
      field('all_duration', text('all_duration', '1h / 90m / 3600'), {hint: t('tasks.allDuration')}),
      field('timeout', text('timeout', '4h'), {hint: t('tasks.timeout')}),
      field(t('tasks.knowledgeBase'), h('span', {class: 'switch'}, knowledge, t('tasks.knowledgeBaseOn')), {group: true}),
      field('n_epochs', number('n_epochs')),
      field('batch_size', number('batch_size')),
      field('n_jobs', number('n_jobs')),
      h('span'),
      // text, not type=date: the browser's date picker shows its locale's format (mm/dd/yyyy), not ISO
      DATES.map(name => field(t('tasks.' + name), h('input', {name, class: 'date', value: initial[name] ?? '',
        placeholder: 'yyyy-mm-dd', pattern: '\\d{4}-\\d{2}-\\d{2}', inputmode: 'numeric', maxlength: 10}))),
      field(t('tasks.configSource'), sourceBox.el, {full: true, group: true})),
    h('details', {class: 'more', open: !!(initial.env || initial.priority || initial.callback_url || initial.step_n)},
      h('summary', {}, t('tasks.more')),
      h('div', {class: 'form'},
        field('step_n', number('step_n'), {hint: t('tasks.stepN')}),
        field(t('tasks.priority'), number('priority', '0'), {hint: t('tasks.priorityHint')}),
        field('callback_url', text('callback_url', 'https://…'), {wide: true}),
        field(t('tasks.env'), env, {full: true, hint: t('tasks.envHint')}))));

  const value = name => el.querySelector(`[name="${name}"]`).value.trim();

  function read() {
    clearFieldErrors(el);
    const body = {};
    const errors = [];
    const fail = (name, message) => errors.push([name, message]);
    // a name is kept exactly as typed
    const name = el.querySelector('[name="name"]').value;
    if (name.length > 100) fail('name', t('v.maxLength', {n: 100}));
    if (name) body.name = name;
    body.scenario = value('scenario');
    const ids = [...el.querySelectorAll('input[name=dataset_ids]:checked')].map(box => Number(box.value));
    if (ids.length) body.dataset_ids = ids;
    for (const [field, [min, max]] of Object.entries(INTS)) {
      const raw = value(field);
      if (!raw) continue;
      const n = Number(raw);
      if (!Number.isInteger(n) || n < min || n > max) fail(field, t('v.intRange', {min, max}));
      else body[field] = n;
    }
    for (const field of ['all_duration', 'timeout']) {
      const raw = value(field);
      if (!raw) continue;
      if (!DURATION.test(raw)) fail(field, t('v.duration'));
      else body[field] = raw;
    }
    if (value('evolving_mode')) body.evolving_mode = value('evolving_mode');
    if (value('rank_by')) body.rank_by = value('rank_by');
    if (knowledge.checked) body.knowledge_base = true;
    let previous = null;
    for (const field of DATES) {
      const raw = value(field);
      if (!raw) continue;
      if (!isoDate(raw)) {
        fail(field, t('v.isoDate'));
        continue;
      }
      if (previous && raw < previous[1]) fail(field, t('v.dateOrder', {other: t('tasks.' + previous[0]), date: previous[1]}));
      body[field] = raw;
      previous = [field, raw];
    }
    const url = value('callback_url');
    if (url && !/^https?:\/\/[^/\s]+/i.test(url)) fail('callback_url', t('v.url'));
    else if (url) body.callback_url = url;
    const vars = {};
    for (const line of env.value.split('\n').map(l => l.trim()).filter(l => l && !l.startsWith('#'))) {
      const eq = line.indexOf('=');
      const key = eq > 0 ? line.slice(0, eq).trim() : line;
      if (eq <= 0 || !ENV_KEY.test(key)) fail('env', t('v.envKey', {line}));
      else if (RESERVED_ENV.has(key)) fail('env', t('v.envReserved', {key}));
      else vars[key] = line.slice(eq + 1).trim();
    }
    if (Object.keys(vars).length) body.env = vars;
    const history = sourceBox.ids();
    if (history.length) body.source_history_ids = history;
    if (errors.length) {
      errors.forEach(([field, message]) => mark(field, message));
      return null;
    }
    return body;
  }

  // a field inside the closed "more" section is opened so its message shows
  function mark(field, message) {
    const shown = showFieldError(el, field, message);
    if (shown && ADVANCED.has(field)) el.querySelector('details.more').open = true;
    return shown;
  }

  function showError(error) {
    clearFieldErrors(el);
    const field = error.field === 'sourceHistoryId' ? 'source_history_ids' : error.field;
    const message = errorText(error);
    if (!mark(field, message)) el.prepend(h('div', {class: 'form-error'}, message));
  }

  return {el, read, showError};
}

/** "Current templates" or, per template, a version from its history. */
function configSource(templates, pinned) {
  const selects = new Map();
  const versions = h('div', {class: 'form', hidden: !pinned.length});
  const mode = current => h('label', {class: 'switch'},
    h('input', {type: 'radio', name: 'config_source', value: current ? 'current' : 'history',
      checked: current ? !pinned.length : !!pinned.length, onchange: event => switchTo(event.target.value)}),
    t(current ? 'tasks.sourceCurrent' : 'tasks.sourceHistory'));

  async function switchTo(which) {
    versions.hidden = which !== 'history';
    if (which !== 'history' || selects.size) return;
    const histories = await Promise.all(templates.map(f =>
      api('/templates/history' + query({file: f.file, size: 50})).catch(() => ({items: []}))));
    // a pinned version older than the newest 50 is fetched by its id: a pin is never silently dropped
    const listed = new Set(histories.flatMap(history => history.items.map(v => v.id)));
    const older = await Promise.all(pinned.filter(id => !listed.has(id)).map(id =>
      api(`/templates/history/${id}`).catch(error => toastError(error))));
    older.filter(Boolean).forEach(v => histories[templates.findIndex(f => f.file === v.file)]?.items.push(v));
    templates.forEach((f, i) => {
      const choice = select('history:' + f.file, [['', t('tasks.sourceCurrentVersion')],
        ...histories[i].items.map(v => [v.id, `${versionLabel(v)} · ${versionState(v)}`])]);
      const pin = histories[i].items.find(v => pinned.includes(v.id));
      if (pin) choice.value = pin.id;
      selects.set(f.file, choice);
      versions.append(field(f.name, choice, {wide: true}));
    });
  }

  if (pinned.length) switchTo('history');
  return {
    el: h('div', {'data-field': 'source_history_ids'}, h('div', {class: 'toolbar'}, mode(true), mode(false)), versions),
    ids: () => versions.hidden ? [] : [...selects.values()].map(s => Number(s.value)).filter(Boolean),
  };
}

export default {
  id: 'tasks',
  mount,
  show() {
    poll?.stop();
    // the filters come from the URL: a shared link or a reload shows the same list
    readUrl();
    list = h('div');
    root.replaceChildren(h('div', {class: 'panel'}, toolbar(), list));
    suggestTags();
    poll = poller(load, () => state.data?.items.some(task => ACTIVE.has(task.status)) ? 2000 : 15000);
  },
  hide() {
    poll?.stop();
  },
  shortcut(key) {
    if (key === 'n') openNewTask();
  },
};
