// 配置中心: RD-Agent's .env (grouped form, secrets never shown) and its five Qlib templates (editor with line
// numbers, validation at the line, consistency report); both with their versions, diff and rollback. Also a
// task's own config in its detail (taskConfigPanel), and how a version is named everywhere (versionLabel).
import {api, query} from './api.js';
import {t} from './i18n.js';
import {
  h, fill, table, emptyState, openDialog, toast, toastError, showFieldError, clearFieldErrors, fmtTime, fmtBytes,
  shortSha,
} from './ui.js';

/** A version as every list, picker and dialog names it: its id, its own note (or how it came to be), its time. */
export function versionLabel(v) {
  return `#${v.id} · ${v.note || t('config.kinds.' + v.kind)} · ${fmtTime(v.created_at)}`;
}

/** Where a version stands: the file's current one, or when and by which version it was replaced. */
export function versionState(v) {
  if (v.current) return t('config.currentVersion');
  if (v.replaced_by) return t('config.replacedBy', {time: fmtTime(v.replaced_at), id: v.replaced_by});
  return v.kind === 'legacy' ? t('config.legacyFrom', {path: v.source_path}) : '—';
}

/** A note the user typed, sent exactly as typed; none when the field is empty. */
const noteOf = input => (input.value === '' ? {} : {note: input.value});

let root;
let view = 'env';
const env = {data: null, box: null, history: null};
const tpl = {files: [], file: null, content: null, box: null, history: null};

function mount(section) {
  root = section;
  const tabs = ['env', 'templates'].map(name => h('button', {type: 'button', 'data-view': name,
    'aria-selected': String(view === name), onclick: () => switchView(name)}, t('config.' + name)));
  env.box = h('div', {class: 'config-env', hidden: view !== 'env'});
  tpl.box = h('div', {class: 'config-templates', hidden: view !== 'templates'});
  root.append(h('div', {class: 'subnav'}, tabs), env.box, tpl.box);
}

function switchView(name) {
  view = name;
  root.querySelectorAll('.subnav button').forEach(b => b.setAttribute('aria-selected', String(b.dataset.view === name)));
  env.box.hidden = name !== 'env';
  tpl.box.hidden = name !== 'templates';
  (name === 'env' ? loadEnv() : loadTemplates()).catch(toastError);
}

// --- .env ---

const GROUPS = [
  ['embedding', key => /EMBEDDING/.test(key)],
  ['knowledge', key => /KNOWLEDGE/.test(key)],
  ['qlib', key => /^QLIB_|PROVIDER_URI/.test(key)],
  ['llm', key => /^(OPENAI|CHAT_|LITELLM|BACKEND|MAX_RETRY|AZURE|DEEPSEEK|LLM_|USE_AZURE|REASONING|SYSTEM_PROMPT|LOG_LLM)/.test(key)],
  ['other', () => true],
];

async function loadEnv() {
  env.data = await api('/env');
  renderEnv();
}

function renderEnv() {
  const groups = new Map(GROUPS.map(([name]) => [name, []]));
  for (const entry of env.data.entries) {
    groups.get(GROUPS.find(([, test]) => test(entry.key))[0]).push(envRow(entry));
  }
  const note = h('input', {name: 'note', placeholder: t('config.note'), style: 'width:240px'});
  const results = h('div', {class: 'test-results'});
  const form = h('form', {class: 'panel', id: 'env-form', onsubmit: event => {
    event.preventDefault();
    saveEnv(form, note);
  }},
  h('header', {},
    h('h2', {}, '.env'),
    h('span', {class: 'mono muted', title: env.data.sha256}, 'sha256 ' + shortSha(env.data.sha256)),
    driftMark(env.data.version),
    h('span', {class: 'grow'}),
    h('button', {type: 'button', id: 'test-llm', 'data-needs': 'ADMIN', onclick: () => testLlm(results)}, t('config.testLlm')),
    h('button', {type: 'button', id: 'test-qlib', 'data-needs': 'ADMIN', onclick: () => testQlib(results)}, t('config.testQlib')),
    h('button', {type: 'button', onclick: () => loadEnv().catch(toastError)}, t('common.reload')),
    h('span', {'data-needs': 'ADMIN'}, note, ' ', h('button', {type: 'submit', class: 'primary'}, t('common.save')))),
  results,
  h('div', {class: 'env-groups'}, [...groups].filter(([, rows]) => rows.length).map(([name, rows]) =>
    h('fieldset', {}, h('legend', {}, t('config.group.' + name)), rows))),
  newEntryRow());
  env.history = historyPanel({
    id: 'env-history',
    base: '/env',
    title: t('config.envHistory'),
    currentSha: () => env.data.sha256,
    restored: () => loadEnv(),
  });
  env.box.replaceChildren(form, env.history.el);
  env.history.load();
}

/**
 * One entry; a secret shows only a mask and an empty password input that replaces the value when filled. The
 * value of a secret never reaches the page: the service sends the mask, and the input starts empty.
 */
function envRow(entry) {
  const input = h('input', {name: 'env:' + entry.key, 'data-key': entry.key, 'aria-label': entry.key,
    type: entry.secret ? 'password' : 'text', autocomplete: 'off'});
  if (entry.secret) {
    input.placeholder = t('config.secretMasked');
    input.disabled = true;
  } else {
    input.value = entry.value ?? '';
  }
  const row = h('div', {class: 'env-row'}, entry.comment && h('span', {class: 'comment'}, entry.comment),
    h('span', {class: 'key', title: entry.key}, entry.key),
    h('span', {class: 'value'}, input,
      entry.secret && h('button', {type: 'button', class: 'link', 'data-action': 'replace', 'data-needs': 'ADMIN', onclick: event => {
        input.disabled = false;
        input.focus();
        event.target.remove();
      }}, t('config.replace'))),
    h('button', {type: 'button', class: 'link danger', title: t('config.removeKey'), 'aria-label': t('config.removeKey'), 'data-needs': 'ADMIN',
      onclick: () => {
        row.classList.toggle('removed');
        input.disabled = row.classList.contains('removed') || (entry.secret && !input.value);
      }}, '✕'));
  // keeps what the service sent, to send only what changed
  row.entry = entry;
  return row;
}

function newEntryRow() {
  const key = h('input', {placeholder: 'NEW_KEY', 'aria-label': t('config.newKey'), class: 'mono', style: 'width:200px'});
  const value = h('input', {placeholder: t('config.value'), 'aria-label': t('config.value'), style: 'width:320px'});
  return h('div', {class: 'toolbar', style: 'margin-top:8px', 'data-needs': 'ADMIN'}, h('span', {class: 'muted'}, t('config.addKey')), key, value,
    h('button', {type: 'button', onclick: () => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key.value)) return toast(t('config.badKey'), 'error');
      const row = envRow({key: key.value, value: '', secret: false});
      row.querySelector('input').value = value.value;
      row.added = true;
      env.box.querySelector('.env-groups fieldset:last-child').append(row);
      key.value = value.value = '';
    }}, t('common.add')));
}

async function saveEnv(form, note) {
  const entries = {};
  for (const row of form.querySelectorAll('.env-row')) {
    const input = row.querySelector('input');
    const {key, secret, value} = row.entry;
    if (row.classList.contains('removed')) {
      if (!row.added) entries[key] = null;
    } else if (secret ? input.value !== '' : row.added || input.value !== (value ?? '')) {
      entries[key] = input.value;
    }
  }
  if (!Object.keys(entries).length) return toast(t('config.nothingChanged'), 'info');
  try {
    const written = await api('/env', {method: 'PUT', json: {entries, expected_sha256: env.data.sha256, ...noteOf(note)}});
    toast(t('config.saved', {file: '.env', id: written.version_id, backup: written.history_id ?? '—'}));
    await loadEnv();
  } catch (error) {
    toastError(error, () => loadEnv());
  }
}

async function testLlm(box) {
  box.replaceChildren(h('div', {class: 'result'}, t('config.testing')));
  try {
    const r = await api('/env/test-llm', {method: 'POST'});
    box.replaceChildren(h('div', {class: 'result ' + (r.reachable ? 'ok' : 'bad'), id: 'llm-result'},
      `${t('config.testLlm')}: ${r.reachable ? t('config.reachable') : t('config.unreachable')}` +
      ` · HTTP ${r.status ?? '—'} · ${r.latency_ms} ms · ${r.url}\n${r.message ?? ''}`));
  } catch (error) {
    box.replaceChildren(h('div', {class: 'result bad'}, error.message));
  }
}

async function testQlib(box) {
  box.replaceChildren(h('div', {class: 'result'}, t('config.testing')));
  try {
    const r = await api('/env/test-qlib', {method: 'POST', json: {}});
    box.replaceChildren(h('div', {class: 'result ' + (r.ok ? 'ok' : 'bad'), id: 'qlib-result'},
      `${t('config.testQlib')}: ${r.ok ? t('config.qlibOk') : t('config.qlibBad')} · ${r.provider_uri ?? ''}` +
      ` · market ${r.market ?? '—'} · benchmark ${r.benchmark ?? '—'}\n` +
      (r.checks || []).map(c => `${c.ok ? '✓' : '✗'} ${c.name}  ${c.path}`).join('\n')));
  } catch (error) {
    box.replaceChildren(h('div', {class: 'result bad'}, error.message));
  }
}

// --- templates ---

async function loadTemplates() {
  tpl.files = await api('/templates');
  if (!tpl.file || !tpl.files.some(f => f.file === tpl.file)) tpl.file = tpl.files.find(f => f.editable)?.file;
  const consistency = h('div', {class: 'panel', id: 'consistency'}, t('config.checking'));
  const editor = h('div', {class: 'panel', id: 'template-editor'});
  tpl.history = historyPanel({
    id: 'template-history',
    base: '/templates',
    file: () => tpl.file,
    title: t('config.templateHistory'),
    currentSha: () => tpl.content?.sha256,
    restored: () => openTemplate(tpl.file),
  });
  tpl.box.replaceChildren(
    h('div', {class: 'templates'},
      h('div', {class: 'panel file-list'}, h('h3', {}, t('config.files')), tpl.files.map(fileButton)),
      h('div', {style: 'display:flex;flex-direction:column;gap:12px;min-width:0'}, editor, tpl.history.el)),
    consistency);
  loadConsistency(consistency);
  if (tpl.file) await openTemplate(tpl.file);
}

/** A file changed outside the service holds a drift version until the next change made here. */
function driftMark(version) {
  return version?.kind === 'drift' && h('span', {class: 'badge drift', 'data-drift': version.id,
    title: t('config.drifted', {id: version.id, time: fmtTime(version.created_at, true)})}, t('config.kinds.drift'));
}

function fileButton(f) {
  return h('button', {type: 'button', 'data-file': f.file, 'aria-selected': String(f.file === tpl.file),
    // the open file is not reloaded: that would drop its edits ("discard" does it on purpose)
    onclick: () => f.file !== tpl.file && openTemplate(f.file).catch(toastError)},
  h('div', {class: 'name'}, f.name, f.editable ? '' : ` · ${t('config.readOnly')}`, ' ', driftMark(f.version)),
  h('div', {class: 'meta'}, f.file.replace(/^rdagent\/scenarios\/qlib\//, '').replace(/\/[^/]*$/, '/')),
  h('div', {class: 'meta'}, `${shortSha(f.sha256)} · ${fmtTime(f.mtime)} · ${fmtBytes(f.size)}`));
}

async function openTemplate(file) {
  tpl.file = file;
  tpl.content = await api('/templates/content' + query({file}));
  tpl.box.querySelectorAll('.file-list button').forEach(b => b.setAttribute('aria-selected', String(b.dataset.file === file)));
  renderEditor();
  tpl.history.load();
}

function renderEditor() {
  const {file, content, sha256, mtime, editable, version} = tpl.content;
  const gutter = h('div', {class: 'gutter', 'aria-hidden': 'true'});
  const text = h('textarea', {name: 'content', spellcheck: 'false', readonly: !editable, 'aria-label': file,
    wrap: 'off'});
  text.value = content;
  const error = h('div', {class: 'editor-error'});
  const note = h('input', {name: 'note', placeholder: t('config.note'), style: 'width:240px'});
  const numbers = errorLine => {
    const count = text.value.split('\n').length;
    gutter.replaceChildren(...Array.from({length: count}, (_, i) =>
      h('div', {class: i + 1 === errorLine ? 'err' : ''}, String(i + 1))));
    gutter.scrollTop = text.scrollTop;
  };
  text.addEventListener('input', () => numbers());
  text.addEventListener('scroll', () => { gutter.scrollTop = text.scrollTop; });
  text.addEventListener('keydown', event => {
    if ((event.ctrlKey || event.metaKey) && event.key === 's') {
      event.preventDefault();
      save();
    }
  });

  async function save() {
    error.replaceChildren();
    numbers();
    try {
      const written = await api('/templates/content' + query({file}), {method: 'PUT',
        json: {content: text.value, expected_sha256: sha256, ...noteOf(note)}});
      if (!written.changed) return toast(t('config.unchanged'), 'info');
      toast(t('config.saved', {file: tpl.content.file.split('/').pop(), id: written.version_id,
        backup: written.history_id ?? '—'}) + '\n' + t('config.validatedBy', {engine: written.validated_by}));
      await loadTemplates();
    } catch (e) {
      if (e.status === 422 && e.line) {
        numbers(e.line);
        error.replaceChildren(h('div', {class: 'form-error', id: 'template-error'},
          t('config.errorAt', {line: e.line, column: e.column ?? '?'}), ' ', e.message, ' ',
          h('button', {type: 'button', class: 'link', onclick: () => goToLine(text, e.line)}, t('config.goToLine'))));
        goToLine(text, e.line);
      } else if (e.status === 409) {
        error.replaceChildren(h('div', {class: 'form-error', id: 'template-error'}, t('common.stale'), ' ',
          h('button', {type: 'button', class: 'link', 'data-action': 'reload', onclick: () => openTemplate(file)},
            t('common.reload'))));
        toastError(e, () => openTemplate(file));
      } else {
        error.replaceChildren(h('div', {class: 'form-error', id: 'template-error'}, e.message));
        toastError(e);
      }
    }
  }

  tpl.box.querySelector('#template-editor').replaceChildren(
    h('header', {},
      h('h2', {class: 'mono'}, file),
      h('span', {class: 'mono muted', title: sha256}, shortSha(sha256)),
      h('span', {class: 'muted'}, fmtTime(mtime, true)),
      version && h('span', {class: 'muted', id: 'template-version'}, versionLabel(version)),
      driftMark(version),
      h('span', {class: 'grow'}),
      editable && h('span', {class: 'toolbar', 'data-needs': 'ADMIN'}, note,
        h('button', {type: 'button', onclick: () => openTemplate(file).catch(toastError)}, t('config.discard')),
        h('button', {type: 'button', class: 'primary', id: 'save-template', 'aria-keyshortcuts': 'Control+S',
          onclick: save}, t('common.save')))),
    h('div', {class: 'editor'}, gutter, text),
    error);
  numbers();
}

function goToLine(text, line) {
  const lines = text.value.split('\n');
  const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  text.focus();
  text.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
  text.scrollTop = Math.max(0, (line - 5) * 18);
}

async function loadConsistency(box) {
  try {
    const report = await api('/templates/validate');
    const invalid = report.files.filter(f => !f.valid);
    fill(box,
      h('header', {}, h('h2', {}, t('config.consistency')),
        h('span', {class: 'badge ' + (report.valid ? 'ok' : 'bad')}, report.valid ? t('config.consistent') : t('config.inconsistent')),
        h('span', {class: 'grow'}),
        h('button', {type: 'button', onclick: () => loadConsistency(box)}, t('config.recheck'))),
      invalid.map(f => h('div', {class: 'form-error'}, `${f.file}: ${t('config.errorAt', {line: f.line ?? '?', column: f.column ?? '?'})} ${f.message}`)),
      report.differences.length ? table([
        {label: t('config.file'), render: d => h('span', {class: 'mono'}, d.file)},
        {label: t('config.key'), render: d => h('span', {class: 'mono'}, d.key)},
        {label: t('config.value'), render: d => h('span', {class: 'mono neg'}, String(d.value ?? '—'))},
        {label: t('config.expected'), render: d => h('span', {class: 'mono'}, String(d.expected ?? '—'))},
        {label: t('config.against'), render: d => h('span', {class: 'mono muted'}, d.against)},
      ], report.differences) : h('div', {class: 'muted'}, t('config.noDifferences')));
  } catch (error) {
    box.replaceChildren(h('div', {class: 'form-error'}, error.message));
  }
}

// --- versions, diff and rollback: one panel for the .env and for each template ---

/**
 * @param id the panel's element id (both panels are in the page at once)
 * @param base '/env' or '/templates'
 * @param file the template shown (a function), absent for the .env
 * @param currentSha what a rollback expects to replace
 * @param restored reloads the file after a rollback
 */
function historyPanel({id, base, file, title, currentSha, restored}) {
  const list = h('div');
  const diff = h('div', {class: 'diff-view'});
  const picked = new Set();
  const fileParam = () => (file ? {file: file()} : {});
  const compare = h('button', {type: 'button', disabled: true, onclick: () => {
    const [a, b] = [...picked].sort((x, y) => x - y);
    showDiff(a, b);
  }}, t('config.compareTwo'));
  let items = [];

  async function load() {
    picked.clear();
    compare.disabled = true;
    const page = await api(base + '/history' + query({...fileParam(), size: 50}));
    items = page.items;
    list.replaceChildren(table([
      {label: '', render: v => h('input', {type: 'checkbox', 'aria-label': '#' + v.id, onchange: event => {
        if (event.target.checked) picked.add(v.id); else picked.delete(v.id);
        compare.disabled = picked.size !== 2;
      }})},
      {label: t('config.version'), class: 'num', render: v => '#' + v.id},
      {label: t('config.kind'), class: 'nowrap', render: v => h('span', {class: 'kind ' + v.kind},
        t('config.kinds.' + v.kind), v.task_id ? ` · #${v.task_id}` : '')},
      {label: t('config.noteCol'), render: v => h('span', {class: 'cell-clip note', title: v.note ?? ''},
        v.note || '—')},
      {label: t('config.operator'), render: v => v.operator ?? '—'},
      {label: t('config.time'), class: 'nowrap', render: v => fmtTime(v.created_at, true)},
      {label: t('config.state'), class: 'nowrap', render: v => h('span', {class: v.current ? 'badge ok' : 'muted'},
        versionState(v))},
      {label: 'sha256', render: v => h('span', {class: 'mono', title: v.sha256 ?? ''}, shortSha(v.sha256))},
      {label: '', class: 'actions', render: v => [
        h('button', {type: 'button', class: 'link', 'data-action': 'diff', onclick: () => showDiff(v.id)}, t('config.diffCurrent')),
        !v.current && h('button', {type: 'button', class: 'link danger', 'data-action': 'rollback', 'data-needs': 'ADMIN',
          onclick: () => rollback(v)}, t('config.rollback')),
      ]},
    ], items, {
      empty: emptyState(t('config.noHistory'), t('config.noHistoryNext')),
      rowProps: v => ({'data-history-id': v.id, class: v.current ? 'current' : ''}),
    }));
  }

  async function showDiff(from, to) {
    try {
      const d = await api(base + '/diff' + query({...fileParam(), from, to: to ?? 'current'}));
      const named = id => {
        const version = items.find(v => v.id === id);
        return version ? versionLabel(version) : '#' + id;
      };
      diff.replaceChildren(
        h('h3', {}, t('config.diffTitle', {from: named(from), to: to ? named(to) : t('config.current')})),
        d.changed ? unifiedDiff(d.diff) : h('div', {class: 'muted'}, t('config.same')));
      diff.scrollIntoView({block: 'nearest'});
    } catch (error) {
      toastError(error);
    }
  }

  /** Names the version by its own note and state, and puts it back only with a reason. */
  async function rollback(version) {
    const name = file ? file().split('/').pop() : '.env';
    const reason = h('input', {name: 'reason', placeholder: t('config.reasonPlaceholder'), style: 'width:100%',
      autocomplete: 'off'});
    const body = h('div', {class: 'form'},
      h('p', {style: 'margin:0;white-space:pre-wrap', class: 'full'}, t('config.rollbackConfirm', {file: name,
        version: versionLabel(version), kind: t('config.kinds.' + version.kind), state: versionState(version),
        sha: shortSha(version.sha256)})),
      h('label', {class: 'field full'}, h('span', {class: 'label'}, t('config.reason')), reason));
    const label = t('config.rollbackAction', {id: version.id});
    await openDialog({title: t('config.rollbackTitle'), body, actions: [{label, primary: true, danger: true, run: async () => {
      clearFieldErrors(body);
      if (!reason.value.trim()) {
        showFieldError(body, 'reason', t('config.reasonRequired'));
        return false;
      }
      try {
        await api(base + '/rollback', {method: 'POST', json: {history_id: version.id, expected_sha256: currentSha(),
          note: reason.value}});
        toast(t('config.rolledBack', {file: name, id: version.id}));
        diff.replaceChildren();
        await restored();
        return true;
      } catch (error) {
        if (error.field === 'note') {
          showFieldError(body, 'reason', error.message);
          return false;
        }
        toastError(error, restored);
        return true;
      }
    }}]});
  }

  const el = h('div', {class: 'panel history', id},
    h('header', {}, h('h2', {}, title), h('span', {class: 'grow'}), compare),
    h('div', {class: 'grid2'}, list, diff));
  return {el, load: () => load().catch(toastError)};
}

// --- a task's own config, in its detail ---

/**
 * Per template the version the task ran and how the file differs now; "run again with this config" hands the
 * versions to runAgain(source_history_ids), and an ADMIN makes them the live ones again, with a reason.
 */
export function taskConfigPanel(task, runAgain) {
  const box = h('div', {class: 'panel', id: 'task-config'});

  async function load() {
    const config = await api(`/tasks/${task.id}/config`);
    const diffs = h('div', {class: 'diff-view'});
    const changed = config.files.filter(f => f.changed);
    fill(box,
      h('header', {},
        h('h3', {}, t('taskcfg.title')),
        h('span', {class: 'badge ' + (config.live ? 'ok' : 'warn'), id: 'task-config-state'},
          config.live ? t('taskcfg.live') : t('taskcfg.notLive', {n: changed.length})),
        h('span', {class: 'grow'}),
        h('button', {type: 'button', id: 'run-again-config', 'data-needs': 'OPERATOR',
          onclick: () => runAgain(config.files.map(f => f.version?.id).filter(Boolean))}, t('taskcfg.runAgain')),
        !config.live && h('button', {type: 'button', class: 'danger', id: 'make-live', 'data-needs': 'ADMIN',
          onclick: () => makeLive(config, changed)}, t('taskcfg.makeLive'))),
      table([
        {label: t('config.file'), render: f => h('span', {class: 'mono'}, f.name)},
        {label: t('taskcfg.version'), render: f => f.version
          ? h('span', {title: versionState(f.version)}, versionLabel(f.version)) : h('span', {class: 'muted'}, t('taskcfg.unknown'))},
        {label: 'sha256', render: f => h('span', {class: 'mono', title: f.sha256}, shortSha(f.sha256),
          f.edited ? h('span', {class: 'muted', title: t('taskcfg.editedHint')}, ' · ' + t('taskcfg.edited')) : '')},
        {label: t('taskcfg.now'), render: f => f.current ? versionLabel(f.current) : '—'},
        {label: '', class: 'actions', render: f => f.changed
          ? h('button', {type: 'button', class: 'link', 'data-action': 'task-diff', onclick: () => {
            diffs.replaceChildren(h('h3', {}, t('config.diffTitle', {from: versionLabel(f.version), to: t('config.current')})),
              unifiedDiff(f.diff));
          }}, t('taskcfg.diff'))
          : h('span', {class: 'muted'}, t('taskcfg.same'))},
      ], config.files, {rowProps: f => ({'data-file': f.file, class: f.changed ? 'changed' : ''})}),
      diffs);
  }

  async function makeLive(config, changed) {
    const reason = h('input', {name: 'reason', placeholder: t('config.reasonPlaceholder'), style: 'width:100%',
      autocomplete: 'off'});
    const body = h('div', {class: 'form'},
      h('p', {style: 'margin:0;white-space:pre-wrap', class: 'full'}, t('taskcfg.makeLiveConfirm', {id: task.id,
        files: changed.map(f => `${f.name}: ${versionLabel(f.current)} → ${versionLabel(f.version)}`).join('\n')})),
      h('label', {class: 'field full'}, h('span', {class: 'label'}, t('config.reason')), reason));
    const expected = Object.fromEntries(config.files.map(f => [f.file, f.current_sha256]));
    await openDialog({title: t('taskcfg.makeLive'), body, actions: [{label: t('taskcfg.makeLiveAction', {n: changed.length}),
      primary: true, danger: true, run: async () => {
        clearFieldErrors(body);
        if (!reason.value.trim()) {
          showFieldError(body, 'reason', t('config.reasonRequired'));
          return false;
        }
        try {
          await api(`/tasks/${task.id}/config/restore`, {method: 'POST',
            json: {note: reason.value, expected_sha256: expected}});
          toast(t('taskcfg.restored', {n: changed.length, id: task.id}));
        } catch (error) {
          if (error.field === 'note') {
            showFieldError(body, 'reason', error.message);
            return false;
          }
          toastError(error, () => load().catch(toastError));
        }
        await load().catch(toastError);
        return true;
      }}]});
  }

  load().catch(error => box.replaceChildren(h('div', {class: 'form-error'}, error.message)));
  return box;
}

function unifiedDiff(text) {
  const kind = line => line.startsWith('@@') ? 'hunk' : line.startsWith('+++') || line.startsWith('---') ? 'meta'
    : line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : '';
  return h('pre', {class: 'diff'}, text.split('\n').map(line => h('div', {class: kind(line)}, line || ' ')));
}

export default {
  id: 'config',
  mount,
  show: () => switchView(view),
};
