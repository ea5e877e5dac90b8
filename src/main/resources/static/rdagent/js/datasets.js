// 数据集管理: stock pools (Qlib instruments files): list, upload, default, delete; one dataset's versions, warnings
// and the diff between two versions (#/datasets/{id}, #/datasets/{id}/diff/{a}/{b}). Also the dataset names other
// tabs show, deleted versions included, each linked to its dataset.
import {api, ApiError, query} from './api.js';
import {t} from './i18n.js';
import {
  h, fill, table, emptyState, confirmDialog, toast, toastError, showFieldError, clearFieldErrors, field, fmtTime, shortSha,
} from './ui.js';

const FRESH_MS = 30000;
let cache = [];
let loadedAt = 0;
let root;
let list;
let detail;

/**
 * The datasets new tasks may use (deleted versions are left out), from a cache younger than 30 s unless `fresh`, or
 * unless a dataset of the tasks about to be `shown` (their dataset ids) is newer than the cache.
 */
export async function listDatasets(fresh = false, shown = []) {
  const unknown = shown.some(id => id !== null && id !== undefined && !cache.some(d => d.id === id));
  if (fresh || unknown || Date.now() - loadedAt > FRESH_MS) {
    try {
      cache = await api('/datasets' + query({include_deleted: true}));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      cache = []; // no dataset API on this server: tasks then use the templates' own market
    }
    loadedAt = Date.now();
  }
  return cache.filter(d => !d.deleted_at);
}

/** A task's dataset: name and version, linked to its dataset, with the diff from the version before. */
export function datasetLabel(id) {
  if (id === null || id === undefined) return h('span', {class: 'muted'}, t('common.default'));
  const dataset = cache.find(d => d.id === id);
  if (!dataset) return `#${id}`;
  return h('span', {class: 'dataset-label'},
    h('a', {href: `#/datasets/${id}`, title: dataset.market}, `${dataset.name} v${dataset.version}`),
    dataset.deleted_at && h('span', {class: 'muted'}, ` (${t('datasets.deletedTag')})`),
    dataset.version > 1 && [' ', diffLink(id, dataset.version - 1, dataset.version)]);
}

/** Links to the diffs between the versions that several tasks of one dataset ran on (the compare view). */
export function versionDiffs(ids) {
  const byMarket = new Map();
  for (const dataset of ids.map(id => cache.find(d => d.id === id)).filter(Boolean)) {
    const versions = byMarket.get(dataset.market) || new Map();
    versions.set(dataset.version, dataset);
    byMarket.set(dataset.market, versions);
  }
  return [...byMarket.values()].filter(versions => versions.size > 1).map(versions => {
    const sorted = [...versions.values()].sort((a, b) => a.version - b.version);
    return h('div', {class: 'muted', 'data-dataset-diffs': sorted[0].market}, `${sorted[0].name}: `,
      sorted.slice(1).map((dataset, i) => [i ? ' · ' : '', diffLink(dataset.id, sorted[i].version, dataset.version)]));
  });
}

function diffLink(id, from, to) {
  return h('a', {href: `#/datasets/${id}/diff/${from}/${to}`, class: 'diff-link'}, t('datasets.compareVersions', {a: from, b: to}));
}

function mount(section) {
  root = section;
  list = h('div');
  detail = h('div', {id: 'dataset-detail'});
  root.append(uploadPanel(), h('div', {class: 'panel'},
    h('header', {}, h('h2', {}, t('datasets.title')), h('span', {class: 'grow'}),
      h('button', {type: 'button', onclick: () => load()}, t('common.refresh'))),
    list), detail);
}

function uploadPanel() {
  const name = h('input', {name: 'name', placeholder: t('datasets.namePlaceholder'), maxlength: 100, style: 'width:200px'});
  const providerUri = h('input', {name: 'provider_uri', placeholder: t('datasets.providerUriDefault'), style: 'width:260px'});
  const file = h('input', {name: 'file', type: 'file', accept: '.txt,text/plain'});
  const problems = h('div');
  file.addEventListener('change', () => {
    // the file name is a good first guess for the dataset's name, which is kept exactly as given
    if (!name.value && file.files[0]) name.value = file.files[0].name.replace(/\.txt$/i, '').slice(0, 100);
  });
  const panel = h('form', {class: 'panel', id: 'dataset-upload', 'data-needs': 'OPERATOR', onsubmit: async event => {
    event.preventDefault();
    clearFieldErrors(panel);
    problems.replaceChildren();
    if (!name.value) return showFieldError(panel, 'name', t('datasets.nameRequired'));
    if (!file.files.length) return showFieldError(panel, 'file', t('datasets.fileRequired'));
    const form = new FormData();
    form.append('name', name.value);
    if (providerUri.value) form.append('provider_uri', providerUri.value);
    form.append('file', file.files[0]);
    const button = panel.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const dataset = await api('/datasets/upload-instruments', {method: 'POST', form});
      toast(t('datasets.uploaded', {name: dataset.name, version: dataset.version, n: dataset.symbol_count}));
      panel.reset();
      problems.replaceChildren(importNotes(dataset));
      await load();
    } catch (error) {
      showProblems(panel, problems, error);
    } finally {
      button.disabled = false;
    }
  }},
  h('header', {}, h('h2', {}, t('datasets.upload'))),
  h('div', {class: 'toolbar'},
    field(t('datasets.name'), name, {hint: t('datasets.nameRule')}),
    field('provider_uri', providerUri, {hint: t('datasets.providerUriHint')}),
    field(t('datasets.file'), file, {hint: t('datasets.format')}),
    h('button', {type: 'submit', class: 'primary'}, t('datasets.uploadAction'))),
  problems);
  return panel;
}

/** A refused upload: the lines at fault as the service numbered them, or the field it names. */
function showProblems(panel, box, error) {
  if (error.lines?.length) {
    box.replaceChildren(h('div', {class: 'form-error', id: 'upload-errors'},
      h('strong', {}, t('datasets.rejected')),
      error.lines.map(line => h('div', {'data-line': line.line}, t('datasets.line', {n: line.line}), line.message))));
  } else if (error.status === 400 && showFieldError(panel, error.field, error.message)) {
    // shown at its field
  } else if (error.status === 422 || error.status === 400) {
    box.replaceChildren(h('div', {class: 'form-error', id: 'upload-errors'}, h('strong', {}, t('datasets.rejected')),
      h('div', {}, error.message)));
  } else {
    toastError(error);
  }
}

/** What an import noticed: lines the data does not know (kept under warn) and symbols respelt as the data spells them. */
function importNotes(dataset) {
  if (!dataset.warning_count && !dataset.normalised_count) return '';
  return h('div', {class: 'notes', id: 'upload-notes'},
    dataset.warning_count > 0 && h('div', {class: 'warn'}, h('strong', {}, t('datasets.warningsN', {n: dataset.warning_count})),
      dataset.warnings.map(w => h('div', {'data-line': w.line}, t('datasets.line', {n: w.line}), w.message))),
    dataset.normalised_count > 0 && h('div', {class: 'muted'}, h('strong', {}, t('datasets.normalisedN', {n: dataset.normalised_count})),
      dataset.normalised.map(n => h('div', {}, t('datasets.line', {n: n.line}), `${n.from} → ${n.to}`))));
}

async function load() {
  const datasets = await listDatasets(true);
  list.replaceChildren(table([
    {label: t('datasets.default'), render: d => d.is_default ? h('span', {title: t('datasets.isDefault'), class: 'pos'}, '★') : ''},
    {label: t('datasets.name'), render: d => [h('b', {}, d.name), ' ', h('span', {class: 'mono muted', title: t('datasets.marketHint')}, d.market)]},
    {label: t('datasets.version'), class: 'num', render: d => h('a', {href: `#/datasets/${d.id}`}, `v${d.version}`)},
    {label: t('datasets.symbols'), class: 'num', render: d => String(d.symbol_count)},
    {label: t('datasets.range'), class: 'nowrap', render: d => `${d.start_date ?? '—'} ~ ${d.end_date ?? '—'}`},
    {label: t('datasets.warnings'), class: 'num', render: d => d.warning_count
      ? h('a', {href: `#/datasets/${d.id}`, class: 'warn'}, `⚠ ${d.warning_count}`) : '0'},
    {label: 'provider_uri', render: d => h('span', {class: 'mono cell-clip', title: d.provider_uri}, d.provider_uri)},
    {label: 'sha256', render: d => h('span', {class: 'mono', title: d.sha256}, shortSha(d.sha256))},
    {label: t('datasets.created'), class: 'nowrap', render: d => fmtTime(d.created_at)},
    {label: t('tasks.actions'), class: 'actions', render: d => h('span', {class: 'actions'},
      h('a', {href: `#/datasets/${d.id}`, 'data-action': 'versions'}, t('datasets.versions')),
      h('span', {'data-needs': 'OPERATOR'},
        !d.is_default && h('button', {type: 'button', class: 'link', 'data-action': 'default', onclick: () => makeDefault(d)},
          t('datasets.makeDefault')),
        h('button', {type: 'button', class: 'link danger', 'data-action': 'delete', onclick: () => remove(d)}, t('common.delete'))))},
  ], datasets, {
    empty: emptyState(t('datasets.none'), t('datasets.noneNext')),
    rowProps: d => ({'data-dataset': d.name, 'data-dataset-id': d.id}),
  }));
}

/** One dataset: its market and data folder, every version (deleted ones marked), one version's notes, and a diff. */
async function showDataset(id, diff) {
  const versions = await api(`/datasets/${id}/versions`);
  const chosen = versions.find(v => v.id === id) || versions[0];
  const numbers = versions.map(v => v.version);
  const [a, b] = diff || [Math.min(...numbers), Math.max(...numbers)];
  const from = versionSelect('from', numbers, a);
  const to = versionSelect('to', numbers, b);
  const result = h('div', {id: 'dataset-diff'});
  const compare = () => { location.hash = `#/datasets/${id}/diff/${from.value}/${to.value}`; };
  fill(detail, h('div', {class: 'panel'},
    h('header', {}, h('h2', {}, chosen.name), h('span', {class: 'mono muted', id: 'dataset-market'}, 'market: ', chosen.market),
      h('span', {class: 'grow'}), h('a', {href: '#/datasets'}, t('common.close'))),
    table([
      {label: t('datasets.version'), class: 'num', render: v => h('a', {href: `#/datasets/${v.id}`}, `v${v.version}`)},
      {label: t('datasets.symbols'), class: 'num', render: v => String(v.symbol_count)},
      {label: t('datasets.range'), class: 'nowrap', render: v => `${v.start_date ?? '—'} ~ ${v.end_date ?? '—'}`},
      {label: t('datasets.warnings'), class: 'num', render: v => String(v.warning_count)},
      {label: 'provider_uri', render: v => h('span', {class: 'mono cell-clip', title: v.provider_uri}, v.provider_uri)},
      {label: t('datasets.encoding'), render: v => v.encoding || '—'},
      {label: t('datasets.created'), class: 'nowrap', render: v => `${fmtTime(v.created_at)} · ${v.operator || '—'}`},
      {label: '', render: v => v.deleted_at
        ? h('span', {class: 'muted'}, t('datasets.deletedAt', {time: fmtTime(v.deleted_at), who: v.deleted_by || '—'})) : ''},
    ], versions, {rowProps: v => ({'data-version': v.version, class: v.id === chosen.id ? 'selected' : ''})}),
    h('h3', {}, t('datasets.notesOf', {version: chosen.version})),
    importNotes(chosen) || h('div', {class: 'muted'}, t('datasets.noNotes')),
    versions.length > 1 && [h('h3', {}, t('datasets.diff')),
      h('div', {class: 'toolbar'}, from, '→', to, h('button', {type: 'button', id: 'dataset-compare', onclick: compare},
        t('datasets.compare'))), result]));
  if (versions.length > 1 && diff) {
    const answer = await api(`/datasets/${id}/versions/${a}/diff/${b}`);
    fill(result, renderDiff(answer));
  }
}

function versionSelect(name, numbers, value) {
  return h('select', {name}, numbers.map(n => h('option', {value: n, selected: n === Number(value)}, `v${n}`)));
}

function renderDiff(diff) {
  const periods = list => list.map(p => `${p.start}..${p.end}`).join(', ');
  const lines = [
    ...diff.added.map(symbol => h('div', {class: 'add'}, `+ ${symbol}`)),
    ...diff.removed.map(symbol => h('div', {class: 'del'}, `- ${symbol}`)),
    ...diff.changed.map(c => h('div', {class: 'hunk'}, `~ ${c.symbol}  ${periods(c.from)} → ${periods(c.to)}`)),
  ];
  return [h('div', {class: 'muted'}, t('datasets.diffSummary', {a: diff.from.version, b: diff.to.version,
    added: diff.added.length, removed: diff.removed.length, changed: diff.changed.length})),
  lines.length ? h('div', {class: 'diff'}, lines) : h('div', {class: 'muted'}, t('datasets.noDiff'))];
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

function show([id, what, a, b] = []) {
  load().catch(toastError);
  if (Number(id) > 0) {
    showDataset(Number(id), what === 'diff' ? [Number(a), Number(b)] : null).catch(toastError);
  } else {
    detail.replaceChildren();
  }
}

export default {
  id: 'datasets',
  mount,
  show,
};
