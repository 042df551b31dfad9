// Parts (配件, PRT / 领料): what is on my van, and a requisition to the warehouse for an order or for the van. The
// keeper issues it on the console; the parts then show on the van here. Needs the network: stock is the warehouse's.
import { h, toast, uuid } from './ui.js';
import { t } from './i18n.js';
import { get, request, HttpError } from './api.js';
import { orders } from './outbox.js';

export async function renderParts(root) {
  const part = h('input', { id: 'reqPart', list: 'reqParts', maxlength: 64, required: true, autocomplete: 'off' });
  const quantity = h('input', { id: 'reqQuantity', type: 'number', min: 1, max: 999, value: 1, required: true });
  const mine = (await orders()).items.filter((o) => ['accepted', 'scheduled', 'inProgress'].includes(o.status));
  const order = h('select', { id: 'reqOrder' }, h('option', { value: '' }, t('reqForVan')), ...mine.map((o) => h('option', { value: o.id }, o.code)));
  const note = h('input', { id: 'reqNote', maxlength: 500 });
  const catalogue = h('datalist', { id: 'reqParts' });
  const field = (id, label, input) => h('label', {}, label, input, h('span', { class: 'error', id: `err-${id}` }));
  const van = h('ul', { class: 'generic', id: 'vanStock' });
  const list = h('ul', { class: 'generic', id: 'reqList' });
  // Each load draws only if no later one started: the screen's first load, answered slowly, must not overwrite the list a
  // requisition just sent reloaded.
  let loads = 0;
  const load = async () => {
    const mine = ++loads;
    let stock = null;
    let reqs = null;
    try { [stock, reqs] = await Promise.all([get('/api/stock'), get('/api/requisitions')]); } catch { /* offline: nothing to show */ }
    if (mine !== loads) return;
    van.replaceChildren(...(stock?.length ? stock.filter((s) => s.onHand > 0).map((s) => h('li', { 'data-part': s.partNumber },
      h('strong', {}, s.partNumber), ` ${s.partName} × ${s.onHand}`)) : [h('li', { class: 'muted' }, t('noData'))]));
    list.replaceChildren(...(reqs?.length ? reqs.map((r) => h('li', { 'data-requisition': r.id },
      h('span', { class: `badge req-${r.status}` }, t(`requisitionStatus.${r.status}`)), ' ', r.workOrderCode || t('reqForVan'), h('br'),
      h('small', {}, r.lines.map((l) => `${l.partNumber} ${l.partName} × ${l.quantity}`).join(', ')))) : [h('li', { class: 'muted' }, t('noData'))]));
  };
  try {
    const parts = await get('/api/parts');
    catalogue.replaceChildren(...parts.map((p) => h('option', { value: p.partNumber }, p.name)));
  } catch { /* offline: type the number */ }
  const submit = async (e) => {
    e.preventDefault();
    root.querySelectorAll('.error').forEach((x) => { x.textContent = ''; });
    const body = { lines: [{ partNumber: part.value.trim(), quantity: Number(quantity.value) }], note: note.value.trim() || null };
    if (order.value) body.workOrderId = Number(order.value);
    try {
      await request('POST', '/api/requisitions', { headers: { 'Idempotency-Key': uuid() }, body });
      toast(t('reqSent'));
      part.value = '';
      note.value = '';
      await load();
    } catch (x) {
      if (x instanceof HttpError && x.problem?.errors) {
        for (const [k, v] of Object.entries(x.problem.errors)) {
          const id = k.endsWith('partNumber') ? 'part' : k.endsWith('quantity') ? 'quantity' : k;
          const el = root.querySelector(`#err-${id}`) || root.querySelector('#err-reqForm');
          if (el) el.textContent = v.join(' ');
        }
      } else toast(x instanceof HttpError ? t('failed', x.problem?.detail || x.status) : t('reqNeedsNetwork'), 'error');
    }
  };
  // SC-27 / SHOP-06: a unit that cannot be fixed on site is taken to the depot with a customer goods collection receipt.
  const depotOrder = h('select', { id: 'depotOrder', required: true }, ...mine.map((o) => h('option', { value: o.id }, o.code)));
  const depotFault = h('input', { id: 'depotFault', maxlength: 500, required: true });
  const depotAccessories = h('input', { id: 'depotAccessories', maxlength: 200 });
  const depotSms = h('input', { id: 'depotSms', type: 'checkbox', checked: true });
  const depotResult = h('p', { id: 'depotResult' });
  const carryIn = async (e) => {
    e.preventDefault();
    root.querySelectorAll('#depotForm .error').forEach((x) => { x.textContent = ''; });
    const body = { workOrderId: Number(depotOrder.value), units: [{ fault: depotFault.value.trim(), accessories: depotAccessories.value.trim() || null }], sms: depotSms.checked };
    try {
      const r = await request('POST', '/api/depot/receipts', { headers: { 'Idempotency-Key': uuid() }, body });
      depotResult.textContent = t('depotIssued', r.number);
      depotFault.value = '';
      depotAccessories.value = '';
    } catch (x) {
      if (x instanceof HttpError && x.problem?.errors) {
        for (const [k, v] of Object.entries(x.problem.errors)) {
          const id = k.endsWith('fault') ? 'depotFault' : k.endsWith('accessories') ? 'depotAccessories' : 'depotForm';
          const el = root.querySelector(`#err-${id}`) || root.querySelector('#err-depotForm');
          if (el) el.textContent = v.join(' ');
        }
      } else toast(x instanceof HttpError ? t('failed', x.problem?.detail || x.status) : t('reqNeedsNetwork'), 'error');
    }
  };
  const depotForm = mine.length === 0 ? null : h('form', { class: 'card', id: 'depotForm', onsubmit: carryIn },
    h('h3', {}, t('depotTitle')),
    field('depotOrder', t('reqOrder'), depotOrder), field('depotFault', t('depotFault'), depotFault),
    field('depotAccessories', t('depotAccessories'), depotAccessories),
    h('label', { class: 'check' }, depotSms, ' ', t('depotSms')),
    h('span', { class: 'error', id: 'err-depotForm' }),
    h('button', { type: 'submit', class: 'primary', id: 'depotSubmit' }, t('depotSubmit')), depotResult);
  root.replaceChildren(h('h2', {}, t('partsTitle')),
    h('section', { class: 'card' }, h('h3', {}, t('vanStock')), van),
    h('form', { class: 'card', id: 'reqForm', onsubmit: submit },
      h('h3', {}, t('reqTitle')),
      field('part', t('reqPart'), part), catalogue, field('quantity', t('reqQuantity'), quantity),
      field('workOrderId', t('reqOrder'), order), field('note', t('reqNote'), note),
      h('span', { class: 'error', id: 'err-reqForm' }),
      h('button', { type: 'submit', class: 'primary', id: 'reqSubmit' }, t('reqSubmit'))),
    h('section', { class: 'card' }, h('h3', {}, t('reqMine')), list), ...(depotForm ? [depotForm] : []));
  await load();
}
