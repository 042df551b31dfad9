import { acceptLanguage, t } from './i18n.js';

// The HTTP API of api.md with the technician's bearer token. Login once: the token stays on the phone until it expires.
export const session = {
  get token() { return localStorage.getItem('fl.token'); },
  get user() { return localStorage.getItem('fl.user'); },
  get expiresAt() { return localStorage.getItem('fl.expires'); },
};

/**
 * The signed-in person's roles, read from the token: only to decide which screens to offer (the server checks every
 * request itself). Read from the token rather than kept at login, so a phone signed in before an update knows them too.
 */
export function roles() {
  try {
    const part = session.token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(part), (c) => c.charCodeAt(0))));
    return [].concat(claims.role || []);
  } catch { return []; }
}

export class OfflineError extends Error {}
export class HttpError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/**
 * What a failed request tells the technician, in their language: the server's own words (it answers in the phone's
 * language), else the app's. Never the browser's message ("TypeError: Failed to fetch"), which is English.
 */
export function errorText(x) {
  if (x instanceof HttpError) return x.problem?.errors ? Object.values(x.problem.errors).flat().join(' ') : x.problem?.detail || t('failed', x.status);
  return t(x instanceof OfflineError ? 'offline' : 'unknownError');
}

export async function login(username, password) {
  const r = await fetch('/api/auth/token', { method: 'POST', headers: { 'content-type': 'application/json', 'Accept-Language': acceptLanguage() }, body: JSON.stringify({ username, password }) });
  if (!r.ok) throw new HttpError(r.status, await r.json().catch(() => null));
  const body = await r.json();
  localStorage.setItem('fl.token', body.accessToken);
  localStorage.setItem('fl.user', username);
  localStorage.setItem('fl.expires', body.expiresAt);
  return body;
}

export function logout() {
  for (const k of ['fl.token', 'fl.user', 'fl.expires']) localStorage.removeItem(k);
}

/** One request; a network failure is an OfflineError (the caller keeps the work queued), an HTTP error an HttpError. */
export async function request(method, path, { body, headers = {}, raw = false } = {}) {
  let r;
  try {
    r = await fetch(path, {
      method,
      headers: { Authorization: `Bearer ${session.token}`, 'Accept-Language': acceptLanguage(), ...(body !== undefined && !(body instanceof Blob) ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : (body instanceof Blob ? body : JSON.stringify(body)),
    });
  } catch (e) {
    throw new OfflineError(String(e));
  }
  if (r.status === 401) window.dispatchEvent(new CustomEvent('fl:unauthorized'));
  if (!r.ok) throw new HttpError(r.status, await r.json().catch(() => null));
  if (raw) return r;
  const text = await r.text();
  return { data: text ? JSON.parse(text) : null, replayed: r.headers.get('Idempotent-Replayed') === 'true' };
}

export const get = async (path) => (await request('GET', path)).data;

/** Saves the language chosen on the phone to the user, so notifications and SMS follow it; offline it waits for the next login. */
export async function saveLanguage() {
  if (!session.token) return;
  try { await request('PUT', '/api/me/language', { body: { language: acceptLanguage() } }); } catch { /* best effort */ }
}
