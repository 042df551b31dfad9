// Live push for the phone: the server's event stream GET /api/notifications/stream (server-sent events), the same one the
// console uses. The phone signs in with a bearer token, which EventSource cannot send (it takes no headers, and a token
// in the URL would end up in logs), so the stream is read with fetch and a streaming body, Authorization header and all.
// It is open only while the app is visible (a phone in a pocket keeps no connection), reconnects with a growing pause
// after a drop, and — for a network or proxy that will not stream — the inbox is also asked every minute while visible.
// Each event is handed on as a window event: `fl:notification` (a message for this technician: the inbox reloads),
// `fl:pool` (the branch's order pool changed: an open pool screen redraws).
import { session } from './api.js';
import { acceptLanguage } from './i18n.js';

const POLL_MS = 60000;
let controller = null;
let pause = 2000;
let retry = null;
let poll = null;

const fire = (name, detail) => window.dispatchEvent(new CustomEvent(name, { detail }));

function handle(kind, data) {
  if (kind === 'poolChanged') fire('fl:pool', data);
  else if (kind === 'workOrderChanged' || kind === 'clockChanged') fire('fl:order', data);
  else {
    // Any other kind is a notification to this user (poolOrder, suspension, appealDecided, leave…).
    fire('fl:notification', data && typeof data === 'object' ? { kind, ...data } : data);
    if (kind === 'poolOrder') fire('fl:pool', data);
  }
}

/** Server-sent events from a streaming body: blocks separated by a blank line, `event:` and `data:` lines. */
async function read(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let kind = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) kind = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length) {
        let parsed = null;
        try { parsed = JSON.parse(data.join('\n')); } catch { /* not ours */ }
        handle(kind, parsed);
      }
    }
  }
}

async function connect() {
  retry = null;
  if (controller || !session.token || document.visibilityState !== 'visible') return;
  const mine = new AbortController();
  controller = mine;
  try {
    const r = await fetch('/api/notifications/stream', {
      headers: { Authorization: `Bearer ${session.token}`, 'Accept-Language': acceptLanguage(), Accept: 'text/event-stream' },
      signal: mine.signal, cache: 'no-store',
    });
    if (r.status === 401) { window.dispatchEvent(new CustomEvent('fl:unauthorized')); return; }
    if (!r.ok || !r.body) throw new Error(`HTTP ${r.status}`);
    pause = 2000;
    // Connected: what arrived while there was no stream is fetched once.
    fire('fl:notification', null);
    await read(r.body);
  } catch { /* dropped, refused or aborted: below */ } finally {
    if (controller === mine) controller = null;
  }
  if (!mine.signal.aborted) schedule();
}

function schedule() {
  if (retry || !session.token || document.visibilityState !== 'visible') return;
  retry = setTimeout(connect, pause);
  pause = Math.min(pause * 2, 60000);
}

function stop() {
  clearTimeout(retry);
  retry = null;
  controller?.abort();
  controller = null;
}

/** Starts listening (after sign-in); stops while the app is hidden and resumes when it is shown again. */
export function startLive() {
  connect();
  if (!poll) poll = setInterval(() => { if (document.visibilityState === 'visible' && session.token) fire('fl:notification', null); }, POLL_MS);
}

/** On sign-out: no stream, no poll. */
export function stopLive() {
  stop();
  clearInterval(poll);
  poll = null;
}

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') { pause = 2000; connect(); fire('fl:notification', null); } else stop();
});
window.addEventListener('online', () => { pause = 2000; connect(); });
