// The one way the console talks to the service: same-origin fetch of the public JSON API, errors as ApiError.
import {csrfToken} from './csrf.js';

const BASE = '/api/rdagent';

/** A refused request: the service's {error, message, field, line, column, lines} and the HTTP status. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `HTTP ${status}`);
    this.status = status;
    this.error = body?.error;
    this.field = body?.field;
    this.line = body?.line;
    this.column = body?.column;
    this.lines = body?.lines; // [{line, message}] when several lines of a refused file are at fault
  }
}

export const apiUrl = path => BASE + path;

/** '?a=1&b=x' from an object, leaving out empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, value);
  }
  const text = search.toString();
  return text ? '?' + text : '';
}

/**
 * @param json a body sent as JSON
 * @param form a FormData body (multipart)
 */
export async function api(path, {method = 'GET', json, form} = {}) {
  // X-Requested-With: a 401 then asks for no browser password prompt, and no login redirect back to JSON
  const headers = {Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest'};
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form) {
    body = form;
  }
  if (method !== 'GET') headers['X-XSRF-TOKEN'] = csrfToken();
  const response = await fetch(BASE + path, {method, headers, body, credentials: 'same-origin'});
  // the login page sends the user back to where they were (login.js)
  if (response.status === 401) location.assign('/login' + location.hash);
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = {message: text.slice(0, 300)};
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}
