// The login page keeps the console address it was sent from (#/monitor/9 survives a redirect to /login as its
// fragment, but not the form post): the console opens it after sign-in (main.js).
export const AFTER_LOGIN = 'rdagent.afterLogin';

/** Only a console route: a hash of path characters, never a URL. */
export const consoleRoute = hash => (/^#\/[\w\-/,.%]{0,200}$/.test(hash || '') ? hash : null);

if (document.body?.classList.contains('login-page')) {
  const route = consoleRoute(location.hash);
  if (route) sessionStorage.setItem(AFTER_LOGIN, route);
}
