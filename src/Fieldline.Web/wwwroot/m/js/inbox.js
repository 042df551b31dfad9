// 消息: the technician's notifications (suspensions, appeals, leave, fines, the order pool…), as the server queued them.
// The last list loaded is kept in IndexedDB, so the inbox opens in a basement. Opening a message marks it read on the
// phone at once; the mark is kept in IndexedDB until the server has it and sent again on every pass (the server's
// read is idempotent: a repeat changes nothing), so a read mark made offline is never lost. The unread badge in the
// tab bar counts the kept list with the phone's own marks applied.
import { h, wallClock } from './ui.js';
import { t } from './i18n.js';
import { get, request, OfflineError, HttpError } from './api.js';
import { kvGet, kvSet } from './db.js';
import { orders } from './outbox.js';

const changed = () => window.dispatchEvent(new CustomEvent('fl:inbox'));

export async function inbox() { return (await kvGet('inbox')) || { items: [], syncedAt: null }; }
/** Read marks made on the phone that the server has not confirmed yet (notification ids). */
export async function pendingReads() { return (await kvGet('inboxReads')) || []; }

let writes = Promise.resolve();
const serial = (fn) => (writes = writes.then(fn, fn));

/** The newest 100 messages from the server, kept for offline use; offline, the kept ones. */
export async function loadInbox() {
  let page;
  try { page = await get('/api/notifications?pageSize=100'); } catch (x) { if (x instanceof OfflineError) return inbox(); throw x; }
  const kept = { items: page.items, syncedAt: new Date().toISOString() };
  await serial(() => kvSet('inbox', kept));
  changed();
  return kept;
}

/** How many kept messages are unread, counting the phone's own marks as read. */
export async function unreadCount() {
  const [box, reads] = await Promise.all([inbox(), pendingReads()]);
  return box.items.filter((n) => !n.readAt && !reads.includes(n.id)).length;
}

/** Marks a message read on the phone now and tries to tell the server. */
export async function markRead(id) {
  await serial(async () => {
    const box = await inbox();
    const n = box.items.find((x) => x.id === id);
    if (!n || n.readAt) return;
    n.readAt = new Date().toISOString();
    await kvSet('inbox', box);
    const reads = await pendingReads();
    if (!reads.includes(id)) await kvSet('inboxReads', [...reads, id]);
  });
  changed();
  return sendReads();
}

let sending = null;
/** Sends the waiting read marks, oldest first; stops at the first network failure (the next pass sends the rest). */
export function sendReads() {
  sending ??= (async () => {
    for (const id of await pendingReads()) {
      try {
        await request('POST', `/api/notifications/${id}/read`);
      } catch (x) {
        if (x instanceof OfflineError || (x instanceof HttpError && (x.status === 401 || x.status === 429 || x.status >= 500))) return;
        // 404: not (or no longer) this user's message — nothing to keep trying.
      }
      await serial(async () => kvSet('inboxReads', (await pendingReads()).filter((x) => x !== id)));
    }
  })().finally(() => { sending = null; });
  return sending;
}

function item(n, ownOrders) {
  const unread = !n.readAt;
  // Only what the technician may open: the pool for a pool message (the order is nobody's yet), else one of the orders
  // the phone keeps (their own): an order of someone else's would only answer 404.
  const link = n.kind === 'poolOrder' ? h('a', { href: '#/pool', class: 'button', id: `inbox-link-${n.id}` }, t('inboxOpenPool'))
    : n.workOrderId && ownOrders.has(n.workOrderId) ? h('a', { href: `#/order/${n.workOrderId}`, class: 'button', id: `inbox-link-${n.id}` }, t('inboxOpenOrder'))
      : null;
  return h('section', {
    class: `card message ${unread ? 'unread' : ''}`, id: `message-${n.id}`, 'data-kind': n.kind,
    // A tap anywhere on the message opens it (its link too); the title is a button for the keyboard and screen readers.
    onclick: (e) => {
      const card = e.currentTarget;
      if (!card.classList.contains('unread')) return;
      card.classList.remove('unread');
      card.querySelector(`#unread-${n.id}`)?.remove();
      markRead(n.id);
    },
  },
  h('div', { class: 'row' }, h('button', { type: 'button', class: 'link title', id: `open-${n.id}` }, n.title), unread ? h('span', { class: 'badge bad', id: `unread-${n.id}` }, t('inboxUnread')) : null),
  h('p', { class: 'muted' }, wallClock(n.createdAt)),
  n.body ? h('p', { class: 'body' }, n.body) : null,
  link);
}

export async function renderInbox(root, online) {
  const draw = async (box) => {
    const [reads, own] = await Promise.all([pendingReads(), orders()]);
    const ownOrders = new Set(own.items.map((o) => o.id));
    const items = box.items.map((n) => (reads.includes(n.id) && !n.readAt ? { ...n, readAt: 'pending' } : n));
    const unread = items.filter((n) => !n.readAt).length;
    root.replaceChildren(...[
      h('div', { class: 'row' }, h('h2', {}, t('inboxTitle'), unread ? ` (${t('inboxUnreadCount', unread)})` : ''),
        h('button', { type: 'button', class: 'link', id: 'inboxRefresh', onclick: () => renderInbox(root, online) }, t('inboxRefresh'))),
      !online() && box.syncedAt ? h('p', { class: 'muted', id: 'inboxOffline' }, t('inboxOffline', new Date(box.syncedAt).toLocaleTimeString())) : null,
      h('div', { id: 'inbox' }, items.length ? items.map((n) => item(n, ownOrders)) : h('p', { class: 'muted', id: 'inboxEmpty' }, t('inboxEmpty'))),
    ].filter(Boolean));
  };
  await draw(await inbox()); // what was last loaded, at once
  try { await draw(await loadInbox()); } catch { /* refused: the kept list stays */ }
  sendReads();
}
