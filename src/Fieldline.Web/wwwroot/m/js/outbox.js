// Offline-first actions. Every action is written to the outbox (IndexedDB) first, with its Idempotency-Key and the
// phone's own time, and sent from there in the order it was taken. A lost answer is simply sent again with the same key
// and the same bytes, so the server replays its first answer instead of acting twice. When the server says the order is
// gone (404: transferred to someone else) or changed (409), that order's queue stops and the technician sees a conflict:
// nothing queued on the phone ever overwrites what the dispatcher did meanwhile.
import { request, get, OfflineError } from './api.js';
import { kvGet, kvSet, outboxAll, outboxAdd, outboxPut, outboxDelete } from './db.js';
import { uuid, deviceNow } from './ui.js';

const changed = () => window.dispatchEvent(new CustomEvent('fl:changed'));
export const net = { online: navigator.onLine };
function setOnline(v) {
  if (net.online !== v) { net.online = v; changed(); }
}

// ---- the day's orders, kept on the phone ----
let writes = Promise.resolve();
const serial = (fn) => (writes = writes.then(fn, fn));

export async function orders() { return (await kvGet('orders')) || { items: [], syncedAt: null }; }
export async function order(id) { return (await orders()).items.find((o) => o.id === Number(id)); }
export const saveOrder = (dto) => serial(async () => {
  const all = await orders();
  all.items = [...all.items.filter((o) => o.id !== dto.id), dto];
  await kvSet('orders', all);
});

/** Today's open orders and their details, policies and price lists, so the day can be worked without network. */
export async function refresh() {
  const page = await get('/api/work-orders?status=dispatched,accepted,scheduled,inProgress&pageSize=200');
  const details = await Promise.all(page.items.map((s) => get(`/api/work-orders/${s.id}`)));
  const pending = new Set((await outboxAll()).map((i) => i.orderId));
  // "Recently" rather than "today by the phone's calendar": the server's and the phone's clocks differ, and a job finished
  // at 23:50 must not vanish from the phone at midnight.
  const recent = (at) => at && Math.abs(Date.now() - new Date(at).getTime()) < 24 * 3600 * 1000;
  // ONS-31: a finished installation waiting for the office's acknowledgement is read again, so the crew learns it may leave.
  const waiting = [];
  for (const o of (await orders()).items) {
    if (o.status !== 'completed' || o.type !== 'install' || !recent(o.completedAt) || details.some((d) => d.id === o.id)) continue;
    if ((o.timeline || []).some((e) => e.action === 'completionAcknowledged')) continue;
    if (!(await kvGet(`policy:${o.policyVersion}`))?.parameters?.completion?.companyAcknowledgementBeforeLeavingSite) continue;
    try { waiting.push(await get(`/api/work-orders/${o.id}`)); } catch (e) { if (e instanceof OfflineError) throw e; /* gone: keep what the phone has */ }
  }
  const fresh = [...details, ...waiting];
  await serial(async () => {
    const old = await orders();
    // A copy read before one of the phone's own actions reached the server does not replace the server's answer to that
    // action, saved meanwhile (sendAction): the order stepped back (服务中 → 已预约) until the next refresh.
    const current = fresh.map((d) => old.items.find((o) => o.id === d.id && o.version > d.version) || d);
    // Keep what the phone still needs: orders with unsent work (a conflict must stay visible) and recently finished ones.
    const keep = old.items.filter((o) => !fresh.some((d) => d.id === o.id)
      && (pending.has(o.id) || recent(o.completedAt)));
    await kvSet('orders', { items: [...current, ...keep], syncedAt: new Date().toISOString() });
  });
  for (const v of new Set(details.map((d) => d.policyVersion))) {
    if (!(await kvGet(`policy:${v}`))) await kvSet(`policy:${v}`, await get(`/api/policy?version=${v}`));
  }
  for (const line of new Set(details.map((d) => d.product.productLine))) {
    await kvSet(`prices:${line}`, await get(`/api/price-list?productLine=${encodeURIComponent(line)}`));
  }
  // 申请转单 names a colleague: the branch's technicians are kept like the price lists, so the request can be made offline.
  try { await kvSet('colleagues', await get('/api/mobile/colleagues')); } catch (e) { if (e instanceof OfflineError) throw e; /* no profile: nothing to offer */ }
  setOnline(true);
  changed();
}

export const policy = (version) => kvGet(`policy:${version}`);
export const priceList = async (line) => (await kvGet(`prices:${line}`)) || [];
export const colleagues = async () => (await kvGet('colleagues')) || [];

// ---- the outbox ----
export async function queue() { return (await outboxAll()).sort((a, b) => a.seq - b.seq); }

/** Records an action on the phone now and tries to send it. */
export async function enqueue(orderId, action, body = {}, photo = null) {
  await outboxAdd({ orderId: Number(orderId), action, body, photo, key: uuid(), deviceAt: deviceNow(), state: 'pending' });
  changed();
  flush();
}

/** Drops an order's unsent actions after a conflict, so the phone shows the server's version again. */
export async function discard(orderId) {
  for (const item of await queue()) if (item.orderId === Number(orderId)) await outboxDelete(item.seq);
  await serial(async () => {
    const all = await orders();
    all.items = all.items.filter((o) => o.id !== Number(orderId));
    await kvSet('orders', all);
  });
  changed();
  try { await refresh(); } catch { /* offline: the list refreshes when the network returns */ }
}

let flushing = null;
let again = false;
/** One sender at a time; a call during a send (say, the network just came back) runs another pass after it. */
export function flush() {
  if (flushing) { again = true; return flushing; }
  flushing = send().finally(() => {
    flushing = null;
    if (again) { again = false; flush(); }
  });
  return flushing;
}

async function send() {
  const blocked = new Set();
  for (const item of await queue()) {
    if (item.state !== 'pending') { blocked.add(item.orderId); continue; }
    if (blocked.has(item.orderId)) continue;
    try {
      if (item.action === 'photo') await sendPhoto(item);
      else await sendAction(item);
      await outboxDelete(item.seq);
      setOnline(true);
      changed();
    } catch (e) {
      if (e instanceof OfflineError) { setOnline(false); return; }
      // Not this action's fault: try again later, in the same order.
      if (e.status === 401 || e.status === 429 || e.status >= 500 || e.problem?.title === 'Request in progress') return;
      item.state = e.status === 404 || e.status === 409 || e.status === 412 ? 'conflict' : 'failed';
      item.error = e.message;
      item.errors = e.problem?.errors || null;
      await outboxPut(item);
      blocked.add(item.orderId);
      changed();
    }
  }
}

async function sendAction(item) {
  if (!item.sentBody) {
    // The version the phone last saw: if the dispatcher changed the order since, the server answers 409.
    // Fixed at the first attempt, so a retry sends the same bytes under the same key.
    const o = await order(item.orderId);
    item.sentBody = { ...item.body, ...(o ? { version: o.version } : {}) };
    await outboxPut(item);
  }
  const { data } = await request('POST', `/api/work-orders/${item.orderId}/${item.action}`, {
    // X-Device-Sent-Time: the phone's clock now, so the server can place the action's own time on its clock (DeviceClock).
    body: item.sentBody, headers: { 'Idempotency-Key': item.key, 'X-Device-Time': item.deviceAt, 'X-Device-Sent-Time': deviceNow() },
  });
  // A rejected or returned order is no longer the technician's: it leaves the phone (the server would answer 404 from now on).
  if (item.action === 'reject' || item.action === 'return-to-dispatcher') {
    await serial(async () => {
      const all = await orders();
      all.items = all.items.filter((o) => o.id !== item.orderId);
      await kvSet('orders', all);
    });
  } else if (data) await saveOrder(data);
}

/** The multipart body is built by hand with a boundary kept in the item: a browser FormData would differ on every retry. */
async function sendPhoto(item) {
  const b = item.photo.boundary;
  const body = new Blob([
    `--${b}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nphoto\r\n`,
    `--${b}\r\nContent-Disposition: form-data; name="file"; filename="${item.photo.name}"\r\nContent-Type: ${item.photo.blob.type || 'image/jpeg'}\r\n\r\n`,
    item.photo.blob, `\r\n--${b}--\r\n`,
  ]);
  const { data } = await request('POST', `/api/work-orders/${item.orderId}/attachments`, {
    body, headers: { 'content-type': `multipart/form-data; boundary=${b}`, 'Idempotency-Key': item.key, 'X-Device-Time': item.deviceAt },
  });
  await serial(async () => {
    const all = await orders();
    const o = all.items.find((x) => x.id === item.orderId);
    if (o && !o.attachments.some((a) => a.id === data.id)) o.attachments.push({ id: data.id, kind: 'photo', contentType: item.photo.blob.type, url: data.url, preview: item.photo.preview });
    await kvSet('orders', all);
  });
}

/**
 * The status the technician sees: the server's, moved on by the actions still on their way. A refused action (failed:
 * the server said no, or conflict: the order changed) moves nothing, nor do the ones queued behind it, which wait for
 * it: a completion the server refused leaves the order 服务中 with the refusal, never 已完工.
 */
export function effective(o, items) {
  let status = o.status;
  let appointment = o.appointment;
  for (const i of items.filter((x) => x.orderId === o.id)) {
    if (i.state !== 'pending') break;
    if (i.action === 'accept') status = 'accepted';
    else if (i.action === 'reject') status = 'rejected';
    else if (i.action === 'contact' && i.body.outcome === 'reached') { status = 'scheduled'; appointment = i.body.appointment; }
    else if (i.action === 'reschedule') appointment = i.body.appointment;
    else if (i.action === 'check-in') status = 'inProgress';
    else if (i.action === 'complete' || i.action === 'empty-trip') status = 'completed';
    // Handed back, the order leaves the list at once (a refused return shows it again, with the refusal). A transfer
    // request moves nothing (DSP-11: the order stays the technician's until the dispatcher transfers it).
    else if (i.action === 'return-to-dispatcher') status = 'returned';
  }
  return { ...o, status, appointment };
}

/** Whether an action is still on its way (待发送), as opposed to refused and waiting for the technician. */
export const onItsWay = (i) => i.state === 'pending';

window.addEventListener('online', () => { setOnline(true); flush().then(() => refresh()).catch(() => {}); });
window.addEventListener('offline', () => setOnline(false));
setInterval(() => { if (navigator.onLine) flush(); }, 15000);
