// 抢单 (the order pool): the orders the dispatcher put into the branch's pool, for the technician to take themselves.
// Before taking one, only the district, the job and the time are shown — never the customer's name, phone or full address.
// An order the one eligibility rule does not let this technician take is shown greyed, with the reasons in words (so they
// know what to fix: leave, a suspension, the kit, a certificate…). Taking needs the network: only one technician may win.
import { h, toast, uuid, windowText } from './ui.js';
import { t } from './i18n.js';
import { get, request, HttpError } from './api.js';
import { saveOrder } from './outbox.js';

function poolCard(o, onTaken) {
  const err = h('p', { class: 'error', role: 'alert', id: `poolError-${o.id}` });
  const take = h('button', { type: 'button', class: 'primary', id: `take-${o.id}`, disabled: !o.eligible }, t('poolTake'));
  take.addEventListener('click', async () => {
    take.disabled = true;
    take.dataset.busy = 'true'; // a live redraw of the pool waits for the answer
    err.textContent = '';
    try {
      // One key per tap: a lost answer is retried with the same key and the server replays it, never taking twice.
      const key = uuid();
      const send = () => request('POST', `/api/work-orders/${o.id}/take`, { headers: { 'Idempotency-Key': key } });
      let answer;
      try { answer = await send(); } catch (x) { if (x instanceof HttpError) throw x; answer = await send(); }
      await saveOrder(answer.data);
      toast(t('poolTaken', o.code));
      onTaken(o.id);
    } catch (x) {
      err.textContent = x instanceof HttpError ? (x.problem?.detail || t('failed', x.status)) : t('poolNeedsNetwork');
      if (!(x instanceof HttpError) || o.eligible) take.disabled = false;
      // 409: taken (by them, or by someone else at the same moment); 404: gone from their pool (taken or withdrawn since).
      if (x instanceof HttpError && (x.status === 409 || x.status === 404)) take.disabled = true;
    } finally { delete take.dataset.busy; }
  });
  return h('section', { class: `card pool-order ${o.eligible ? '' : 'ineligible'}`, id: `pool-${o.id}`, 'data-order': o.id },
    h('div', { class: 'row' }, h('strong', {}, o.code),
      h('span', {}, o.priority === 'urgent' ? h('span', { class: 'badge bad' }, t('poolUrgent')) : null, ' ',
        h('span', { class: 'badge' }, t(`type.${o.type}`)))),
    h('p', { class: 'area', id: `area-${o.id}` }, t('poolArea', o.area || t('poolAreaUnknown'))),
    h('p', { class: 'muted' }, [t(`line.${o.productLine}`), o.productModel].filter(Boolean).join(' '), ' · ', o.inWarranty ? t('inWarranty') : t('outWarranty')),
    o.faultDescription ? h('p', { class: 'muted' }, o.faultDescription) : null,
    h('p', { class: 'muted' }, `${t('requested')} ${windowText(o.requestedWindow)}`),
    o.eligible ? null : h('ul', { class: 'reasons', id: `reasons-${o.id}` }, o.reasons.map((r) => h('li', {}, r.text, r.note ? `(${r.note})` : ''))),
    err, take);
}

export async function renderPool(root) {
  root.replaceChildren(h('p', { class: 'muted' }, t('loading')));
  let page;
  try {
    page = await get('/api/dispatch/pool?pageSize=100');
  } catch (x) {
    root.replaceChildren(h('h2', {}, t('poolTitle')),
      h('p', { class: 'muted', id: 'poolError' }, x instanceof HttpError ? (x.problem?.detail || t('failed', x.status)) : t('poolNeedsNetwork')));
    return;
  }
  const again = () => renderPool(root);
  const taken = (id) => { location.hash = `#/order/${id}`; };
  const open = page.items.filter((o) => o.eligible);
  const closed = page.items.filter((o) => !o.eligible);
  root.replaceChildren(
    h('div', { class: 'row' }, h('h2', {}, t('poolTitle'), ` (${page.total})`),
      h('button', { type: 'button', class: 'link', id: 'poolRefresh', onclick: again }, t('poolRefresh'))),
    h('p', { class: 'muted' }, t('poolHint')),
    h('div', { id: 'poolOrders' }, page.items.length ? [...open, ...closed].map((o) => poolCard(o, taken)) : h('p', { class: 'muted', id: 'poolEmpty' }, t('poolEmpty'))),
    h('p', {}, h('a', { href: '#/', class: 'button' }, t('back'))));
}
