// 定时任务: recurring experiments. A schedule is a cron (Quartz or 5-field Unix), a time zone and the task body each
// fire submits (edited with the new-task form); the service computes the fire times, previewed while typing.
import {api, query} from './api.js';
import {t} from './i18n.js';
import {
  h, fill, table, emptyState, openDialog, confirmDialog, toast, toastError, showFieldError, clearFieldErrors, field, select,
  badge, fmtTime, debounce,
} from './ui.js';
import {taskForm} from './tasks.js';
import {notifyMe} from './notifications.js';

const PREVIEW_COUNT = 5;
let root;
let list;

function mount(section) {
  root = section;
  list = h('div');
  root.append(h('div', {class: 'panel'},
    h('header', {}, h('h2', {}, t('tab.schedules')), h('span', {class: 'grow'}),
      h('button', {type: 'button', onclick: () => load().catch(toastError)}, t('common.refresh')),
      h('button', {type: 'button', class: 'primary', id: 'new-schedule', 'data-needs': 'OPERATOR', onclick: () => edit()},
        t('schedules.new'))),
    list));
}

/** The list shows every time in one zone, the browser's, named in the column headers. */
const BROWSER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** A time in the browser's zone, with the weekday there. */
function localTime(iso) {
  const weekday = new Date(iso).toLocaleDateString(t('schedules.locale'), {weekday: 'short'});
  return `${fmtTime(iso)} (${weekday})`;
}

async function load() {
  const page = await api('/schedules' + query({size: 200}));
  const zone = ` (${BROWSER_ZONE})`;
  list.replaceChildren(table([
    {label: 'ID', class: 'num', render: s => String(s.id)},
    {label: t('schedules.name'), render: s => h('b', {}, s.name)},
    {label: 'cron', render: s => h('span', {class: 'mono', title: s.quartz_cron || ''}, s.cron)},
    {label: t('schedules.zone'), render: s => s.time_zone},
    {label: t('schedules.state'), render: s => h('span', {class: 'badge ' + (s.enabled ? 'ok' : '')},
      s.enabled ? t('schedules.enabled') : t('schedules.paused'))},
    {label: t('schedules.next') + zone, render: s => s.next_fire_times?.length
      ? h('span', {title: s.next_fire_times.map(time => localTime(time)).join('\n')}, localTime(s.next_fire_times[0]))
      : h('span', {class: 'muted'}, '—')},
    {label: t('schedules.last') + zone, class: 'nowrap', render: s => fmtTime(s.last_fire_at)},
    {label: t('schedules.lastTask'), render: s => {
      const recent = s.recent_tasks?.[0];
      return s.last_task_id ? [h('a', {href: `#/monitor/${s.last_task_id}`}, '#' + s.last_task_id), ' ',
        recent && recent.id === s.last_task_id ? badge(recent.status) : ''] : '—';
    }},
    {label: t('schedules.policies'), class: 'muted', render: s =>
      `${t('schedules.overlap.' + s.overlap_policy)} · ${t('schedules.misfire.' + s.misfire_policy)}`},
    {label: t('tasks.actions'), class: 'actions', render: s => h('span', {class: 'actions', 'data-needs': 'OPERATOR'},
      h('button', {type: 'button', class: 'link', 'data-action': 'edit', onclick: () => edit(s)}, t('common.edit')),
      h('button', {type: 'button', class: 'link', 'data-action': s.enabled ? 'pause' : 'resume',
        onclick: () => act(s, s.enabled ? 'pause' : 'resume')}, s.enabled ? t('schedules.pause') : t('schedules.resume')),
      h('button', {type: 'button', class: 'link', 'data-action': 'run-now', onclick: () => act(s, 'run-now')},
        t('schedules.runNow')),
      h('button', {type: 'button', class: 'link', 'data-action': 'notify-me', onclick: () => notifyMe('schedule', s.id)},
        t('notify.notifyMe')),
      h('button', {type: 'button', class: 'link danger', 'data-action': 'delete', onclick: () => remove(s)},
        t('common.delete')))},
  ], page.items, {
    empty: emptyState(t('schedules.none'), h('button', {type: 'button', class: 'link', onclick: () => edit()}, t('schedules.noneNext'))),
    rowProps: s => ({'data-schedule-id': s.id}),
  }));
}

/** A fire time in the schedule's own zone, as the service sent it, with the weekday. */
function fireTime(iso) {
  // the weekday of the date as written (the schedule's zone), not of the browser's zone
  const weekday = new Date(iso.slice(0, 10) + 'T12:00:00Z').toLocaleDateString(t('schedules.locale'),
    {weekday: 'short', timeZone: 'UTC'});
  return `${iso.slice(0, 16).replace('T', ' ')} ${iso.slice(16).replace(/^:\d\d(\.\d+)?/, '')} (${weekday})`;
}

async function act(schedule, action) {
  try {
    const result = await api(`/schedules/${schedule.id}/${action}`, {method: 'POST'});
    if (action === 'run-now') {
      const ids = (result.tasks || [result]).map(task => '#' + task.id).join(', ');
      toast(t('schedules.ran', {name: schedule.name, ids}));
    } else {
      toast(t(action === 'pause' ? 'schedules.pausedToast' : 'schedules.resumedToast', {name: schedule.name}));
    }
  } catch (error) {
    toastError(error);
  }
  await load().catch(toastError);
}

async function remove(schedule) {
  const ok = await confirmDialog({
    title: t('schedules.deleteTitle'),
    message: t('schedules.deleteConfirm', {name: schedule.name}),
    confirm: t('common.delete'),
  });
  if (!ok) return;
  try {
    await api(`/schedules/${schedule.id}`, {method: 'DELETE'});
    toast(t('schedules.deleted', {name: schedule.name}));
  } catch (error) {
    toastError(error);
  }
  await load().catch(toastError);
}

/** The create/edit dialog: schedule fields, a live preview of the next fires, and the task form. */
async function edit(schedule) {
  const pin = schedule?.config_pin;
  const task = taskForm({...(schedule?.task || {}), source_history_ids: pin?.mode === 'fixed' ? pin.history_ids : []});
  const zone = schedule?.time_zone || Intl.DateTimeFormat().resolvedOptions().timeZone || 'Asia/Shanghai';
  const cron = h('input', {name: 'cron', class: 'mono', value: schedule?.cron || '0 30 9 ? * MON-FRI'});
  const timeZone = h('input', {name: 'time_zone', value: zone, list: 'time-zones'});
  const preview = h('div', {class: 'result', id: 'cron-preview'});
  const enabled = h('input', {type: 'checkbox', name: 'enabled', checked: schedule ? schedule.enabled : true});
  const head = h('div', {class: 'form'},
    field(t('schedules.name'), h('input', {name: 'name', value: schedule?.name || ''}), {wide: true}),
    field(t('schedules.state'), h('span', {class: 'switch'}, enabled, t('schedules.enabled')), {group: true}),
    h('span'),
    field('cron', cron, {wide: true, hint: t('schedules.cronHint')}),
    field(t('schedules.zone'), timeZone, {wide: true}),
    field(t('schedules.preview'), preview, {full: true, group: true}),
    field(t('schedules.overlapLabel'), select('overlap_policy', ['skip', 'queue'].map(p => [p, t('schedules.overlap.' + p)]),
      schedule?.overlap_policy || 'skip'), {wide: true}),
    field(t('schedules.misfireLabel'), select('misfire_policy', ['fire_once', 'skip'].map(p => [p, t('schedules.misfire.' + p)]),
      schedule?.misfire_policy || 'fire_once'), {wide: true}),
    h('datalist', {id: 'time-zones'}, ['Asia/Shanghai', 'Asia/Hong_Kong', 'UTC', 'America/New_York', 'Europe/London']
      .map(z => h('option', {value: z}))));

  const showPreview = debounce(async () => {
    try {
      const next = await api('/schedules/preview' + query({cron: cron.value, time_zone: timeZone.value, count: PREVIEW_COUNT}));
      preview.className = 'result ok';
      fill(preview, next.next_fire_times.map(time => h('div', {}, fireTime(time))),
        !next.next_fire_times.length && t('schedules.neverFires'));
    } catch (error) {
      preview.className = 'result bad';
      preview.textContent = error.message;
    }
  }, 300);
  cron.addEventListener('input', showPreview);
  timeZone.addEventListener('input', showPreview);
  showPreview();

  const form = await task;
  const body = h('div', {}, head, h('h3', {style: 'margin:12px 0 6px'}, t('schedules.task')), form.el);
  const value = name => head.querySelector(`[name="${name}"]`).value.trim();
  await openDialog({
    title: schedule ? t('schedules.editTitle', {name: schedule.name}) : t('schedules.new'),
    wide: true,
    body,
    actions: [{label: t('common.save'), primary: true, run: async () => {
      clearFieldErrors(head);
      const params = form.read();
      if (!params) return false;
      const ids = params.source_history_ids || [];
      delete params.source_history_ids;
      const json = {
        name: head.querySelector('[name="name"]').value, cron: value('cron'), time_zone: value('time_zone'), task: params,
        config_pin: ids.length ? {mode: 'fixed', history_ids: ids} : {mode: 'current'},
        overlap_policy: value('overlap_policy'), misfire_policy: value('misfire_policy'), enabled: enabled.checked,
      };
      try {
        const saved = await api(schedule ? `/schedules/${schedule.id}` : '/schedules',
          {method: schedule ? 'PUT' : 'POST', json});
        toast(t('schedules.saved', {name: saved.name}));
        await load();
        return true;
      } catch (error) {
        // task.loop_n belongs to the task form, config_pin.* to its config source, the rest to the head
        const fieldName = error.field || '';
        if (fieldName.startsWith('task.')) form.showError({message: error.message, field: fieldName.slice(5)});
        else if (fieldName.startsWith('config_pin')) form.showError({message: error.message, field: 'source_history_ids'});
        else if (!showFieldError(head, fieldName.split('.')[0], error.message)) toastError(error);
        return false;
      }
    }}],
  });
}

export default {
  id: 'schedules',
  mount,
  show: () => load().catch(toastError),
};
