// 通知: channels (ADMIN; secrets go in and come back masked), rules, the delivery log, test buttons; and "notify me",
// which the task and schedule views open for one task, schedule or batch.
import {api, query} from './api.js';
import {t} from './i18n.js';
import {h, table, openDialog, confirmDialog, toast, toastError, showFieldError, clearFieldErrors, field, select, fmtTime} from './ui.js';

const TYPES = ['dingtalk', 'wecom', 'feishu', 'email', 'webhook'];
/** Each type's own fields: [name, secret?]. */
const FIELDS = {
  dingtalk: [['webhook', true], ['secret', true]],
  feishu: [['webhook', true], ['secret', true]],
  wecom: [['key', true], ['url', false]],
  webhook: [['url', true], ['secret', true]],
  email: [['smtp_host', false], ['smtp_port', false], ['security', false], ['username', false], ['password', true],
    ['from', false], ['to', false]],
};
const EVENTS = ['task_succeeded', 'task_failed', 'task_timed_out', 'task_cancelled', 'budget_warning', 'budget_stop',
  'quota_reached', 'stalled', 'schedule_failed', 'schedule_skipped', 'metric_threshold', 'digest'];
const LOG_SIZE = 20;
let channelList;
let ruleList;
let logList;
let logPage = 0;

function mount(section) {
  channelList = h('div', {id: 'channels'});
  ruleList = h('div', {id: 'rules'});
  logList = h('div', {id: 'deliveries'});
  section.append(
    h('div', {class: 'panel'},
      h('header', {}, h('h2', {}, t('notify.channels')), h('span', {class: 'grow'}),
        h('button', {type: 'button', class: 'primary', id: 'new-channel', 'data-needs': 'ADMIN', onclick: () => editChannel()},
          t('notify.newChannel'))),
      channelList),
    h('div', {class: 'panel'},
      h('header', {}, h('h2', {}, t('notify.rules')), h('span', {class: 'grow'}),
        h('button', {type: 'button', class: 'primary', id: 'new-rule', 'data-needs': 'OPERATOR', onclick: () => editRule({})},
          t('notify.newRule'))),
      ruleList),
    h('div', {class: 'panel'},
      h('header', {}, h('h2', {}, t('notify.log')), h('span', {class: 'grow'}),
        h('button', {type: 'button', onclick: () => loadLog().catch(toastError)}, t('common.refresh'))),
      logList));
}

async function load() {
  await Promise.all([loadChannels(), loadRules(), loadLog()]);
}

async function loadChannels() {
  const channels = await api('/channels');
  channelList.replaceChildren(table([
    {label: 'ID', class: 'num', render: c => String(c.id)},
    {label: t('notify.name'), render: c => h('b', {}, c.name)},
    {label: t('notify.type'), render: c => t('notify.type.' + c.type)},
    {label: t('notify.target'), class: 'mono', render: c => Object.entries(c.secrets).map(([k, v]) => `${k}: ${v}`).join(' · ')
      || (c.settings.to || []).join(', ')},
    {label: t('notify.rate'), class: 'num', render: c => String(c.rate_per_minute)},
    {label: t('tasks.actions'), class: 'actions', render: c => h('span', {class: 'actions', 'data-needs': 'ADMIN'},
      h('button', {type: 'button', class: 'link', 'data-action': 'test', onclick: () => testChannel(c)}, t('notify.test')),
      h('button', {type: 'button', class: 'link', 'data-action': 'edit', onclick: () => editChannel(c)}, t('common.edit')),
      h('button', {type: 'button', class: 'link danger', 'data-action': 'delete', onclick: () => removeChannel(c)},
        t('common.delete')))},
  ], channels, {empty: t('notify.noChannels'), rowProps: c => ({'data-channel-id': c.id})}));
}

async function loadRules() {
  const rules = await api('/notification-rules' + query({size: 200}));
  ruleList.replaceChildren(table([
    {label: 'ID', class: 'num', render: r => String(r.id)},
    {label: t('notify.name'), render: r => r.name},
    {label: t('notify.events'), render: r => r.events.map(e => t('notify.event.' + e)).join('、')},
    {label: t('notify.scope'), render: r => t('notify.scope.' + r.scope) + (r.scope_value ? ' ' + r.scope_value : '')},
    {label: t('notify.channel'), class: 'num', render: r => '#' + r.channel_id},
    {label: t('notify.owner'), render: r => r.owner},
    {label: t('tasks.actions'), class: 'actions', render: r => h('span', {class: 'actions', 'data-needs': 'OPERATOR'},
      h('button', {type: 'button', class: 'link danger', 'data-action': 'delete', onclick: () => removeRule(r)},
        t('common.delete')))},
  ], rules.items, {empty: t('notify.noRules'), rowProps: r => ({'data-rule-id': r.id})}));
}

async function loadLog() {
  const page = await api('/notifications' + query({page: logPage, size: LOG_SIZE}));
  const pages = Math.max(1, Math.ceil(page.total / LOG_SIZE));
  logList.replaceChildren(table([
    {label: t('notify.when'), class: 'nowrap', render: a => fmtTime(a.attempted_at, true)},
    {label: t('notify.channel'), render: a => a.channel_name},
    {label: t('notify.events'), render: a => t('notify.event.' + a.kind)},
    {label: t('notify.task'), render: a => a.task_id ? h('a', {href: `#/monitor/${a.task_id}`}, '#' + a.task_id) : '—'},
    {label: t('notify.attempt'), class: 'num', render: a => String(a.attempt)},
    {label: t('notify.outcome'), render: a => h('span', {class: 'badge ' + (a.outcome === 'sent' ? 'SUCCEEDED' : 'FAILED')},
      t('notify.outcome.' + a.outcome))},
    {label: t('notify.error'), class: 'muted', render: a => a.error || ''},
  ], page.items, {empty: t('notify.noLog')}),
  h('div', {class: 'pager'},
    h('button', {type: 'button', disabled: logPage === 0, onclick: () => { logPage--; loadLog().catch(toastError); }}, t('common.prev')),
    h('span', {class: 'muted'}, t('common.pageOf', {page: logPage + 1, pages, total: page.total})),
    h('button', {type: 'button', disabled: logPage + 1 >= pages, onclick: () => { logPage++; loadLog().catch(toastError); }},
      t('common.next'))));
}

async function testChannel(channel) {
  try {
    const result = await api(`/channels/${channel.id}/test`, {method: 'POST'});
    if (result.ok) toast(t('notify.testOk', {name: channel.name}));
    else toast(t('notify.testFailed', {name: channel.name, error: result.error || ''}), 'error');
  } catch (error) {
    toastError(error);
  }
}

async function removeChannel(channel) {
  if (!await confirmDialog({title: t('notify.deleteChannel'), message: t('notify.deleteChannelConfirm', {name: channel.name}),
    confirm: t('common.delete')})) return;
  await api(`/channels/${channel.id}`, {method: 'DELETE'}).catch(toastError);
  await load().catch(toastError);
}

async function removeRule(rule) {
  await api(`/notification-rules/${rule.id}`, {method: 'DELETE'}).catch(toastError);
  await loadRules().catch(toastError);
}

/** The channel dialog; a secret field left as shown (masked) keeps its stored value. */
async function editChannel(channel) {
  const type = select('type', TYPES.map(v => [v, t('notify.type.' + v)]), channel?.type || 'dingtalk');
  const own = h('div', {class: 'form'});
  const head = h('div', {class: 'form'},
    field(t('notify.name'), h('input', {name: 'name', value: channel?.name || ''}), {wide: true}),
    field(t('notify.type'), type),
    field(t('notify.language'), select('language', [['zh', '中文'], ['en', 'English']], channel?.language || 'zh')),
    field(t('notify.rate'), h('input', {name: 'rate_per_minute', type: 'number', min: 1, max: 600,
      value: channel?.rate_per_minute ?? ''})));
  const showFields = () => own.replaceChildren(...FIELDS[type.value].map(([name, secret]) => {
    const current = channel?.type === type.value ? (secret ? channel.secrets[name] : channel.settings[name]) : undefined;
    const value = Array.isArray(current) ? current.join(', ') : current ?? '';
    return field(t('notify.field.' + name), name === 'security'
      ? select('security', [['starttls', 'STARTTLS'], ['ssl', 'SSL'], ['none', t('notify.plain')]], value || 'starttls')
      : h('input', {name, value, type: secret && name !== 'webhook' && name !== 'url' ? 'password' : 'text',
        autocomplete: 'off'}), {wide: true});
  }));
  type.addEventListener('change', showFields);
  showFields();
  const body = h('div', {}, head, own);
  await openDialog({
    title: channel ? t('notify.editChannel', {name: channel.name}) : t('notify.newChannel'),
    body,
    actions: [{label: t('common.save'), primary: true, run: async () => {
      clearFieldErrors(body);
      const json = {name: head.querySelector('[name=name]').value, type: type.value,
        language: head.querySelector('[name=language]').value};
      const rate = head.querySelector('[name=rate_per_minute]').value;
      if (rate) json.rate_per_minute = Number(rate);
      for (const [name] of FIELDS[type.value]) {
        const value = own.querySelector(`[name=${name}]`).value.trim();
        if (!value) continue;
        json[name] = name === 'to' ? value.split(/[,\s]+/).filter(Boolean) : name === 'smtp_port' ? Number(value) : value;
      }
      try {
        await api(channel ? `/channels/${channel.id}` : '/channels', {method: channel ? 'PUT' : 'POST', json});
        await loadChannels();
        return true;
      } catch (error) {
        if (!showFieldError(body, error.field, error.message)) toastError(error);
        return false;
      }
    }}],
  });
}

/**
 * The rule dialog; {scope, scope_value} fixed by the caller for "notify me" on a task, schedule or batch.
 * @returns the saved rule, or null
 */
async function editRule({scope, scopeValue, events = ['task_failed', 'task_timed_out']} = {}) {
  const channels = await api('/channels');
  if (!channels.length) {
    toast(t('notify.noChannels'), 'error');
    return null;
  }
  const channel = select('channel_id', channels.map(c => [c.id, `${c.name} (${t('notify.type.' + c.type)})`]), channels[0].id);
  const boxes = EVENTS.map(e => h('label', {class: 'check'},
    h('input', {type: 'checkbox', name: 'events', value: e, checked: events.includes(e)}), t('notify.event.' + e)));
  const scopeSelect = select('scope', ['all', 'mine', 'task', 'schedule', 'batch', 'tag'].map(s => [s, t('notify.scope.' + s)]),
    scope || 'all');
  const extra = h('div', {class: 'form'},
    field(t('notify.scopeValue'), h('input', {name: 'scope_value', value: scopeValue ?? ''})),
    field(t('notify.metric'), select('metric', [['', '—'], ...['ic', 'icir', 'rank_ic', 'annualized_return'].map(m => [m, m])], '')),
    field(t('notify.threshold'), h('input', {name: 'threshold', type: 'number', step: 'any'})),
    field(t('notify.stallAfter'), h('input', {name: 'stall_after', placeholder: '30m'})),
    field(t('notify.digestTime'), h('input', {name: 'digest_time', placeholder: '09:00'})),
    field(t('notify.timeZone'), h('input', {name: 'time_zone', placeholder: 'Asia/Shanghai'})));
  const body = h('div', {class: 'form'}, field(t('notify.channel'), channel, {wide: true}),
    field(t('notify.scope'), scopeSelect), field(t('notify.events'), h('div', {class: 'checks'}, boxes), {full: true, group: true}),
    extra);
  let saved = null;
  await openDialog({
    title: scope && scope !== 'all' ? t('notify.notifyMe') : t('notify.newRule'),
    body,
    actions: [{label: t('common.save'), primary: true, run: async () => {
      clearFieldErrors(body);
      const json = {channel_id: Number(channel.value), scope: scopeSelect.value,
        events: boxes.map(b => b.querySelector('input')).filter(i => i.checked).map(i => i.value)};
      for (const name of ['scope_value', 'metric', 'stall_after', 'digest_time', 'time_zone']) {
        const value = body.querySelector(`[name=${name}]`).value.trim();
        if (value) json[name] = value;
      }
      const threshold = body.querySelector('[name=threshold]').value;
      if (threshold) json.threshold = Number(threshold);
      try {
        saved = await api('/notification-rules', {method: 'POST', json});
        toast(t('notify.ruleSaved'));
        if (ruleList) await loadRules();
        return true;
      } catch (error) {
        if (!showFieldError(body, error.field, error.message)) toastError(error);
        return false;
      }
    }}],
  });
  return saved;
}

/** "Notify me" on one task, schedule or batch: a rule of the signed-in user with that scope. */
export function notifyMe(scope, scopeValue) {
  const events = scope === 'task' ? ['task_succeeded', 'task_failed', 'task_timed_out', 'stalled']
    : ['task_failed', 'task_timed_out', 'schedule_failed'];
  return editRule({scope, scopeValue: String(scopeValue), events}).catch(toastError);
}

export default {
  id: 'notifications',
  mount,
  show: () => load().catch(toastError),
};
