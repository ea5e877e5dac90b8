// The console shell: tabs by URL hash (#/tasks, #/monitor/12, …), the header (demo badge, user, language,
// logout) and keyboard shortcuts.
import {api} from './api.js';
import {csrfToken} from './csrf.js';
import {t, lang, setLang, applyI18n} from './i18n.js';
import tasks from './tasks.js';
import config from './config.js';
import datasets from './datasets.js';
import monitor from './monitor.js';
import schedules from './schedules.js';
import batches from './batches.js';
import spend from './spend.js';
import notifications from './notifications.js';
import {AFTER_LOGIN, consoleRoute} from './login.js';

const TABS = {tasks, config, datasets, monitor, schedules, batches, spend, notifications};
const ORDER = Object.keys(TABS);
const mounted = new Set();
let active = null;

function route() {
  // a tab's own query (#/tasks?sort=-ic) is read by the tab
  const [name, ...rest] = location.hash.replace(/^#\/?/, '').split('?')[0].split('/');
  const tab = TABS[name] ? name : 'tasks';
  if (active && active !== tab) TABS[active].hide?.();
  for (const key of ORDER) {
    document.getElementById('tab-' + key).hidden = key !== tab;
    document.querySelector(`.tabs a[data-tab="${key}"]`).setAttribute('aria-selected', String(key === tab));
  }
  if (!mounted.has(tab)) {
    TABS[tab].mount(document.getElementById('tab-' + tab));
    mounted.add(tab);
  }
  active = tab;
  TABS[tab].show(rest);
  document.title = `${t('tab.' + tab)} · ${t('app.title')}`;
}

/** Another language: the static labels change in place, each visited tab is built again. */
function switchLanguage() {
  setLang(lang() === 'zh' ? 'en' : 'zh');
  header();
  for (const key of mounted) {
    document.getElementById('tab-' + key).replaceChildren();
    mounted.delete(key);
  }
  TABS[active].hide?.();
  route();
}

function header() {
  applyI18n(document);
  const button = document.getElementById('lang-switch');
  button.textContent = lang() === 'zh' ? 'English' : '中文';
  button.lang = lang() === 'zh' ? 'en' : 'zh';
}

async function identity() {
  const [system, me] = await Promise.all([api('/system'), api('/me')]);
  document.getElementById('demo-badge').hidden = !system.demo;
  // the highest role: controls it does not allow are hidden (data-needs); the service refuses them anyway
  const role = ['ADMIN', 'OPERATOR', 'VIEWER'].find(r => (me.roles || []).includes('ROLE_' + r)) || 'VIEWER';
  document.body.dataset.role = role;
  document.getElementById('whoami').textContent = `${me.name} · ${role}`;
}

// single keys act only when no field has the focus; Alt+1…9 always switches tabs
document.addEventListener('keydown', event => {
  if (event.altKey && /^[1-9]$/.test(event.key) && Number(event.key) <= ORDER.length) {
    event.preventDefault();
    location.hash = '#/' + ORDER[Number(event.key) - 1];
    return;
  }
  const typing = event.target.closest('input, textarea, select, [contenteditable]') || document.querySelector('dialog[open]');
  if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === '/') {
    const search = document.querySelector(`#tab-${active} [data-search]`);
    if (search) {
      event.preventDefault();
      search.focus();
    }
  } else {
    TABS[active].shortcut?.(event.key);
  }
});

document.getElementById('lang-switch').addEventListener('click', switchLanguage);
document.getElementById('logout').addEventListener('submit', event => {
  event.target.elements._csrf.value = csrfToken();
});
window.addEventListener('hashchange', route);
// a deep link that went through the login page
const afterLogin = consoleRoute(sessionStorage.getItem(AFTER_LOGIN));
sessionStorage.removeItem(AFTER_LOGIN);
if (afterLogin && !location.hash) history.replaceState(null, '', afterLogin);
header();
route();
identity().catch(() => {});
