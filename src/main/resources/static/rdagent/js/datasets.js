// 数据集管理: stock pools (Qlib instruments files): list, upload, default, delete. Also the dataset list other
// tabs show names from.
import {api, ApiError} from './api.js';
import {t} from './i18n.js';
import {
  h, table, emptyState, confirmDialog, toast, toastError, showFieldError, clearFieldErrors, field, fmtTime, shortSha,
} from './ui.js';

const NAME = /^[a-z0-9_]{1,64}$/;
const FRESH_MS = 30000;
let cache = [];
let loadedAt = 0;
let root;
let list;

/** The datasets, from a cache younger than 30 s unless `fresh`. */
export async function listDatasets(fresh = false) {
  if (fresh || Date.now() - loadedAt > FRESH_MS) {
    try {
      cache = await api('/datasets');
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      cache = []; // no dataset API on this server: tasks then use the templates' own market
    }
    loadedAt = Date.now();
  }
  return cache;
}

/** A task's dataset by name; no dataset means the default one (or the templates' market). */
export function datasetLabel(id) {
  if (id === null || id === undefined) return h('span', {class: 'muted'}, t('common.default'));
  const dataset = cache.find(d => d.id === id);
  return dataset ? `${dataset.name} v${dataset.version}` : `#${id}`;
}

function mount(section) {
  root = section;
  list = h('div');
  root.append(uploadPanel(), h('div', {class: 'panel'},
    h('header', {}, h('h2', {}, t('datasets.title')), h('span', {class: 'grow'}),
      h('button', {type: 'button', onclick: () => load()}, t('common.refresh'))),
    list));
}

function uploadPanel() {
  const name = h('input', {name: 'name', placeholder: 'csi300_custom', pattern: '[a-z0-9_]{1,64}', style: 'width:200px'});
  const file = h('input', {name: 'file', type: 'file', accept: '.txt,text/plain'});
  const problems = h('div');
  file.addEventListener('change', () => {
    // the file name is a good first guess for the dataset (Qlib market) name
    if (!name.value && file.files[0]) {
      name.value = file.files[0].name.replace(/\.[^.]*$/, '').toLowerCase().replace(/[^a-z0-9_]+/g, '_').slice(0, 64);
    }
  });
  const panel = h('form', {class: 'panel', id: 'dataset-upload', 'data-needs': 'OPERATOR', onsubmit: async event => {
    event.preventDefault();
    clearFieldErrors(panel);
    problems.replaceChildren();
    if (!NAME.test(name.value)) return showFieldError(panel, 'name', t('datasets.nameRule'));
    if (!file.files.length) return showFieldError(panel, 'file', t('datasets.fileRequired'));
    const form = new FormData();
    form.append('name', name.value);
    form.append('file', file.files[0]);
    const button = panel.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const dataset = await api('/datasets/upload-instruments', {method: 'POST', form});
      toast(t('datasets.uploaded', {name: dataset.name, version: dataset.version, n: dataset.symbol_count}));
      panel.reset();
      await load();
    } catch (error) {
      showProblems(problems, error);
    } finally {
      button.disabled = false;
    }
  }},
  h('header', {}, h('h2', {}, t('datasets.upload'))),
  h('div', {class: 'toolbar'},
    field(t('datasets.name'), name, {hint: t('datasets.nameRule')}),
    field(t('datasets.file'), file, {hint: t('datasets.format')}),
    h('button', {type: 'submit', class: 'primary'}, t('datasets.uploadAction'))),
  problems);
  return panel;
}

/** A refused file: one line per bad line, as the server numbered them. */
function showProblems(box, error) {
  const lines = error.message.split(/;\s+|:\s+(?=line \d)/).filter(Boolean);
  box.replaceChildren(h('div', {class: 'form-error', id: 'upload-errors'},
    h('strong', {}, t('datasets.rejected')), lines.map(line => h('div', {}, line))));
  if (error.status !== 422 && error.status !== 400) toastError(error);
}

async function load() {
  const datasets = await listDatasets(true);
  list.replaceChildren(table([
    {label: t('datasets.default'), render: d => d.is_default ? h('span', {title: t('datasets.isDefault'), class: 'pos'}, '★') : ''},
    {label: t('datasets.name'), render: d => h('b', {}, d.name)},
    {label: t('datasets.version'), class: 'num', render: d => `v${d.version}`},
    {label: t('datasets.symbols'), class: 'num', render: d => String(d.symbol_count)},
    {label: t('datasets.range'), class: 'nowrap', render: d => `${d.start_date ?? '—'} ~ ${d.end_date ?? '—'}`},
    {label: 'provider_uri', render: d => h('span', {class: 'mono cell-clip', title: d.provider_uri}, d.provider_uri)},
    {label: 'sha256', render: d => h('span', {class: 'mono', title: d.sha256}, shortSha(d.sha256))},
    {label: t('datasets.created'), class: 'nowrap', render: d => fmtTime(d.created_at)},
    {label: t('tasks.actions'), class: 'actions', render: d => h('span', {class: 'actions', 'data-needs': 'OPERATOR'},
      !d.is_default && h('button', {type: 'button', class: 'link', 'data-action': 'default', onclick: () => makeDefault(d)},
        t('datasets.makeDefault')),
      h('button', {type: 'button', class: 'link danger', 'data-action': 'delete', onclick: () => remove(d)}, t('common.delete')))},
  ], datasets, {
    empty: emptyState(t('datasets.none'), t('datasets.noneNext')),
    rowProps: d => ({'data-dataset': d.name}),
  }));
}

async function makeDefault(dataset) {
  try {
    await api(`/datasets/${dataset.id}/default`, {method: 'POST'});
    toast(t('datasets.defaultSet', {name: dataset.name}));
  } catch (error) {
    toastError(error);
  }
  await load();
}

async function remove(dataset) {
  const ok = await confirmDialog({
    title: t('datasets.deleteTitle'),
    message: t('datasets.deleteConfirm', {name: dataset.name, version: dataset.version}),
    confirm: t('common.delete'),
  });
  if (!ok) return;
  try {
    await api(`/datasets/${dataset.id}`, {method: 'DELETE'});
    toast(t('datasets.deleted', {name: dataset.name}));
  } catch (error) {
    toast(error.status === 409 ? t('datasets.inUse') + '\n' + error.message : error.message, 'error');
  }
  await load();
}

export default {
  id: 'datasets',
  mount,
  show: () => load().catch(toastError),
};
