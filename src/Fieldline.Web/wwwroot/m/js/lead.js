// DSP-12 (SC-10): a job offered to the technician outside the company is registered, never done privately. It becomes a
// normal order in the branch's queue; the dispatcher sends it, possibly back to this technician. Needs the network:
// the server checks the customer and the product at once and answers with the new order's code.
import { h, toast, uuid } from './ui.js';
import { t } from './i18n.js';
import { request, HttpError } from './api.js';

// The last registration's answer survives a re-render of the screen (the app redraws when its data syncs).
let lastDone = '';

export function renderLead(root) {
  const field = (id, label, input) => h('label', {}, label, input, h('span', { class: 'error', id: `err-${id}` }));
  const type = h('select', { id: 'leadType' }, ['repair', 'install'].map((v) => h('option', { value: v }, t(`type.${v}`))));
  const line = h('select', { id: 'leadLine' }, ['ac', 'purifier'].map((v) => h('option', { value: v }, t(`line.${v}`))));
  const name = h('input', { id: 'leadName', maxlength: 50, autocomplete: 'off' });
  const phone = h('input', { id: 'leadPhone', type: 'tel', inputmode: 'tel', maxlength: 20 });
  const address = h('input', { id: 'leadAddress', maxlength: 200 });
  const model = h('input', { id: 'leadModel', maxlength: 64 });
  const bought = h('input', { id: 'leadPurchaseDate', type: 'date' });
  const fault = h('textarea', { id: 'leadFault', rows: 2, maxlength: 1000 });
  const note = h('textarea', { id: 'leadNote', rows: 2, maxlength: 500, placeholder: t('leadNoteHint') });
  const sent = h('p', { id: 'leadDone', class: 'ok', role: 'status' }, lastDone);
  const submit = async (e) => {
    e.preventDefault();
    root.querySelectorAll('.error').forEach((x) => { x.textContent = ''; });
    try {
      const { data } = await request('POST', '/api/work-orders/leads', {
        headers: { 'Idempotency-Key': uuid() },
        body: {
          type: type.value, productLine: line.value, productModel: model.value.trim() || null, purchaseDate: bought.value || null, faultDescription: fault.value.trim() || null,
          note: note.value.trim() || null, customer: { name: name.value.trim(), phone: phone.value.trim(), address: address.value.trim() },
        },
      });
      sent.textContent = lastDone = t('leadRegistered', data.code);
      form.reset();
    } catch (x) {
      if (x instanceof HttpError && x.problem?.errors) {
        for (const [k, v] of Object.entries(x.problem.errors)) {
          const el = root.querySelector(`#err-${k.replace(/^customer\./, '')}`) || root.querySelector('#err-form');
          if (el) el.textContent = v.join(' ');
        }
      } else toast(x instanceof HttpError ? t('failed', x.problem?.detail || x.status) : t('leadNeedsNetwork'), 'error');
    }
  };
  const form = h('form', { class: 'card', id: 'leadForm', onsubmit: submit },
    h('p', { class: 'muted' }, t('leadWhy')),
    field('type', t('leadTypeLabel'), type), field('productLine', t('leadLineLabel'), line),
    field('name', t('leadName'), name), field('phone', t('leadPhone'), phone), field('address', t('leadAddress'), address),
    field('productModel', t('leadModel'), model), field('purchaseDate', t('leadPurchaseDate'), bought), field('faultDescription', t('leadFault'), fault), field('note', t('leadNote'), note),
    h('span', { class: 'error', id: 'err-form' }),
    h('button', { type: 'submit', class: 'primary', id: 'leadSubmit' }, t('leadSubmit')), sent);
  root.replaceChildren(h('h2', {}, t('leadTitle')), form);
}
