// "My month": finished orders, the month's pay-ledger lines, and the deadlines missed and the fines of the month — all as
// the server writes them out, in the technician's language (read-only).
import { h, when, toast, uuid } from './ui.js';
import { t } from './i18n.js';
import { get, request, errorText } from './api.js';

async function tryGet(path) {
  try { return await get(path); } catch { return null; }
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

/**
 * 手上现金 (SC-24, FEE-05): the cash I collected and still hold, order by order with its hand-in time, and a button to
 * declare that I am handing it to finance (finance confirms it with the receipt number).
 */
function cashCard(cash, onDone) {
  const declare = async () => {
    try {
      const { data } = await request('POST', '/api/cash/hand-ins', { body: {}, headers: { 'Idempotency-Key': uuid() } });
      toast(t('handInDeclared', money(data.amount)));
      onDone();
    } catch (err) {
      toast(errorText(err), 'error');
    }
  };
  return h('section', { class: 'card', id: 'cashOnHand' }, h('h3', {}, t('cashOnHand')),
    cash ? h('p', { class: 'big', id: 'cashAmount' }, money(cash.onHand)) : h('p', { class: 'muted' }, t('noData')),
    cash ? h('p', { class: 'muted' }, t('cashSplit', money(cash.collected), money(cash.handedIn))) : null,
    cash?.orders?.length ? h('ul', { class: 'generic' }, cash.orders.map((o) => h('li', { class: o.overdue ? 'late' : '' },
      h('a', { href: `#/order/${o.workOrderId}` }, o.code), ' · ', money(o.amount),
      o.dueAt ? [' · ', t('handInDue', when(o.dueAt))] : null, o.declaredIn ? [' · ', h('span', { class: 'badge' }, t('handInWaiting'))] : null))) : null,
    cash && cash.onHand > cash.declared ? h('button', { type: 'button', class: 'primary', id: 'declareHandIn', onclick: declare }, t('declareHandIn')) : null);
}

/** 申诉: the fined person appeals a confirmed fine within the policy's window, with a reason (and a photo). */
function appealForm(f, onDone) {
  const reason = h('textarea', { name: 'reason', id: `appealReason-${f.id}`, rows: 2, maxlength: 1000, placeholder: t('appealReason') });
  const photo = h('input', { type: 'file', accept: 'image/*', id: `appealPhoto-${f.id}` });
  const form = h('form', { class: 'appeal', id: `appeal-${f.id}`, hidden: true },
    reason, photo, h('button', { type: 'submit', id: `appealSend-${f.id}` }, t('appealSend')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const photos = [];
    if (photo.files?.[0]) photos.push(await new Promise((ok) => { const r = new FileReader(); r.onload = () => ok(r.result); r.readAsDataURL(photo.files[0]); }));
    try {
      await request('POST', `/api/penalty-cases/${f.id}/appeal`, { body: { reason: reason.value, photos, version: f.version }, headers: { 'Idempotency-Key': uuid() } });
      toast(t('appealSent'));
      onDone();
    } catch (err) {
      toast(errorText(err), 'error');
    }
  });
  const open = h('button', { type: 'button', class: 'link', id: `appealOpen-${f.id}`, onclick: () => { form.hidden = false; open.hidden = true; } },
    t('appeal'), ' · ', t('appealUntil', when(f.appealUntil)));
  return [open, form];
}

/**
 * The running pay statement (我的本月): while the month is open, the earnings, bonuses and subsidies the pay run computes
 * from the orders so far (marked as estimated) beside what is already on the ledger (fines, reversals); once closed, what
 * was posted. Totals by kind and the total are the server's — the sum of the lines.
 */
function statementCard(statement, month) {
  const kinds = ['earning', 'bonus', 'subsidy', 'deduction', 'reversal'];
  const total = statement ? statement.total : month?.ledgerTotal;
  return h('section', { class: 'card', id: 'payLedger' },
    h('h3', {}, t('payLedger'), statement && !statement.closed ? h('span', { class: 'badge', id: 'statementRunning' }, ` ${t('statementRunning')}`) : null),
    total === undefined ? h('p', { class: 'muted' }, t('noData')) : h('p', { class: 'big', id: 'statementTotal' }, t('ledgerTotal', money(total))),
    statement ? h('table', { class: 'totals', id: 'statementTotals' }, kinds.filter((k) => Number(statement.totals[k]) !== 0).map((k) =>
      h('tr', {}, h('th', {}, t(`statementKind.${k}`)), h('td', {}, money(statement.totals[k]))))) : null,
    statement?.eligibilityRevoked ? h('p', { class: 'warn', id: 'eligibilityRevoked' }, t('eligibilityRevoked'),
      ...(statement.eligibilityReasons ?? []).map((r) => h('small', {}, h('br'), r))) : null,
    statement?.assessment ? h('p', { class: `assessment ${statement.assessment.status}`, id: 'assessment' }, statement.assessment.text) : null,
    statement?.lines?.length ? h('ul', { class: 'generic', id: 'statementLines' }, statement.lines.map((l) => h('li', {},
      l.kind === 'sanction' ? '' : money(l.amount), l.kind === 'sanction' ? '' : ' · ', t(`statementKind.${l.kind}`), l.ruleId ? ` · ${l.ruleId}` : '', l.posted ? '' : ` · ${t('statementEstimated')}`,
      h('br'), h('small', {}, l.description), lineOrders(l)))) : null);
}

/** The orders a line pays for (a volume bonus, a piece rate, a subsidy), as numbers that open the order; many fold away. */
function lineOrders(l) {
  if (!l.orders?.length) return null;
  const links = l.orders.map((o) => h('a', { href: `#/order/${o.id}`, class: 'order-link' }, o.code || String(o.id)));
  const list = links.flatMap((a, i) => (i === 0 ? [a] : [' ', a]));
  return l.orders.length > 3
    ? h('details', { class: 'line-orders' }, h('summary', {}, t('statementOrders', l.orders.length)), ...list)
    : h('small', { class: 'line-orders' }, t('statementOrders', l.orders.length), ' ', ...list);
}

export async function renderMonth(root, onLogout) {
  root.replaceChildren(h('p', { class: 'muted' }, t('loading')));
  const [month, statements, cash] = await Promise.all([tryGet('/api/mobile/my-month'), tryGet('/api/pay-statements'), tryGet('/api/cash/on-hand')]);
  const statement = statements?.items?.[0] ?? null;
  root.replaceChildren(
    h('h2', {}, t('month'), month ? ` · ${month.month}` : ''),
    h('section', { class: 'card', id: 'monthCompleted' },
      month ? h('p', { class: 'big' }, t('completedCount', month.completed)) : h('p', { class: 'muted' }, t('noData')),
      month?.items?.length ? h('ul', { class: 'generic' }, month.items.map((o) => h('li', {},
        h('a', { href: `#/order/${o.id}` }, o.code), ' ', o.customerName, ' · ', when(o.completedAt), o.emptyTrip ? ` · ${t('emptyTrip')}` : ''))) : null),
    statementCard(statement, month),
    cashCard(cash?.[0], () => renderMonth(root, onLogout)),
    h('section', { class: 'card', id: 'breaches' }, h('h3', {}, t('breaches'), month?.breaches?.length ? ` (${month.breaches.length})` : ''),
      month?.breaches?.length ? h('ul', { class: 'generic' }, month.breaches.map((b) => h('li', { class: b.isTarget ? 'target' : 'late' },
        b.workOrderId ? h('a', { href: `#/order/${b.workOrderId}` }, b.workOrderCode) : null, ' ', h('b', {}, b.clockName), h('br'), h('small', {}, b.text))))
        : h('p', { class: 'muted' }, t('noData'))),
    h('section', { class: 'card', id: 'fines' }, h('h3', {}, t('fines'), month?.fines?.length ? ` (${month.fines.length})` : ''),
      month?.fines?.length ? h('ul', { class: 'generic' }, month.fines.map((f) => h('li', { class: `fine ${f.state}` },
        h('b', {}, money(f.amount)), ' · ', f.name, ' ', h('span', { class: `badge ${f.state}` }, f.stateName), h('br'),
        h('small', {}, f.ruleId, ' · ', when(f.createdAt), ' · ', f.evidence),
        f.appeal ? h('span', { class: `badge appeal ${f.appeal}`, id: `appealState-${f.id}` }, f.appealName) : null,
        f.appealUntil ? appealForm(f, () => renderMonth(root, onLogout)) : null)))
        : h('p', { class: 'muted' }, t('noData'))),
    h('section', { class: 'card' }, h('button', { type: 'button', id: 'officeCheckIn', onclick: officeCheckIn }, t('officeCheckIn')),
      ' ', h('a', { href: '#/leave', id: 'leaveLink', class: 'button' }, t('leaveTitle'))),
    h('button', { type: 'button', class: 'link', id: 'logout', onclick: onLogout }, t('logout')));
}
