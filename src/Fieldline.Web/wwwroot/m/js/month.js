// "My month": finished orders and the month's pay-ledger lines from the server, and the breaches and proposed fines the
// SLA engine records (read-only).
import { h, when, toast, uuid } from './ui.js';
import { t } from './i18n.js';
import { get, request } from './api.js';

async function tryGet(path) {
  try { return await get(path); } catch { return null; }
}

/** Renders any list of objects as simple rows: the breach and penalty shapes belong to the SLA feature. */
function generic(title, id, page, preferred) {
  const items = page?.items || [];
  // The fields a technician cares about first, when the server sends them; otherwise every plain field.
  const fields = (it) => {
    const chosen = preferred.filter((k) => it[k] !== undefined && it[k] !== null);
    return (chosen.length ? chosen.map((k) => [k, it[k]]) : Object.entries(it)).filter(([, v]) => v !== null && typeof v !== 'object');
  };
  return h('section', { class: 'card', id },
    h('h3', {}, title, page?.total ? ` (${page.total})` : ''),
    items.length === 0 ? h('p', { class: 'muted' }, t('noData'))
      : h('ul', { class: 'generic' }, items.map((it) => h('li', {}, fields(it)
        .map(([k, v]) => h('span', { class: 'kv' }, h('small', {}, k), ' ', /At$/.test(k) ? when(v) : String(v)))))));
}

const money = (n) => `¥${Number(n || 0).toFixed(2)}`;

/** At the office (where there is a network): the arrival is recorded, and the money now due to finance is listed (FEE-07). */
async function officeCheckIn() {
  try {
    const { data } = await request('POST', '/api/attendance/office-check-ins', { body: {}, headers: { 'Idempotency-Key': uuid() } });
    const due = data.moneyDue || [];
    toast(due.length ? t('moneyDueNow', due.map((d) => `${d.code} ${money(d.amount)}`).join('、')) : t('checkedInOffice'));
  } catch {
    toast(t('checkInOfficeFailed'), 'error');
  }
}

export async function renderMonth(root, onLogout) {
  root.replaceChildren(h('p', { class: 'muted' }, t('loading')));
  const now = new Date();
  const first = new Date(now.getFullYear(), now.getMonth(), 1).toISOString();
  const [month, breaches, fines] = await Promise.all([tryGet('/api/mobile/my-month'),
    tryGet(`/api/sla/breaches?mine=true&from=${encodeURIComponent(first)}`), tryGet('/api/penalty-cases?mine=true')]);
  root.replaceChildren(
    h('h2', {}, t('month'), month ? ` · ${month.month}` : ''),
    h('section', { class: 'card', id: 'monthCompleted' },
      month ? h('p', { class: 'big' }, t('completedCount', month.completed)) : h('p', { class: 'muted' }, t('noData')),
      month?.items?.length ? h('ul', { class: 'generic' }, month.items.map((o) => h('li', {},
        h('a', { href: `#/order/${o.id}` }, o.code), ' ', o.customerName, ' · ', when(o.completedAt), o.emptyTrip ? ` · ${t('emptyTrip')}` : ''))) : null),
    h('section', { class: 'card', id: 'payLedger' },
      h('h3', {}, t('payLedger')),
      month ? h('p', { class: 'big' }, t('ledgerTotal', money(month.ledgerTotal))) : h('p', { class: 'muted' }, t('noData')),
      month?.ledger?.length ? h('ul', { class: 'generic' }, month.ledger.map((e) => h('li', {},
        money(e.amount), ' · ', e.ruleId || e.kind, ' · ', when(e.postedAt), h('br'), h('small', {}, e.description)))) : null),
    generic(t('breaches'), 'breaches', breaches, ['workOrderCode', 'clock', 'ruleId', 'dueAt', 'actualAt', 'lateMinutes']),
    generic(t('fines'), 'fines', fines, ['ruleId', 'amount', 'state', 'condition', 'createdAt']),
    h('section', { class: 'card' }, h('button', { type: 'button', id: 'officeCheckIn', onclick: officeCheckIn }, t('officeCheckIn'))),
    h('button', { type: 'button', class: 'link', id: 'logout', onclick: onLogout }, t('logout')));
}
