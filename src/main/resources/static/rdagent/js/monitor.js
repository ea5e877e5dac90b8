// 运行监控: one task live (progress with step names, loops, metrics, equity curve, the log streamed over SSE), or
// 2–5 tasks compared (equity curves overlaid, metrics side by side).
import {api, apiUrl, query} from './api.js';
import {t} from './i18n.js';
import {
  h, fill, table, emptyState, toastError, badge, fmtTime, fmtDuration, fmtNum, fmtPct, debounce, poller,
} from './ui.js';
import {ACTIVE, ANNUAL_RETURN, taskProgress, elapsed, cancelTask} from './tasks.js';
import {datasetLabel, listDatasets, versionDiffs} from './datasets.js';

const STEPS = ['direct_exp_gen', 'coding', 'running', 'feedback', 'record'];
const METRICS = [
  ['IC', 'IC', fmtNum],
  ['ICIR', 'ICIR', fmtNum],
  ['Rank IC', 'Rank IC', fmtNum],
  ['Rank ICIR', 'Rank ICIR', fmtNum],
  [ANNUAL_RETURN, 'metric.annualReturn', fmtPct],
  ['1day.excess_return_with_cost.information_ratio', 'metric.infoRatio', fmtNum],
  ['1day.excess_return_with_cost.max_drawdown', 'metric.maxDrawdown', fmtPct],
];
/** The log view keeps this many lines; the download (run.log from the server) has all of them. */
const MAX_LINES = 5000;
/** A long log opens at its last bytes, not its beginning. */
const TAIL_BYTES = 256 * 1024;
const MAX_COMPARE = 5;

let root;
let body;
let session = null;

function mount(section) {
  root = section;
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
    await listDatasets();
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
    cards: h('div', {class: 'cards', id: 'metric-cards'}),
    chart: h('div', {class: 'chart', id: 'equity-chart'}),
    chartNote: h('div', {class: 'muted'}),
    loops: h('div', {class: 'loops'}),
  };
  const log = logView(id);
  body.replaceChildren(view.head, view.cards,
    h('div', {class: 'grid2'},
      h('div', {class: 'panel'}, h('h3', {}, t('monitor.equity')), view.chartNote, view.chart),
      h('div', {class: 'panel'}, h('h3', {}, t('monitor.loops')), view.loops)),
    log.el);
  let task = null;
  let reported = false;
  let chart = null;

  const poll = poller(async () => {
    const [next, loops] = await Promise.all([api(`/tasks/${id}`), api(`/tasks/${id}/loops`), listDatasets()]);
    task = next;
    renderHead(view.head, task);
    renderCards(view.cards, task.metrics?.best);
    renderLoops(view.loops, loops);
    if (!ACTIVE.has(task.status) && !reported) {
      reported = true;
      const report = await api(`/tasks/${id}/report`);
      chart = await equityChart(view.chart, [{name: t('monitor.strategy'), report}], view.chartNote);
    } else if (!reported) {
      view.chartNote.textContent = t('monitor.chartLater');
    }
  }, () => (task && !ACTIVE.has(task.status) ? null : 1500));

  return {
    close() {
      poll.stop();
      log.close();
      chart?.dispose();
    },
  };
}

function renderHead(box, task) {
  const p = task.progress || {};
  const running = task.status === 'RUNNING';
  const spent = elapsed(task);
  const current = STEPS.indexOf(p.step_name);
  fill(box,
    h('header', {},
      h('h2', {}, `#${task.id} ${task.name || t('tasks.unnamed')}`), badge(task.status),
      h('span', {class: 'muted'}, `${task.scenario} · `, datasetLabel(task.dataset_id)),
      h('span', {class: 'grow'}),
      ACTIVE.has(task.status) && h('button', {type: 'button', class: 'danger', 'data-action': 'cancel', 'data-needs': 'OPERATOR',
        onclick: () => cancelTask(task, () => {})}, t('tasks.cancel')),
      task.archive_path && h('a', {class: 'button', href: apiUrl(`/tasks/${task.id}/artifacts.zip`), download: ''},
        t('monitor.downloadAll'))),
    taskProgress(task, true),
    h('div', {class: 'steps', id: 'steps'}, STEPS.map((step, i) => h('span', {
      class: task.status === 'SUCCEEDED' || (current >= 0 && i < current) ? 'done' : i === current && running ? 'current' : '',
    }, t('step.' + step)))),
    h('div', {class: 'facts'},
      h('span', {}, t('monitor.loop'), ' ', h('b', {}, p.loop === null || p.loop === undefined ? '—'
        : `${p.loop + 1}${p.loops_total ? ' / ' + p.loops_total : ''}`)),
      h('span', {}, t('monitor.elapsed'), ' ', h('b', {}, fmtDuration(spent))),
      h('span', {}, t('monitor.remaining'), ' ', h('b', {}, running ? fmtDuration(remaining(task, spent)) : '—')),
      h('span', {}, t('tasks.started'), ' ', h('b', {}, fmtTime(task.started_at, true))),
      h('span', {}, t('monitor.finished'), ' ', h('b', {}, fmtTime(task.finished_at, true))),
      task.node && h('span', {}, t('monitor.node'), ' ', h('b', {}, task.node)),
      task.exit_code !== null && task.exit_code !== undefined && h('span', {}, t('monitor.exitCode'), ' ', h('b', {}, String(task.exit_code))),
      task.stop_reason && h('span', {}, t('monitor.stopReason'), ' ', h('b', {}, task.stop_reason))),
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

function renderCards(box, best) {
  box.replaceChildren(...METRICS.map(([key, label, format]) => {
    const value = best?.metrics?.[key];
    const signed = key === ANNUAL_RETURN || key.endsWith('information_ratio');
    return h('div', {class: 'card', title: best ? t('monitor.bestOf', {name: best.name}) : ''},
      h('div', {class: 'label'}, label.includes('.') ? t(label) : label),
      h('div', {class: 'value ' + (signed && value > 0 ? 'pos' : signed && value < 0 ? 'neg' : '')}, format(value)));
  }));
}

function renderLoops(box, loops) {
  box.replaceChildren(table([
    {label: t('monitor.loop'), class: 'num', render: l => String(l.loop + 1)},
    {label: t('monitor.hypothesis'), render: l => h('div', {class: 'clamp2',
      title: [l.hypothesis, l.reason].filter(Boolean).join('\n\n')}, l.hypothesis || '—')},
    {label: 'IC', class: 'num', render: l => fmtNum(l.metrics?.IC)},
    {label: t('monitor.annual'), class: 'num nowrap', render: l => fmtPct(l.metrics?.[ANNUAL_RETURN])},
    {label: t('monitor.decision'), class: 'nowrap', render: l => l.decision === null || l.decision === undefined ? '—'
      : h('span', {class: l.decision ? 'decision-yes' : 'decision-no', title: l.decision_reason || ''},
        l.decision ? t('monitor.accepted') : t('monitor.rejected'))},
  ], loops, {empty: t('monitor.noLoops'), tableClass: 'loops'}));
}

/**
 * The live log: SSE events named "log" (one line each, id = byte offset after it) until "end". EventSource
 * reconnects by itself and sends Last-Event-ID, so the stream resumes where it broke. Scrolling up pauses the
 * follow; search marks matches among the lines kept.
 */
function logView(id) {
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

let echartsLoading = null;

/** ECharts (about 1 MB) loads on the first chart, not with the page. */
function loadECharts() {
  echartsLoading ??= new Promise((resolve, reject) => {
    const script = h('script', {src: '/webjars/echarts/dist/echarts.min.js'});
    script.addEventListener('load', () => resolve(window.echarts));
    script.addEventListener('error', () => {
      echartsLoading = null;
      reject(new Error(t('monitor.chartLibMissing')));
    });
    document.head.append(script);
  });
  return echartsLoading;
}

/**
 * Equity curves, each normalised to start at 1: every run's account, and the benchmark of the first one.
 * @param runs [{name, report}]
 */
async function equityChart(el, runs, note) {
  const drawn = runs.filter(run => run.report?.points?.length);
  if (!drawn.length) {
    note.textContent = runs.flatMap(run => run.report?.warnings || []).join('\n') || t('monitor.noCurve');
    el.hidden = true;
    return null;
  }
  note.textContent = '';
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
  const note = h('div', {class: 'muted'});
  const metrics = h('div');
  let instance = null;
  let closed = false;
  if (ids.length < 2 || ids.length > MAX_COMPARE) {
    body.replaceChildren(h('div', {class: 'panel'}, emptyState(t('monitor.compareHow'), t('monitor.compareNext'))));
    return {close() {}};
  }
  body.replaceChildren(
    h('div', {class: 'panel'}, h('h3', {}, t('monitor.compareTitle', {ids: ids.map(id => '#' + id).join(', ')})), note, chart),
    h('div', {class: 'panel'}, h('h3', {}, t('monitor.compareMetrics')), metrics));
  Promise.all(ids.map(id => Promise.all([api(`/tasks/${id}`), api(`/tasks/${id}/report`).catch(() => null)])))
    .then(async runs => {
      if (closed) return;
      await listDatasets();
      metrics.replaceChildren(table([
        {label: 'ID', class: 'num', render: ([task]) => h('a', {href: `#/monitor/${task.id}`}, String(task.id))},
        {label: t('tasks.name'), render: ([task]) => task.name || t('tasks.unnamed')},
        {label: t('tasks.dataset'), render: ([task]) => datasetLabel(task.dataset_id)},
        {label: t('tasks.status'), render: ([task]) => badge(task.status)},
        ...METRICS.map(([key, label, format]) => ({label: label.includes('.') ? t(label) : label, class: 'num',
          render: ([task]) => format(task.metrics?.best?.metrics?.[key])})),
        {label: t('tasks.duration'), class: 'num', render: ([task]) => fmtDuration(elapsed(task))},
      ], runs), ...versionDiffs(runs.map(([task]) => task.dataset_id)));
      instance = await equityChart(chart, runs.map(([task, report]) => ({name: `#${task.id} ${task.name || ''}`.trim(), report})), note);
    }).catch(toastError);
  return {
    close() {
      closed = true;
      instance?.dispose();
    },
  };
}

export default {
  id: 'monitor',
  mount,
  show,
  hide: stop,
};
