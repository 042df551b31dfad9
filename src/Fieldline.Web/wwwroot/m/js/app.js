// The technician's phone app: plain ES modules, no framework. Screens: login, today's orders, one order, my month, leave,
// my tools (kit check, company tools), service trips (出差), the kit round (supervisor), technical problems (RPT-02/09), the order pool (抢单),
// messages (消息: the inbox, with an unread badge in the tab bar, kept fresh by the live stream — live.js).
import { h, $, windowText, toast, typingInto } from './ui.js';
import { t, setLang, getLang, ready } from './i18n.js';
import { login, logout, session, HttpError, saveLanguage, get, roles } from './api.js';
import { orders, queue, effective, onItsWay, refresh, flush, net } from './outbox.js';
import { renderOrder, patchOrder, countdown, refreshCountdowns } from './order.js';
import { renderMonth } from './month.js';
import { clearAll } from './db.js';
import { loadInbox, unreadCount, sendReads, pendingReads, renderInbox } from './inbox.js';
import { startLive, stopLive } from './live.js';

const view = $('#view');

if ('serviceWorker' in navigator) navigator.serviceWorker.register('/m/sw.js', { scope: '/m' }).catch(() => {});

function loginView() {
  const user = h('input', { id: 'username', autocomplete: 'username', required: true, value: session.user || '' });
  const pass = h('input', { id: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const err = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'card login', onsubmit: async (e) => {
    e.preventDefault();
    err.textContent = '';
    try {
      await login(user.value.trim(), pass.value);
      location.hash = '#/';
      await start();
    } catch (x) { err.textContent = x instanceof HttpError ? t('loginFailed') : t('offline'); }
  } },
  h('h2', {}, 'Fieldline'), h('label', {}, t('username'), user), h('label', {}, t('password'), pass), err,
  h('button', { type: 'submit', class: 'primary', id: 'login' }, t('login')));
  view.replaceChildren(form);
}

/** The card's mark for its unsent work: 待发送 n while it is on its way, 冲突 or 被拒绝 once the server refused a step. */
function queueMark(mine) {
  const refused = mine.find((i) => !onItsWay(i));
  if (refused) return h('span', { class: 'badge conflict-badge' }, '⚠ ', t(refused.state === 'conflict' ? 'itemConflict' : 'itemFailed'));
  return mine.length ? h('span', { class: 'badge wait' }, `${t('waiting')} ${mine.length}`) : null;
}

function card(o, items) {
  const mine = items.filter((i) => i.orderId === o.id);
  const refused = mine.some((i) => !onItsWay(i));
  return h('a', { href: `#/order/${o.id}`, class: `card order ${refused ? 'has-conflict' : ''}`, 'data-order': o.id },
    h('div', { class: 'row' }, h('strong', {}, o.code), h('span', { class: `badge s-${o.status}` }, t(`status.${o.status}`))),
    h('div', { class: 'row muted' }, t(`type.${o.type}`), ' · ', o.inWarranty ? t('inWarranty') : t('outWarranty'), ' ', countdown(o)),
    h('p', {}, o.address),
    h('p', { class: 'muted' }, [o.product?.productLine && t(`line.${o.product.productLine}`), o.product?.model].filter(Boolean).join(' '), ' · ', o.faultDescription || ''),
    h('p', { class: 'muted' }, o.appointment?.start ? `${t('appointment')} ${windowText(o.appointment)}` : `${t('requested')} ${windowText(o.requestedWindow)}`),
    queueMark(mine));
}

async function listView() {
  const [all, items] = await Promise.all([orders(), queue()]);
  const list = all.items.map((o) => effective(o, items)).filter((o) => !['rejected', 'returned'].includes(o.status));
  const due = (o) => new Date(o.appointment?.start || o.requestedWindow?.start || o.createdAt).getTime();
  const fresh = list.filter((o) => o.status === 'dispatched').sort((a, b) => due(a) - due(b));
  const today = list.filter((o) => o.status !== 'dispatched').sort((a, b) => due(a) - due(b));
  const toolsLink = h('a', { href: '#/tools', id: 'toolsLink', class: 'button' }, t('toolsTitle'));
  // replaceChildren would print a null as the text "null": the optional parts are filtered out.
  view.replaceChildren(...[
    !net.online && all.syncedAt ? h('p', { class: 'muted' }, t('offlineData', new Date(all.syncedAt).toLocaleTimeString())) : null,
    h('h2', {}, t('newOrders'), ` (${fresh.length})`), h('div', { id: 'newOrders' }, fresh.length ? fresh.map((o) => card(o, items)) : h('p', { class: 'muted' }, t('noOrders'))),
    h('h2', {}, t('todayOrders'), ` (${today.length})`), h('div', { id: 'todayOrders' }, today.length ? today.map((o) => card(o, items)) : h('p', { class: 'muted' }, t('noOrders'))),
    h('p', {}, h('a', { href: '#/pool', id: 'poolLink', class: 'button' }, t('poolTitle')), ' ', h('a', { href: '#/lead', id: 'leadLink', class: 'button' }, t('leadLink')), ' ', toolsLink, kitChecker() ? [' ', h('a', { href: '#/kit', id: 'kitLink', class: 'button' }, t('kitTitle'))] : null,
      ' ', h('a', { href: '#/problems', id: 'problemsLink', class: 'button' }, t('problemsTitle')), ' ', h('a', { href: '#/trip', id: 'tripLink', class: 'button' }, t('tripTitle')))].filter(Boolean));
  kitWarning(toolsLink);
}

/** 工具抽查 is the supervisors' round (RecordToolCheck.Checkers): a technician is not offered a screen that refuses them. */
const kitChecker = () => roles().some((r) => ['supervisor', 'manager', 'admin'].includes(r));

// The last kit check, asked at most every 5 minutes (the list is drawn again on every sync): while it found tools missing,
// the technician sees a red "工具不全" on the home screen — they get no new orders until a re-check finds the kit complete.
let lastKit = { user: null, at: 0, check: undefined };
async function kitWarning(link) {
  if (lastKit.user !== session.user || Date.now() - lastKit.at > 300000) {
    try { lastKit = { user: session.user, at: Date.now(), check: (await get('/api/tool-checks?mine=true&pageSize=1')).items[0] ?? null }; } catch { return; /* offline or not allowed */ }
  }
  if (lastKit.check && !lastKit.check.complete && link.isConnected && !link.querySelector('.badge'))
    link.append(' ', h('span', { class: 'badge bad', id: 'kitWarning' }, t('kitIncomplete')));
}

async function bar() {
  const items = await queue();
  $('#net').textContent = net.online ? t('online') : t('offline');
  $('#net').className = `net ${net.online ? 'on' : 'off'}`;
  // 待发送 counts only what is on its way; a step the server refused waits for the technician, named apart.
  const pending = items.filter(onItsWay).length;
  const q = $('#queue');
  q.hidden = pending === 0;
  q.textContent = `${t('waiting')} ${pending}`;
  const refused = $('#refused');
  refused.hidden = pending === items.length;
  refused.textContent = `⚠ ${t('refusedCount', items.length - pending)}`;
  $('#lang').textContent = getLang() === 'en' ? '中文' : 'EN';
  $('#tab-orders').textContent = t('todayOrders');
  $('#tab-pool').textContent = t('poolTab');
  $('#tab-inbox-label').textContent = t('inboxTab');
  $('#tab-parts').textContent = t('partsTab');
  $('#tab-month').textContent = t('month');
  await inboxBadge();
}

/** The unread count on the 消息 tab, from the messages kept on the phone (its own read marks applied). */
async function inboxBadge() {
  const n = session.token ? await unreadCount() : 0;
  const badge = $('#inboxBadge');
  badge.hidden = n === 0;
  badge.textContent = n > 99 ? '99+' : String(n);
}

// One screen drawn at a time, in order. A draw reads the address when it starts, so a draw already waiting covers any later
// call: a second one would draw the same screen again and wipe what the technician has begun to type into its form (the
// parts requisition, right after signing in: the sign-in's own two draws were still queued when the tab was opened).
let rendering = Promise.resolve();
let waiting = false;
let drawn = null; // the address the last draw started for
function route() {
  if (waiting) return rendering;
  waiting = true;
  rendering = rendering.then(async () => {
    waiting = false;
    drawn = location.hash || '#/';
    await bar();
    if (!session.token) { $('#tabs').hidden = true; loginView(); return; }
    $('#tabs').hidden = false;
    const hash = location.hash || '#/';
    const m = hash.match(/^#\/order\/(\d+)/);
    if (m) await renderOrder(view, m[1]);
    else if (hash.startsWith('#/lead')) {
      const { renderLead } = await import('./lead.js'); // loaded only when used: the first load stays small
      renderLead(view);
    }
    else if (hash.startsWith('#/parts')) {
      const { renderParts } = await import('./parts.js');
      await renderParts(view);
    }
    else if (hash.startsWith('#/kit')) {
      const { renderKit } = await import('./kit.js');
      await renderKit(view, hash.match(/^#\/kit\/(\d+)/)?.[1]);
    }
    else if (hash.startsWith('#/problems')) {
      const { renderProblems } = await import('./problems.js');
      await renderProblems(view, hash.match(/^#\/problems\/(\d+)/)?.[1]);
    }
    else if (hash.startsWith('#/pool')) {
      const { renderPool } = await import('./pool.js');
      await renderPool(view);
    }
    else if (hash.startsWith('#/inbox')) await renderInbox(view, () => net.online);
    else if (hash.startsWith('#/tools')) {
      const { renderTools } = await import('./tools.js');
      await renderTools(view);
    }
    else if (hash.startsWith('#/trip')) {
      const { renderTrip } = await import('./trip.js');
      await renderTrip(view);
    }
    else if (hash.startsWith('#/leave')) {
      const { renderLeave } = await import('./leave.js');
      await renderLeave(view);
    }
    else if (hash.startsWith('#/month')) {
      await renderMonth(view, async () => {
        // Logging out clears the phone's data: never while work is still waiting to be sent.
        await sendReads();
        if ((await queue()).length || (await pendingReads()).length) { toast(t('unsentLogout'), 'error'); return; }
        stopLive();
        logout();
        await clearAll();
        location.hash = '#/';
        route();
      });
    }
    else await listView();
  }).catch((e) => { console.error(e); toast(t('unknownError'), 'error'); });
  return rendering;
}

async function start() {
  route();
  startLive();
  sendReads();
  await flush();
  try { await refresh(); } catch { /* offline: the cached day is shown */ }
}

// A draw that started after the address changed already shows the new one.
window.addEventListener('hashchange', () => { if ((location.hash || '#/') !== drawn) route(); });
window.addEventListener('fl:changed', () => {
  // Re-render only when nothing is being typed into: drafts survive a re-render, but the caret would not.
  const typing = !!typingInto();
  const hash = location.hash || '#/';
  const m = hash.match(/^#\/order\/(\d+)/);
  // Only the order list and an order show the phone's own data (the day's orders, the outbox). The other screens (leave,
  // lead, parts, my month) are forms and the office's answers: re-rendering them on every sync threw away what was typed
  // and, while a leave request was being sent, the list its answer was written into — 我的请假 stayed empty (issue 17).
  const ownData = m || hash === '#/' || hash === '#';
  if (typing || !ownData) {
    rendering = rendering.then(async () => { await bar(); if (m) await patchOrder(m[1]); }).catch(() => {});
    return;
  }
  route();
});
window.addEventListener('fl:unauthorized', () => { stopLive(); logout(); route(); });
window.addEventListener('fl:inbox', () => { inboxBadge().catch(() => {}); });
// A message arrived (or the stream just connected, or the minute's poll): the open inbox redraws (it reloads itself),
// anywhere else the kept list is reloaded for the badge.
window.addEventListener('fl:notification', (e) => {
  if (e.detail?.title) toast(e.detail.title);
  // ONS-31: the office acknowledged a finished installation: the order on the phone shows the crew may leave.
  // FEE-04: a price approved by the supervisor: the open order re-reads it, so the line can be added.
  if (['completionAcknowledged', 'priceApproved'].includes(e.detail?.kind)) refresh().catch(() => {});
  const hash = location.hash || '#/';
  if (hash.startsWith('#/inbox')) route();
  else loadInbox().catch(() => {});
});
// The branch's pool changed (released, withdrawn, taken): an open pool screen redraws, unless a take is on its way.
window.addEventListener('fl:pool', () => {
  if ((location.hash || '').startsWith('#/pool') && !document.querySelector('#poolOrders [data-busy]')) route();
});
// Back online: the waiting read marks first, then what arrived meanwhile (a stream that looked open may have missed it).
window.addEventListener('online', () => { sendReads().finally(() => window.dispatchEvent(new CustomEvent('fl:notification', { detail: null }))); });
setInterval(() => { if (navigator.onLine && session.token) sendReads(); }, 15000);
$('#lang').addEventListener('click', async () => {
  await setLang(getLang() === 'en' ? 'zh' : 'en');
  saveLanguage();
  route();
});
setInterval(refreshCountdowns, 30000);

await ready;
if (session.token) start(); else route();
