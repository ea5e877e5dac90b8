// The console's few building blocks: an element builder, one table renderer, one dialog, toasts, formatters.
// Everything is built with DOM calls and textContent, never innerHTML, so no value from the server is markup.
import {t} from './i18n.js';

/**
 * h('button', {class: 'primary', onclick: fn, dataset: {id: 1}}, 'Save'): props starting with "on" are listeners,
 * class/text/dataset/style are special, anything else is an attribute (false/null leave it out).
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'style') el.style.cssText = value;
    else if (key === 'value' || key === 'checked' || key === 'selected' || key === 'disabled') el[key] = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  el.append(...nodes(children));
  return el;
}

/** Replaces an element's children, with h()'s rules: arrays flattened, null/false left out. */
export function fill(el, ...children) {
  el.replaceChildren(...nodes(children));
  return el;
}

function nodes(children) {
  return children.flat(Infinity).filter(c => c !== null && c !== undefined && c !== false && c !== '')
    .map(c => c instanceof Node ? c : document.createTextNode(String(c)));
}

/**
 * A table of rows; columns: {label, render(row) → node|text, class}; rowProps(row) gives each tr's props; an empty
 * list shows what to do next.
 */
export function table(columns, rows, {empty, rowProps, tableClass = '', sort, onSort} = {}) {
  const head = h('thead', {}, h('tr', {}, columns.map(c => h('th', {class: c.class,
    'aria-sort': !c.sort ? null : sort === c.sort ? 'ascending' : sort === '-' + c.sort ? 'descending' : 'none'},
  c.sort && onSort ? sortButton(c, sort, onSort) : c.label))));
  const body = h('tbody', {}, rows.length ? rows.map(row => h('tr', rowProps?.(row) || {},
    columns.map(c => h('td', {class: c.class}, c.render(row)))))
    : h('tr', {}, h('td', {class: 'empty', colspan: columns.length}, empty || t('common.empty'))));
  return h('div', {class: 'table-wrap'}, h('table', {class: 'data ' + tableClass}, head, body));
}

/** A sortable column's header: a first click sorts descending (best first), the next one ascending. */
function sortButton(column, sort, onSort) {
  const arrow = sort === column.sort ? ' ▲' : sort === '-' + column.sort ? ' ▼' : '';
  return h('button', {type: 'button', class: 'link sort', 'data-sort': column.sort,
    onclick: () => onSort(sort === '-' + column.sort ? column.sort : '-' + column.sort)}, column.label + arrow);
}

/** An empty state: what there is not, and what to do about it. */
export function emptyState(title, next) {
  return h('div', {class: 'empty'}, h('strong', {}, title), next);
}

/**
 * The one dialog. actions: [{label, primary, danger, run() → false keeps it open}]; resolves with the label of the
 * action that closed it, or null when dismissed (Esc, ×, cancel).
 */
export function openDialog({title, body, actions = [], wide = false}) {
  return new Promise(resolve => {
    const footer = h('footer');
    const form = h('form', {method: 'dialog'}, h('header', {}, title), h('div', {class: 'body'}, body), footer);
    const dialog = h('dialog', {class: wide ? 'wide' : ''}, form);
    let result = null;
    const finish = () => {
      dialog.close();
    };
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(result);
    });
    footer.append(h('button', {type: 'button', onclick: finish}, t('common.cancel')));
    for (const action of actions) {
      const button = h('button', {
        type: 'button',
        class: [action.primary && 'primary', action.danger && 'danger'].filter(Boolean).join(' '),
        onclick: async () => {
          button.disabled = true;
          try {
            if (action.run && await action.run() === false) return;
            result = action.label;
            finish();
          } finally {
            button.disabled = false;
          }
        },
      }, action.label);
      footer.append(button);
    }
    // Enter in a single-line input runs the primary action instead of closing the dialog
    form.addEventListener('submit', event => {
      event.preventDefault();
      footer.querySelector('button.primary')?.click();
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** A confirmation: resolves true only when the user picks the named action. */
export async function confirmDialog({title, message, confirm, danger = true}) {
  const picked = await openDialog({
    title,
    body: h('p', {style: 'margin:0;white-space:pre-wrap'}, message),
    actions: [{label: confirm, primary: true, danger}],
  });
  return picked === confirm;
}

/** A toast that goes away by itself; kind ok | error | info; action: {label, run}. */
export function toast(message, kind = 'ok', action) {
  const box = document.getElementById('toasts');
  const item = h('div', {class: 'toast ' + kind, role: kind === 'error' ? 'alert' : 'status'}, h('span', {}, message));
  if (action) item.append(h('button', {type: 'button', onclick: () => { item.remove(); action.run(); }}, action.label));
  item.append(h('button', {type: 'button', 'aria-label': t('common.close'), onclick: () => item.remove()}, '×'));
  box.append(item);
  setTimeout(() => item.remove(), kind === 'error' ? 10000 : 4000);
}

/**
 * A refusal in the user's language: the service keeps its English message and a stable error code and field, so the
 * console translates the known message forms by code and field, and names the field by its label otherwise (the
 * English message then follows in brackets).
 */
export function errorText(error) {
  if (!error?.error) return error?.message || String(error);
  const message = error.message || '';
  const label = error.field ? fieldLabel(error.field) : '';
  for (const [pattern, key] of MESSAGE_FORMS) {
    const match = message.match(pattern);
    if (match) return t('err.field', {field: label || t('err.request'), text: t(key, match.groups || {})});
  }
  const kind = t('err.' + error.error) === 'err.' + error.error ? t('err.other') : t('err.' + error.error);
  return label ? t('err.fieldOther', {field: label, kind, message}) : t('err.noField', {kind, message});
}

/** The validators' message forms (TaskValidator, BatchService, ApiParams) and their translation keys. */
const MESSAGE_FORMS = [
  [/^must be an integer from (?<min>-?\d+) to (?<max>-?\d+)$/, 'v.intRange'],
  [/^must be an ISO date YYYY-MM-DD$/, 'v.isoDate'],
  [/^must not be before (?<other>\w+) \((?<date>[\d-]+)\)$/, 'err.dateOrder'],
  [/^unknown field$/, 'err.unknownField'],
  [/^must be a positive (task )?id$/, 'err.positiveId'],
  [/^no task (?<id>\d+)$/, 'err.noTask'],
  [/^no dataset (?<id>\d+)$/, 'err.noDataset'],
  [/^makes more than (?<max>\d+) tasks/, 'err.tooManyTasks'],
  [/^must be a non-empty list$/, 'err.emptyList'],
  [/^must be at most (?<n>\d+) characters$/, 'v.maxLength'],
];

/** A request field by its label where the console has one ("loop_n" stays as RD-Agent's own name). */
export function fieldLabel(field) {
  const key = 'field.' + field.replace(/^(base|grid)\./, '');
  const label = t(key);
  return label === key ? field : `${label}（${field}）`;
}

/** Toasts a failed request in the user's language; a stale write is explained with a reload action. */
export function toastError(error, reload) {
  if (error?.status === 409 && reload) {
    toast(t('common.stale') + '\n' + error.message, 'error', {label: t('common.reload'), run: reload});
  } else {
    toast(errorText(error), 'error');
  }
}

/**
 * Marks the input named `field` (or the group with data-field) inside `container` and writes the message under it;
 * returns false when there is no such field, so the caller shows the message elsewhere.
 */
export function showFieldError(container, field, message) {
  const name = CSS.escape(field || '');
  const input = field && container.querySelector(`[name="${name}"], [data-field="${name}"]`);
  if (!input) return false;
  input.classList.add('invalid');
  (input.closest('.field') || input.parentElement).append(h('div', {class: 'field-error'}, message));
  if (!container.querySelector('.invalid:focus')) input.focus?.();
  return true;
}

export function clearFieldErrors(container) {
  container.querySelectorAll('.invalid').forEach(el => el.classList.remove('invalid'));
  container.querySelectorAll('.field-error, .form-error').forEach(el => el.remove());
}

/** A labelled form field around an input; a group of inputs (group: true) is a div, not a label. */
export function field(label, input, {hint, wide, full, group} = {}) {
  return h(group ? 'div' : 'label', {class: 'field' + (wide ? ' wide' : '') + (full ? ' full' : '')},
    h('span', {class: 'label'}, label), input, hint && h('span', {class: 'hint'}, hint));
}

export function select(name, options, value) {
  return h('select', {name}, options.map(([v, label]) => h('option', {value: v, selected: String(v) === String(value ?? '')}, label)));
}

export function badge(status) {
  return h('span', {class: 'badge ' + status}, t('status.' + status));
}

/** A progress bar; state done | failed colours it. */
export function progressBar(percent, text, state = '', big = false) {
  const value = Math.max(0, Math.min(100, Number(percent) || 0));
  return h('div', {class: ['progress', state, big && 'big'].filter(Boolean).join(' '), role: 'progressbar',
    'aria-valuenow': value, 'aria-valuemin': 0, 'aria-valuemax': 100},
  h('div', {class: 'bar', style: `width:${value}%`}), h('span', {class: 'text'}, text ?? `${value.toFixed(0)}%`));
}

const pad = n => String(n).padStart(2, '0');

/** 2026-11-25 14:03:50 in the browser's zone. */
export function fmtTime(iso, withSeconds = false) {
  if (!iso) return '—';
  const d = new Date(iso);
  const time = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return withSeconds ? `${time}:${pad(d.getSeconds())}` : time;
}

/** 1h 02m, 3m 05s, 12s. */
export function fmtDuration(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${pad(Math.floor(s % 3600 / 60))}m`;
  return `${Math.floor(s / 86400)}d ${pad(Math.floor(s % 86400 / 3600))}h`;
}

export function fmtBytes(n) {
  if (n === null || n === undefined || n < 0) return '—';
  if (n < 1024) return `${n} B`;
  if (n < 1 << 20) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1 << 20)).toFixed(1)} MiB`;
}

/** A number with a fixed number of decimals, or a percentage of a ratio; '—' when missing. */
export function fmtNum(x, digits = 4) {
  return x === null || x === undefined || !Number.isFinite(Number(x)) ? '—' : Number(x).toFixed(digits);
}

export function fmtPct(x, digits = 2) {
  return x === null || x === undefined || !Number.isFinite(Number(x)) ? '—' : (Number(x) * 100).toFixed(digits) + '%';
}

export const shortSha = sha => (sha ? sha.slice(0, 10) : '—');

/** Calls fn after the user stopped typing. */
export function debounce(fn, ms = 250) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/**
 * Calls load now, then again after interval() ms (null: stop), slower while the page is hidden. now() reloads at
 * once; stop() ends it. A failed load is reported once, not every tick.
 */
export function poller(load, interval) {
  let timer = null;
  let stopped = false;
  let failing = false;
  let latest = 0;
  const tick = async () => {
    clearTimeout(timer);
    const mine = ++latest;
    if (stopped) return;
    try {
      await load();
      failing = false;
    } catch (error) {
      if (!failing) toastError(error);
      failing = true;
    }
    // a now() during this load started a newer chain: only the newest one schedules the next tick
    const ms = interval();
    if (!stopped && mine === latest && ms !== null) timer = setTimeout(tick, document.hidden ? ms * 5 : ms);
  };
  tick();
  return {
    now: tick,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
