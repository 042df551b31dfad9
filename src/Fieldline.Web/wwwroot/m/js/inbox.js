// 消息: the technician's notifications (suspensions, appeals, leave, fines, the order pool…), as the server queued them.
// The last list loaded is kept in IndexedDB, so the inbox opens in a basement. Opening a message marks it read on the
// phone at once; the mark is kept in IndexedDB until the server has it and sent again on every pass (the server's
// read is idempotent: a repeat changes nothing), so a read mark made offline is never lost. 全部已读 works the same way:
// it is kept as "everything up to the newest message shown" and sent as that bound, so a message that arrives before the
// mark reaches the server stays unread. The unread badge counts the kept list with the phone's own marks applied, plus
// the server's unread messages older than the kept list (a technician back from leave may have hundreds).
import { h, wallClock } from './ui.js';
import { t } from './i18n.js';
import { get, request, OfflineError, HttpError } from './api.js';
import { kvGet, kvSet } from './db.js';
import { orders } from './outbox.js';

const PAGE = 100;
/** At most this many messages are kept on the phone (the newest page plus the older ones the technician asked for). */
const KEEP = 500;

const changed = () => window.dispatchEvent(new CustomEvent('fl:inbox'));

export async function inbox() { return (await kvGet('inbox')) || { items: [], syncedAt: null, total: 0, olderUnread: 0 }; }
/** Read marks made on the phone that the server has not confirmed yet (notification ids). */
export async function pendingReads() { return (await kvGet('inboxReads')) || []; }
/** A 全部已读 the server has not confirmed yet: the newest message id it covers, or null. */
async function pendingReadAll() { return (await kvGet('inboxReadAll')) ?? null; }

let writes = Promise.resolve();
const serial = (fn) => (writes = writes.then(fn, fn));

const byNewest = (a, b) => b.id - a.id;

/**
 * The newest messages from the server (and how many unread there are in all), kept for offline use together with the
 * older ones loaded before; offline, the kept ones.
 */
export async function loadInbox() {
  let page, unread;
  try {
    [page, unread] = await Promise.all([get(`/api/notifications?pageSize=${PAGE}`), get('/api/notifications?unread=true&pageSize=1')]);
  } catch (x) { if (x instanceof OfflineError) return inbox(); throw x; }
  const kept = await serial(async () => {
    const before = await inbox();
    const oldest = page.items.length ? page.items[page.items.length - 1].id : Infinity;
    // Older messages loaded earlier stay (as they were then) only when this page reaches down to them.
    const older = page.items.length === PAGE ? before.items.filter((n) => n.id < oldest) : [];
    const items = [...page.items, ...older].slice(0, KEEP);
    const next = { items, syncedAt: new Date().toISOString(), total: page.total, olderUnread: olderUnread(unread.total, items) };
    await kvSet('inbox', next);
    return next;
  });
  changed();
  return kept;
}

/** The server's unread messages that the kept list does not hold. */
function olderUnread(serverUnread, items) { return Math.max(0, serverUnread - items.filter((n) => !n.readAt).length); }

/** The next page of older messages, added to the kept list. */
export async function loadOlder() {
  const box = await inbox();
  const page = await get(`/api/notifications?pageSize=${PAGE}&page=${Math.floor(box.items.length / PAGE) + 1}`);
  const next = await serial(async () => {
    const now = await inbox();
    const ids = new Set(now.items.map((n) => n.id));
    const items = [...now.items, ...page.items.filter((n) => !ids.has(n.id))].sort(byNewest).slice(0, KEEP);
    // What was counted as "older unread" is now partly on the phone.
    const added = items.length - now.items.length;
    const shownUnread = page.items.filter((n) => !ids.has(n.id) && !n.readAt).length;
    const out = { ...now, items, total: page.total, olderUnread: added > 0 ? Math.max(0, (now.olderUnread || 0) - shownUnread) : now.olderUnread };
    await kvSet('inbox', out);
    return out;
  });
  changed();
  return next;
}

/** How many messages are unread: the kept ones (the phone's own marks counted as read) and the server's older ones. */
export async function unreadCount() {
  const [box, reads, all] = await Promise.all([inbox(), pendingReads(), pendingReadAll()]);
  // A 全部已读 on its way covers every message older than the newest shown, so none of the server's older ones count.
  return box.items.filter((n) => !n.readAt && !reads.includes(n.id) && !(all !== null && n.id <= all)).length + (all !== null ? 0 : box.olderUnread || 0);
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

/** 全部已读: every message up to the newest one shown (and the server's older unread ones) read on the phone now, then on the server. */
export async function markAllRead() {
  await serial(async () => {
    const box = await inbox();
    if (!box.items.length) return;
    const now = new Date().toISOString();
    for (const n of box.items) n.readAt ??= now;
    box.olderUnread = 0;
    await kvSet('inbox', box);
    const upTo = Math.max(...box.items.map((n) => n.id), (await pendingReadAll()) ?? 0);
    await kvSet('inboxReadAll', upTo);
    await kvSet('inboxReads', (await pendingReads()).filter((x) => x > upTo));
  });
  changed();
  return sendReads();
}

/** Whether a failed send is worth trying again later (the network, the session, the server), not a refusal of this mark. */
const retryLater = (x) => x instanceof OfflineError || (x instanceof HttpError && (x.status === 401 || x.status === 429 || x.status >= 500));

/**
 * The server has the mark: the kept copies show it too, even when a reload fetched them before the mark arrived (the
 * pending mark no longer stands in for it). A 全部已读 also covers every older unread message the phone does not keep.
 */
async function confirmed(covered, olderToo) {
  const box = await inbox();
  const now = new Date().toISOString();
  for (const n of box.items) if (!n.readAt && covered(n)) n.readAt = now;
  if (olderToo) box.olderUnread = 0;
  await kvSet('inbox', box);
}

let sending = null;
/** Sends the waiting read marks — a 全部已读 first, then single ones oldest first; stops at the first network failure. */
export function sendReads() {
  sending ??= (async () => {
    const all = await pendingReadAll();
    if (all !== null) {
      try {
        await request('POST', '/api/notifications/read-all', { body: { upToId: all } });
      } catch (x) { if (retryLater(x)) return; }
      await serial(async () => {
        if ((await pendingReadAll()) === all) await kvSet('inboxReadAll', null);
        await kvSet('inboxReads', (await pendingReads()).filter((x) => x > all));
        await confirmed((n) => n.id <= all, true);
      });
      changed();
    }
    for (const id of await pendingReads()) {
      try {
        await request('POST', `/api/notifications/${id}/read`);
      } catch (x) {
        if (retryLater(x)) return;
        // 404: not (or no longer) this user's message — nothing to keep trying.
      }
      await serial(async () => {
        await kvSet('inboxReads', (await pendingReads()).filter((x) => x !== id));
        await confirmed((n) => n.id === id, false);
      });
      changed();
    }
  })().finally(() => { sending = null; });
  return sending;
}

function item(n, ownOrders) {
  const unread = !n.readAt;
  // Only what the technician may open: the pool for a pool message (the order is nobody's yet), the trip screen for a
  // trip's, else one of the orders the phone keeps (their own): an order of someone else's would only answer 404.
  const link = n.kind === 'poolOrder' ? h('a', { href: '#/pool', class: 'button', id: `inbox-link-${n.id}` }, t('inboxOpenPool'))
    : n.kind === 'tripAssigned' || n.kind === 'tripReviewed' ? h('a', { href: '#/trip', class: 'button', id: `inbox-link-${n.id}` }, t('tripTitle'))
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
    const [reads, own, all] = await Promise.all([pendingReads(), orders(), pendingReadAll()]);
    const ownOrders = new Set(own.items.map((o) => o.id));
    const items = box.items.map((n) => ((reads.includes(n.id) || (all !== null && n.id <= all)) && !n.readAt ? { ...n, readAt: 'pending' } : n));
    const unread = await unreadCount();
    const more = box.items.length < (box.total || 0) && box.items.length < KEEP;
    root.replaceChildren(...[
      h('div', { class: 'row' }, h('h2', {}, t('inboxTitle'), unread ? ` (${t('inboxUnreadCount', unread)})` : ''),
        unread ? h('button', {
          type: 'button', class: 'link', id: 'inboxReadAll',
          onclick: async () => { await markAllRead(); await draw(await inbox()); },
        }, t('inboxReadAll')) : null,
        h('button', { type: 'button', class: 'link', id: 'inboxRefresh', onclick: () => renderInbox(root, online) }, t('inboxRefresh'))),
      !online() && box.syncedAt ? h('p', { class: 'muted', id: 'inboxOffline' }, t('inboxOffline', new Date(box.syncedAt).toLocaleTimeString())) : null,
      h('div', { id: 'inbox' }, items.length ? items.map((n) => item(n, ownOrders)) : h('p', { class: 'muted', id: 'inboxEmpty' }, t('inboxEmpty'))),
      more ? h('button', {
        type: 'button', id: 'inboxOlder',
        onclick: async (e) => {
          const button = e.currentTarget;
          button.disabled = true;
          try { await draw(await loadOlder()); } catch { button.disabled = false; }
        },
      }, t('inboxOlder')) : null,
    ].filter(Boolean));
  };
  await draw(await inbox()); // what was last loaded, at once
  try { await draw(await loadInbox()); } catch { /* refused: the kept list stays */ }
  sendReads();
}
