// Spring Security's CSRF token, from the cookie it writes for scripts (shared by the console and the login page).
export function csrfToken() {
  const entry = document.cookie.split('; ').find(c => c.startsWith('XSRF-TOKEN='));
  return entry ? decodeURIComponent(entry.slice('XSRF-TOKEN='.length)) : '';
}
