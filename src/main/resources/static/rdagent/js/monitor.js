// 运行监控: one task live (progress with step names, loops, metrics, equity curve, the log streamed over SSE), or
// 2–5 tasks compared (equity curves overlaid, metrics side by side). Everything that changes while a run goes on
// (status, progress, sota/best/last, each loop) arrives as its own event on the log's SSE stream: nothing polls.
import {api, apiUrl, query} from './api.js';
import {t} from './i18n.js';
import {
  h, fill, table, emptyState, toastError, badge, fmtTime, fmtDuration, fmtNum, fmtPct, fmtBytes, debounce, field,
} from './ui.js';
import {
  ACTIVE, ANNUAL_RETURN, taskProgress, elapsed, cancelTask, cloneTask, openNewTask, starButton, tagChips,
} from './tasks.js';
import {taskConfigPanel} from './config.js';
import {notifyMe} from './notifications.js';
import {datasetLabel, listDatasets, versionDiffs} from './datasets.js';
import {cnyRate, costCell} from './cost.js';

const STEPS = ['direct_exp_gen', 'coding', 'running', 'feedback', 'record'];
/** The seven headline metrics: the key in a result's values, the label, the format. */
const METRICS = [
  ['ic', 'IC', fmtNum],
  ['icir', 'ICIR', fmtNum],
  ['rank_ic', 'Rank IC', fmtNum],
  ['rank_icir', 'Rank ICIR', fmtNum],
  ['annualized_return', 'metric.annualReturn', fmtPct],
  ['information_ratio', 'metric.infoRatio', fmtNum],
  ['max_drawdown', 'metric.maxDrawdown', fmtPct],
];
/** The three named results of a task, in the order the switch shows them. */
const RESULTS = ['sota', 'best', 'last'];
/** The log view keeps this many lines; the download (run.log from the server) has all of them. */
const MAX_LINES = 5000;
/** A long log opens at its last bytes, not its beginning. */
const TAIL_BYTES = 256 * 1024;
const MAX_COMPARE = 50;
/** Equity curves fetched at once for a comparison. */
const CURVE_FETCHES = 6;

let root;
let body;
let session = null;
/** CNY per USD, for costs */
let cny = null;

function mount(section) {
  root = section;
  cnyRate().then(rate => {
    cny = rate;
  });
  const id = h('input', {type: 'number', min: 1, placeholder: t('monitor.taskId'), style: 'width:110px', 'data-search': true,
    'aria-label': t('monitor.taskId')});
  const ids = h('input', {placeholder: t('monitor.compareIds'), style: 'width:200px', 'aria-label': t('monitor.compareIds')});
  body = h('div', {class: 'tab'});
  root.append(
    h('div', {class: 'panel'}, h('form', {class: 'toolbar', onsubmit: event => {
      event.preventDefault();
      if (id.value) location.hash = `#/monitor/${id.value}`;
    }}, h('h2', {}, t('tab.monitor')), id, h('button', {type: 'submit'}, t('monitor.open')),
    h('span', {class: 'grow'}), ids,
    h('button', {type: 'button', onclick: () => {
      const list = ids.value.split(/[\s,，]+/).filter(Boolean);
      location.hash = '#/monitor/compare/' + list.join(',');
    }}, t('monitor.compare')))),
    body);
}

function stop() {
  session?.close();
  session = null;
}

function show([first, second] = []) {
  stop();
  if (first === 'compare') session = compare((second || '').split(',').map(Number).filter(n => n > 0));
  else if (Number(first) > 0) session = watch(Number(first));
  else session = picker();
}

/** No task chosen: the latest ones to pick from. */
function picker() {
  api('/tasks' + query({size: 15})).then(async page => {
    await listDatasets(false, page.items.map(task => task.dataset_id));
    body.replaceChildren(h('div', {class: 'panel'}, h('h3', {}, t('monitor.pick')), table([
      {label: 'ID', class: 'num', render: task => h('a', {href: `#/monitor/${task.id}`}, String(task.id))},
      {label: t('tasks.name'), render: task => task.name || t('tasks.unnamed')},
      {label: t('tasks.dataset'), render: task => datasetLabel(task.dataset_id)},
      {label: t('tasks.status'), render: task => badge(task.status)},
      {label: t('tasks.progress'), render: task => taskProgress(task)},
      {label: t('tasks.started'), render: task => fmtTime(task.started_at)},
    ], page.items, {empty: emptyState(t('tasks.none'), h('a', {href: '#/tasks'}, t('monitor.goCreate')))})));
  }).catch(toastError);
  return {close() {}};
}

// --- one task ---

function watch(id) {
  const view = {
    head: h('div', {class: 'panel', id: 'monitor-head'}),
    results: h('div', {class: 'results', id: 'result-switch'}),
    cards: h('div', {class: 'cards', id: 'metric-cards'}),
    curveLoop: h('select', {id: 'curve-loop', 'aria-label': t('monitor.curveLoop')}),
    chart: h('div', {class: 'chart', id: 'equity-chart'}),
    chartNote: h('div', {class: 'muted', id: 'chart-note'}),
    loops: h('div', {class: 'loops', id: 'loop-table'}),
    detail: h('div', {class: 'panel', id: 'loop-detail', hidden: true}),
    config: h('div'),
  };
  const state = {task: null, metrics: null, loops: new Map(), chosen: null, curve: '', chart: null, curveKey: null};
  const log = logView(id, {
    status(task) {
      // the templates it ran, once: a run never changes them
      if (!state.task) view.config.replaceChildren(taskConfigPanel(task, versions => openNewTask({...task.params, source_history_ids: versions})));
      state.task = task;
      renderHead(view.head, task);
      // the archive now holds the curves: draw the chosen one from there
      if (!ACTIVE.has(task.status)) drawCurve(true);
    },
    progress(progress) {
      if (!state.task) return;
      state.task = {...state.task, progress};
      renderHead(view.head, state.task);
    },
    cost(cost) {
      if (!state.task) return;
      state.task = {...state.task, cost};
      renderHead(view.head, state.task);
    },
    metrics(metrics) {
      state.metrics = metrics;
      renderResults();
      renderLoops(view.loops, [...state.loops.values()], metrics, showLoop);
      drawCurve(false);
    },
    loop(loop) {
      state.loops.set(loop.loop, loop);
      renderLoops(view.loops, [...state.loops.values()], state.metrics, showLoop);
      renderCurveChoices();
    },
  });
  view.curveLoop.addEventListener('change', () => {
    state.curve = view.curveLoop.value;
    drawCurve(true);
  });
  body.replaceChildren(view.head, view.results, view.cards,
    h('div', {class: 'grid2'},
      h('div', {class: 'panel'}, h('header', {}, h('h3', {style: 'margin:0'}, t('monitor.equity')),
        h('span', {class: 'grow'}), view.curveLoop), view.chartNote, view.chart),
      h('div', {class: 'panel'}, h('h3', {}, t('monitor.loops')), view.loops)),
    view.config,
    view.detail,
    log.el);
  renderResults();
  renderCurveChoices();
  listDatasets(false, [state.task?.dataset_id]).then(() => state.task && renderHead(view.head, state.task)).catch(() => {});

  function renderResults() {
    const metrics = state.metrics;
    // until the user picks one: the SOTA, or while no loop is accepted yet the latest result
    const shown = state.chosen || (metrics?.sota || !metrics?.last ? 'sota' : 'last');
    const result = metrics?.[shown];
    fill(view.results,
      RESULTS.map(key => h('button', {type: 'button', id: 'result-' + key, class: 'toggle',
        'aria-pressed': String(key === shown), onclick: () => {
          state.chosen = key;
          renderResults();
        }}, t('monitor.result.' + key))),
      h('span', {class: 'muted', id: 'result-caption'}, resultCaption(shown, result, metrics)));
    renderCards(view.cards, result);
  }

  function renderCurveChoices() {
    const loops = [...state.loops.values()].filter(l => l.experiments?.length);
    fill(view.curveLoop,
      h('option', {value: '', selected: state.curve === ''}, t('monitor.curveSota')),
      loops.map(l => h('option', {value: String(l.loop), selected: state.curve === String(l.loop)},
        t('monitor.loopN', {n: l.loop}) + (l.decision === false ? ' · ' + t('monitor.rejected') : ''))));
  }

  /** The chosen loop's curve (the SOTA's by default); fetched when the choice or the SOTA changes, not polled. */
  async function drawCurve(force) {
    const key = state.curve === '' ? 'sota:' + (state.metrics?.sota?.experiment ?? '') : 'loop:' + state.curve;
    if (!force && key === state.curveKey) return;
    state.curveKey = key;
    const report = await api(`/tasks/${id}/report` + query({loop: state.curve})).catch(error => ({reason: error.message}));
    if (key !== state.curveKey) return;
    state.chart = await equityChart(view.chart, [{name: curveName(report), report}], view.chartNote);
  }

  function showLoop(loop) {
    loopDetail(id, loop, view.detail, {
      curve: () => {
        state.curve = String(loop);
        renderCurveChoices();
        drawCurve(true);
      },
    }).catch(toastError);
  }

  return {
    close() {
      log.close();
      state.chart?.dispose();
    },
  };
}

function curveName(report) {
  return report.loop === null || report.loop === undefined ? t('monitor.strategy') : t('monitor.loopN', {n: report.loop});
}

/** "SOTA · loop 3 · factor · 3f2a1b9c… · accepted", or why there is none. */
function resultCaption(key, result, metrics) {
  if (!metrics) return t('monitor.noResults');
  if (!result) return key === 'last' ? t('monitor.noResults') : t('monitor.noneAccepted');
  const parts = [t('monitor.loopN', {n: result.loop ?? '?'})];
  if (result.kind) parts.push(t('kind.' + result.kind));
  parts.push(t('monitor.experiment', {name: (result.experiment || '').slice(0, 8)}));
  parts.push(result.decision === true ? t('monitor.accepted') : result.decision === false ? t('monitor.rejected')
    : t('monitor.undecided'));
  if (result.non_finite?.length) parts.push(t('monitor.notFinite', {names: result.non_finite.join(', ')}));
  if (key === 'best' && metrics.rank_by) parts.push(t('monitor.rankedBy', {metric: t('rank.' + metrics.rank_by)}));
  return parts.join(' · ');
}

/** After a star or tag edit: the head again with the task as it is now. */
function relabel(box, task) {
  api(`/tasks/${task.id}`).then(updated => renderHead(box, {...task, tags: updated.tags, note: updated.note,
    starred: updated.starred})).catch(toastError);
}

function renderHead(box, task) {
  const p = task.progress || {};
  const running = task.status === 'RUNNING';
  const spent = elapsed(task);
  const current = STEPS.indexOf(p.step_name);
  fill(box,
    h('header', {},
      starButton(task, () => relabel(box, task)),
      h('h2', {}, `#${task.id} ${task.name || t('tasks.unnamed')}`), badge(task.status),
      tagChips(task, () => relabel(box, task)),
      h('span', {class: 'muted'}, `${task.scenario} · `, datasetLabel(task.dataset_id)),
      h('span', {class: 'grow'}),
      h('button', {type: 'button', 'data-action': 'notify-me', 'data-needs': 'OPERATOR',
        onclick: () => notifyMe('task', task.id)}, t('notify.notifyMe')),
      task.batch_id && h('button', {type: 'button', 'data-action': 'notify-me-batch', 'data-needs': 'OPERATOR',
        onclick: () => notifyMe('batch', task.batch_id)}, t('notify.notifyMeBatch')),
      ACTIVE.has(task.status) && h('button', {type: 'button', class: 'danger', 'data-action': 'cancel', 'data-needs': 'OPERATOR',
        onclick: () => cancelTask(task, () => {})}, t('tasks.cancel')),
      h('button', {type: 'button', 'data-action': 'clone', 'data-needs': 'OPERATOR', onclick: () => cloneTask(task)},
        t('tasks.clone')),
      task.archive_path && h('a', {class: 'button', href: apiUrl(`/tasks/${task.id}/artifacts.zip`), download: ''},
        t('monitor.downloadAll'))),
    taskProgress(task, true),
    h('div', {class: 'steps', id: 'steps'}, STEPS.map((step, i) => h('span', {
      class: task.status === 'SUCCEEDED' || (current >= 0 && i < current) ? 'done' : i === current && running ? 'current' : '',
    }, t('step.' + step)))),
    h('div', {class: 'facts'},
      h('span', {}, t('monitor.loop'), ' ', h('b', {}, p.loop === null || p.loop === undefined ? '—'
        : `${p.loop}${p.loops_total ? ' ' + t('tasks.loopsTotal', {n: p.loops_total}) : ''}`)),
      task.cloned_from && h('span', {}, t('tasks.clonedFrom'), ' ',
        h('a', {href: `#/monitor/${task.cloned_from}`, id: 'cloned-from'}, '#' + task.cloned_from)),
      task.batch_id && h('span', {}, t('tasks.batch'), ' ',
        h('a', {href: `#/batches/${task.batch_id}`, id: 'batch-link'}, task.batch_id.slice(0, 8))),
      h('span', {}, t('monitor.elapsed'), ' ', h('b', {}, fmtDuration(spent))),
      h('span', {}, t('monitor.remaining'), ' ', h('b', {}, running ? fmtDuration(remaining(task, spent)) : '—')),
      h('span', {}, t('tasks.started'), ' ', h('b', {}, fmtTime(task.started_at, true))),
      h('span', {}, t('monitor.finished'), ' ', h('b', {}, fmtTime(task.finished_at, true))),
      task.node && h('span', {}, t('monitor.node'), ' ', h('b', {}, task.node)),
      task.exit_code !== null && task.exit_code !== undefined && h('span', {}, t('monitor.exitCode'), ' ', h('b', {}, String(task.exit_code))),
      task.stop_reason && h('span', {}, t('monitor.stopReason'), ' ', h('b', {}, task.stop_reason)),
      h('span', {'data-fact': 'cost'}, t('tasks.cost'), ' ', h('b', {}, costCell(task.cost, cny)))),
    task.error && h('pre', {class: 'form-error', style: 'max-height:120px;overflow:auto'}, task.error),
    (task.warnings || []).map(w => h('div', {class: 'muted'}, '⚠ ' + w)));
}

/** From the share of work done so far; never beyond RD-Agent's own time budget. */
function remaining(task, spent) {
  const percent = task.progress?.percent;
  let estimate = percent > 0 ? spent * (100 - percent) / percent : null;
  const budget = durationMs(task.params?.all_duration);
  if (budget !== null) estimate = Math.min(estimate ?? Infinity, Math.max(0, budget - spent));
  return estimate;
}

const UNIT_MS = {s: 1000, m: 60000, h: 3600000, d: 86400000};

function durationMs(text) {
  const match = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(text || '');
  return match ? Number(match[1]) * UNIT_MS[match[2] || 's'] : null;
}

function renderCards(box, result) {
  box.replaceChildren(...METRICS.map(([key, label, format]) => {
    const value = result?.values?.[key];
    const signed = key === 'annualized_return' || key === 'information_ratio';
    const notFinite = result && (value === null || value === undefined) && result.non_finite?.length;
    return h('div', {class: 'card', 'data-metric': key},
      h('div', {class: 'label'}, label.includes('.') ? t(label) : label),
      h('div', {class: 'value ' + (signed && value > 0 ? 'pos' : signed && value < 0 ? 'neg' : '')},
        notFinite ? 'NaN' : format(value)));
  }));
}

/** What a loop came to: its decision, and why its numbers are missing or not finite. */
function loopMarks(l, metrics) {
  const own = (l.experiments || []).filter(e => e.kind !== 'baseline');
  const marks = [];
  if (metrics?.sota?.loop === l.loop) marks.push(h('span', {class: 'mark sota'}, 'SOTA'));
  if (metrics?.best?.loop === l.loop) marks.push(h('span', {class: 'mark best'}, t('monitor.result.best')));
  const bad = own.flatMap(e => e.non_finite || []).filter(n => !n.includes('.') || n.includes('with_cost'));
  if (bad.length) marks.push(h('span', {class: 'mark nan', title: bad.join(', ')}, 'NaN'));
  if (!own.length && l.decision !== null && l.decision !== undefined) marks.push(h('span', {class: 'mark failed'}, t('monitor.noResult')));
  return marks;
}

function renderLoops(box, loops, metrics, open) {
  loops.sort((a, b) => a.loop - b.loop);
  box.replaceChildren(table([
    {label: t('monitor.loop'), class: 'num', render: l => String(l.loop)},
    {label: t('monitor.hypothesis'), render: l => h('div', {},
      h('div', {class: 'clamp2', title: [l.hypothesis, l.reason].filter(Boolean).join('\n\n')}, l.hypothesis || '—'),
      loopMarks(l, metrics))},
    {label: 'IC', class: 'num', render: l => fmtNum(l.metrics?.IC)},
    {label: t('monitor.annual'), class: 'num nowrap', render: l => fmtPct(l.metrics?.[ANNUAL_RETURN])},
    {label: t('tasks.cost'), class: 'num', render: l => costCell(l.cost, cny)},
    {label: t('monitor.decision'), class: 'nowrap', render: l => l.decision === null || l.decision === undefined ? '—'
      : h('span', {class: l.decision ? 'decision-yes' : 'decision-no', title: l.decision_reason || ''},
        l.decision ? t('monitor.accepted') : t('monitor.rejected'))},
    {label: '', class: 'actions', render: l => h('button', {type: 'button', class: 'link', 'data-action': 'loop-detail',
      onclick: () => open(l.loop)}, t('monitor.details'))},
  ], loops, {empty: t('monitor.noLoops'), tableClass: 'loops',
    rowProps: l => ({'data-loop': l.loop, class: l.decision === false ? 'rejected' : ''})}));
}

/** One loop in full: hypothesis, tasks and their code, experiments with files and curves, RD-Agent's feedback. */
async function loopDetail(id, number, box, {curve}) {
  const loop = await api(`/tasks/${id}/loops/${number}`);
  const code = h('div', {class: 'code-view', id: 'code-view'});
  const showFile = async (experiment, path) => {
    const response = await fetch(apiUrl(`/tasks/${id}/experiments/${experiment}/files/${encodeURI(path)}`),
      {credentials: 'same-origin'});
    const text = await response.text();
    await showCode(code, path, response.ok ? text : t('monitor.fileMissing'));
  };
  const feedback = loop.feedback || {};
  box.hidden = false;
  fill(box,
    h('header', {}, h('h3', {style: 'margin:0'}, t('monitor.loopN', {n: loop.loop})),
      loop.decision === null || loop.decision === undefined ? null
        : h('span', {class: loop.decision ? 'decision-yes' : 'decision-no'}, loop.decision ? t('monitor.accepted') : t('monitor.rejected')),
      h('span', {class: 'grow'}),
      h('button', {type: 'button', id: 'loop-curve', onclick: curve}, t('monitor.showCurve')),
      h('button', {type: 'button', onclick: () => { box.hidden = true; }}, t('common.close'))),
    h('div', {class: 'grid2'},
      h('div', {},
        h('h4', {}, t('monitor.hypothesis')), h('p', {id: 'loop-hypothesis'}, loop.hypothesis || '—'),
        loop.reason && h('p', {class: 'muted'}, loop.reason),
        h('h4', {}, t('monitor.tasks')),
        (Array.isArray(loop.tasks) ? loop.tasks : []).map(task => h('div', {class: 'task-card'},
          h('b', {}, task.name || '—'), task.model_type && h('span', {class: 'muted'}, ' · ' + task.model_type),
          h('div', {}, task.description || ''), task.formulation && h('code', {}, task.formulation))),
        h('h4', {}, t('monitor.feedback')),
        h('dl', {class: 'feedback', id: 'loop-feedback'},
          ['observations', 'hypothesis_evaluation', 'new_hypothesis', 'reason', 'exception']
            .filter(key => feedback[key]).map(key => [h('dt', {}, t('feedback.' + key)), h('dd', {}, feedback[key])])),
        !Object.values(feedback).some(Boolean) && h('p', {class: 'muted'}, t('monitor.noFeedback'))),
      h('div', {},
        h('h4', {}, t('monitor.code')),
        h('div', {class: 'code-files', id: 'code-files'},
          (loop.codes || []).flatMap(c => Object.keys(c.files || {}).map(file => h('button', {type: 'button', class: 'link',
            onclick: () => showCode(code, file, c.files[file])}, `${c.task || '—'} / ${file}`))),
          (loop.experiments || []).flatMap(e => (e.files || []).filter(f => f.code).map(f => h('button', {type: 'button',
            class: 'link', 'data-file': f.path, onclick: () => showFile(e.name, f.path).catch(toastError)},
          `${t('kind.' + e.kind)} / ${f.path}`)))),
        code)),
    h('h4', {}, t('monitor.experiments')),
    table([
      {label: t('monitor.experimentCol'), render: e => h('span', {title: e.name}, t('kind.' + e.kind) + ' · ' + e.name.slice(0, 8))},
      ...METRICS.map(([key, label, format]) => ({label: label.includes('.') ? t(label) : label, class: 'num',
        render: e => {
          const name = qlibName(key);
          return e.non_finite?.includes(name) ? 'NaN' : format(e.metrics?.[name]);
        }})),
      {label: t('monitor.curve'), render: e => e.curve ? t('monitor.curveReady') : h('span', {class: 'muted'}, e.curve_missing || '—')},
      {label: t('monitor.files'), render: e => (e.files || []).map(f => h('div', {class: 'nowrap'}, `${f.path} (${fmtBytes(f.size)})`))},
    ], loop.experiments || [], {empty: t('monitor.noExperiment')}));
  const first = box.querySelector('#code-files button');
  if (first) first.click();
  box.scrollIntoView({block: 'nearest'});
}

const QLIB_NAMES = {ic: 'IC', icir: 'ICIR', rank_ic: 'Rank IC', rank_icir: 'Rank ICIR', annualized_return: ANNUAL_RETURN,
  information_ratio: '1day.excess_return_with_cost.information_ratio', max_drawdown: '1day.excess_return_with_cost.max_drawdown'};
const qlibName = key => QLIB_NAMES[key];

/** highlight.js (from its WebJar) loads with the first code shown. */
function loadHighlight() {
  if (!document.getElementById('highlight-style')) {
    document.head.append(h('link', {rel: 'stylesheet', id: 'highlight-style', href: '/webjars/highlightjs/styles/github.min.css'}));
  }
  return loadScript('/webjars/highlightjs/highlight.min.js', 'hljs', 'monitor.highlightMissing');
}

async function showCode(box, name, text) {
  const language = /\.py$/.test(name) ? 'python' : /\.ya?ml$/.test(name) ? 'yaml' : /\.json$/.test(name) ? 'json'
    : /\.md$/.test(name) ? 'markdown' : /\.sh$/.test(name) ? 'bash' : 'plaintext';
  const block = h('code', {class: 'language-' + language}, text);
  fill(box, h('div', {class: 'muted'}, name), h('pre', {}, block));
  try {
    (await loadHighlight()).highlightElement(block);
  } catch {
    // the code still shows, plain
  }
}

/**
 * The live log: SSE events named "log" (one line each, id = byte offset after it) until "end". EventSource
 * reconnects by itself and sends Last-Event-ID, so the stream resumes where it broke. Scrolling up pauses the
 * follow; search marks matches among the lines kept.
 */
function logView(id, changes) {
  const lines = h('div', {class: 'log', id: 'log', tabindex: 0});
  const status = h('span', {class: 'muted', id: 'log-status'}, t('monitor.connecting'));
  const search = h('input', {type: 'search', id: 'log-search', placeholder: t('monitor.searchLog'), style: 'width:200px', 'aria-label': t('monitor.searchLog')});
  const count = h('span', {class: 'muted'});
  const pause = h('button', {type: 'button', id: 'log-pause', 'aria-pressed': 'false'}, t('monitor.pause'));
  // the whole log so far, from the workspace while the run lasts, from the archive after
  const download = h('a', {class: 'button', id: 'log-download', href: apiUrl(`/tasks/${id}/run.log`), download: `task-${id}-run.log`},
    t('monitor.downloadLog'));
  let follow = true;
  // where following last put the view: scrolling above it is the user's, and pauses the follow
  let autoTop = 0;
  let pending = [];
  let kept = 0;
  let needle = '';
  let hits = [];
  let hit = -1;
  let source = null;
  let closed = false;

  const setFollow = on => {
    follow = on;
    pause.setAttribute('aria-pressed', String(!on));
    pause.textContent = on ? t('monitor.pause') : t('monitor.resume');
    if (on) toEnd();
  };
  const toEnd = () => {
    lines.scrollTop = lines.scrollHeight;
    autoTop = lines.scrollTop;
  };
  pause.addEventListener('click', () => setFollow(!follow));
  lines.addEventListener('scroll', () => {
    if (follow && lines.scrollTop < autoTop - 4) setFollow(false);
    else if (!follow && lines.scrollHeight - lines.scrollTop - lines.clientHeight < 4) setFollow(true);
  });

  function paint(div) {
    const text = div.raw;
    const lower = text.toLowerCase();
    if (!needle || !lower.includes(needle)) {
      div.textContent = text;
      return false;
    }
    const parts = [];
    let at = 0;
    for (let i = lower.indexOf(needle); i >= 0; i = lower.indexOf(needle, i + needle.length)) {
      parts.push(text.slice(at, i), h('mark', {}, text.slice(i, i + needle.length)));
      at = i + needle.length;
    }
    parts.push(text.slice(at));
    div.replaceChildren(...parts);
    return true;
  }

  const refreshSearch = () => {
    needle = search.value.toLowerCase();
    hits = [...lines.children].filter(div => div.raw !== undefined && paint(div));
    hit = -1;
    count.textContent = needle ? t('monitor.matches', {n: hits.length}) : '';
  };
  search.addEventListener('input', debounce(refreshSearch, 150));
  search.addEventListener('keydown', event => {
    if (event.key !== 'Enter' || !hits.length) return;
    event.preventDefault();
    hits[hit]?.classList.remove('current');
    hit = (hit + (event.shiftKey ? hits.length - 1 : 1)) % hits.length;
    hits[hit].classList.add('current');
    setFollow(false);
    hits[hit].scrollIntoView({block: 'center'});
    count.textContent = t('monitor.matchOf', {i: hit + 1, n: hits.length});
  });

  // lines arrive one event each: they are added once per frame, not one layout per line
  function append(text) {
    if (!pending.length) requestAnimationFrame(flush);
    pending.push(text);
    if (pending.length > MAX_LINES) pending = pending.slice(-MAX_LINES);
  }

  function flush() {
    const divs = pending.map(text => {
      const div = h('div');
      div.raw = text;
      if (paint(div)) hits.push(div);
      return div;
    });
    pending = [];
    lines.append(...divs);
    kept += divs.length;
    if (kept > MAX_LINES) {
      if (!lines.firstElementChild.classList.contains('omitted')) lines.prepend(h('div', {class: 'omitted'}, t('monitor.omitted')));
      for (; kept > MAX_LINES; kept--) lines.children[1].remove();
      hits = hits.filter(div => div.isConnected);
    }
    if (follow) toEnd();
  }

  async function open() {
    // a read past the end answers with the log's size; before the run writes anything there is no log yet
    const end = await api(`/tasks/${id}/logs?offset=9223372036854775807&limit=1`);
    if (closed) return;
    const size = end.next_offset < Number.MAX_SAFE_INTEGER ? end.next_offset : 0;
    const from = Math.max(0, size - TAIL_BYTES);
    let partial = from > 0;
    if (partial) lines.append(h('div', {class: 'omitted'}, t('monitor.omitted')));
    source = new EventSource(apiUrl(`/tasks/${id}/logs?offset=${from}`));
    source.addEventListener('open', () => { status.textContent = t('monitor.live'); });
    source.addEventListener('log', event => {
      // the first line of a tail starts mid-line
      if (partial) partial = false;
      else append(event.data);
    });
    // the run's other changes, one event type each, JSON
    for (const type of ['status', 'progress', 'metrics', 'cost', 'loop']) {
      source.addEventListener(type, event => changes[type](JSON.parse(event.data)));
    }
    source.addEventListener('end', () => {
      source.close();
      status.textContent = t('monitor.logEnded');
    });
    source.addEventListener('error', () => {
      if (source.readyState !== EventSource.CLOSED) status.textContent = t('monitor.reconnecting');
      else status.textContent = t('monitor.logClosed');
    });
  }
  open().catch(toastError);

  const el = h('div', {class: 'panel'},
    h('header', {}, h('h3', {style: 'margin:0'}, t('monitor.log')), status, h('span', {class: 'grow'}),
      search, count, pause,
      h('button', {type: 'button', id: 'log-end', onclick: () => setFollow(true)}, t('monitor.toEnd')), download),
    lines);
  return {
    el,
    close() {
      closed = true;
      source?.close();
    },
  };
}

// --- charts ---

const scripts = new Map();

/** A library from its WebJar, loaded once, when first needed rather than with the page; resolves to its global. */
export function loadScript(src, global, failure) {
  if (!scripts.has(src)) {
    scripts.set(src, new Promise((resolve, reject) => {
      const script = h('script', {src});
      script.addEventListener('load', () => resolve(window[global]));
      script.addEventListener('error', () => {
        scripts.delete(src);
        reject(new Error(t(failure)));
      });
      document.head.append(script);
    }));
  }
  return scripts.get(src);
}

/** ECharts (about 1 MB) loads on the first chart, not with the page. */
export function loadECharts() {
  return loadScript('/webjars/echarts/dist/echarts.min.js', 'echarts', 'monitor.chartLibMissing');
}

/**
 * Equity curves, each normalised to start at 1: every run's account, and the benchmark of the first one.
 * @param runs [{name, report}]
 */
async function equityChart(el, runs, note) {
  const drawn = runs.filter(run => run.report?.points?.length);
  // a run without a curve is named with the reason, never left out silently
  fill(note, runs.filter(run => !run.report?.points?.length).map(run => h('div', {class: 'curve-missing'},
    runs.length > 1 ? run.name + ': ' : '', run.report?.reason || t('monitor.noCurve'))));
  if (!drawn.length) {
    el.hidden = true;
    return null;
  }
  el.hidden = false;
  const echarts = await loadECharts();
  const series = drawn.map(run => ({name: run.name, type: 'line', showSymbol: false, data: accountCurve(run.report.points)}));
  series.push({name: t('monitor.benchmark'), type: 'line', showSymbol: false, lineStyle: {type: 'dashed'},
    data: benchCurve(drawn[0].report.points)});
  const chart = echarts.getInstanceByDom(el) || echarts.init(el);
  chart.setOption({
    animation: false,
    grid: {left: 48, right: 16, top: 32, bottom: 48},
    tooltip: {trigger: 'axis', valueFormatter: v => (v === null || v === undefined ? '—' : Number(v).toFixed(4))},
    legend: {type: 'scroll', top: 0},
    xAxis: {type: 'time'},
    yAxis: {type: 'value', scale: true},
    dataZoom: [{type: 'inside'}, {type: 'slider', height: 16, bottom: 6}],
    series,
  }, true);
  new ResizeObserver(() => chart.resize()).observe(el);
  return chart;
}

function accountCurve(points) {
  const first = points.find(p => p.account)?.account;
  return points.map(p => [p.date, first && p.account ? p.account / first : null]);
}

function benchCurve(points) {
  let value = 1;
  return points.map(p => {
    value *= 1 + (p.bench ?? 0);
    return [p.date, value];
  });
}

// --- compare ---

function compare(ids) {
  const chart = h('div', {class: 'chart', id: 'compare-chart'});
  const note = h('div', {class: 'muted', id: 'compare-note'});
  const metrics = h('div');
  const differences = h('div', {id: 'compare-differences'});
  const parallel = h('div', {class: 'chart', id: 'compare-parallel'});
  const metricChoice = h('select', {name: 'parallel-metric'},
    METRICS.map(([key, label]) => h('option', {value: key}, label.includes('.') ? t(label) : label)));
  const charts = [];
  let closed = false;
  if (ids.length < 2 || ids.length > MAX_COMPARE) {
    body.replaceChildren(h('div', {class: 'panel'}, emptyState(t('monitor.compareHow'), t('monitor.compareNext'))));
    return {close() {}};
  }
  body.replaceChildren(
    h('div', {class: 'panel'}, h('h3', {}, t('monitor.differences')), differences),
    h('div', {class: 'panel'}, h('h3', {}, t('monitor.compareMetrics')), metrics),
    h('div', {class: 'panel'}, h('h3', {}, t('monitor.compareTitle', {ids: ids.map(id => '#' + id).join(', ')})), note, chart),
    h('div', {class: 'panel'}, h('header', {}, h('h3', {}, t('monitor.parallel')), h('span', {class: 'grow'}),
      field(t('monitor.parallelMetric'), metricChoice)), parallel));
  api('/tasks/compare' + query({ids: ids.join(',')})).then(async comparison => {
    if (closed) return;
    const runs = comparison.runs;
    const datasetIds = runs.map(run => run.dataset?.id);
    await listDatasets(false, datasetIds);
    differences.replaceChildren(differenceTable(runs, comparison.differences), ...versionDiffs(datasetIds));
    metrics.replaceChildren(table([
      {label: 'ID', class: 'num', render: run => h('a', {href: `#/monitor/${run.id}`}, String(run.id))},
      {label: t('tasks.name'), render: run => run.name || t('tasks.unnamed')},
      {label: t('tasks.dataset'), render: run => datasetLabel(run.dataset?.id)},
      {label: t('tasks.status'), render: run => badge(run.status)},
      {label: 'SOTA', class: 'nowrap', render: run => run.metrics?.sota
        ? t('monitor.loopN', {n: run.metrics.sota.loop}) : h('span', {class: 'muted'}, t('monitor.noneAccepted'))},
      ...METRICS.map(([key, label, format]) => ({label: label.includes('.') ? t(label) : label, class: 'num',
        render: run => format(run.metrics?.sota?.values?.[key])})),
    ], runs, {tableClass: 'compare-metrics'}));
    const drawParallel = async () => {
      const instance = await parallelChart(parallel, runs, comparison.differences.params, metricChoice.value);
      if (instance && !charts.includes(instance)) charts.push(instance);
    };
    metricChoice.addEventListener('change', drawParallel);
    await drawParallel();
    // each run's SOTA curve, a few requests at a time
    const reports = await inBatches(runs, CURVE_FETCHES, run =>
      api(`/tasks/${run.id}/report`).catch(error => ({reason: error.message})));
    if (closed) return;
    const instance = await equityChart(chart, runs.map((run, i) => ({name: `#${run.id} ${run.name || ''}`.trim(),
      report: reports[i]})), note);
    if (instance) charts.push(instance);
  }).catch(toastError);
  return {
    close() {
      closed = true;
      charts.forEach(instance => instance.dispose());
    },
  };
}

const datasetText = dataset => dataset ? `${dataset.name ?? '#' + dataset.id} v${dataset.version ?? '?'}` : '—';

async function inBatches(items, size, fetch) {
  const results = [];
  for (let i = 0; i < items.length; i += size) {
    results.push(...await Promise.all(items.slice(i, i + size).map(fetch)));
  }
  return results;
}

/** One row per difference (a parameter, the dataset, a template), one column per run. */
function differenceTable(runs, differences) {
  const rows = [
    ...differences.params.map(diff => ({what: diff.key, value: run => formatValue(diff.values[run.id])})),
    ...(differences.dataset ? [{what: t('monitor.diffDataset'), value: run => datasetText(run.dataset)}] : []),
    ...differences.templates.map(diff => ({
      what: h('span', {}, t('monitor.diffTemplate', {file: diff.file.split('/').pop()}), h('br'),
        h('span', {class: 'muted'}, diff.changed_keys ? t('monitor.changedKeys', {keys: diff.changed_keys.join(', ')})
          : t('monitor.changedUnknown'))),
      value: run => diff.versions[run.id]?.version_id ? versionLabel(diff.versions[run.id].version_id) : '—',
    })),
  ];
  if (!rows.length) return emptyState(t('monitor.noDifferences'));
  return table([
    {label: t('monitor.diffWhat'), class: 'nowrap', render: row => row.what},
    ...runs.map(run => ({label: '#' + run.id, render: row => row.value(run)})),
  ], rows, {tableClass: 'compare-differences'});
}

const versionLabel = id => 'v' + id;

function formatValue(value) {
  if (value === null || value === undefined) return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * Parallel coordinates: one axis per differing parameter (numbers as values, others as categories) and the chosen
 * metric last; one line per run.
 */
async function parallelChart(el, runs, params, metric) {
  const axes = params.map((param, i) => {
    const values = runs.map(run => param.values[run.id]);
    const numeric = values.every(v => v === null || typeof v === 'number');
    return numeric ? {dim: i, name: param.key}
      : {dim: i, name: param.key, type: 'category', data: [...new Set(values.map(formatValue))]};
  });
  axes.push({dim: params.length, name: metric});
  const data = runs.map(run => ({name: '#' + run.id, value: [
    ...params.map(param => {
      const value = param.values[run.id];
      return typeof value === 'number' ? value : formatValue(value);
    }),
    run.metrics?.sota?.values?.[metric] ?? null,
  ]}));
  const echarts = await loadECharts();
  const chart = echarts.getInstanceByDom(el) || echarts.init(el);
  chart.setOption({
    animation: false,
    tooltip: {},
    parallelAxis: axes,
    parallel: {left: 60, right: 60, top: 40, bottom: 30},
    series: [{type: 'parallel', lineStyle: {width: 1.5, opacity: 0.6}, data}],
  }, true);
  new ResizeObserver(() => chart.resize()).observe(el);
  return chart;
}

export default {
  id: 'monitor',
  mount,
  show,
  hide: stop,
};
