// Leave (请假, ATT-07..08): the technician asks for days off with a reason; the supervisor approves or refuses on the
// console. Needs the network: the answer (approved, refused, waiting) is the office's, never guessed on the phone.
// ATT-08: not back when approved leave ends, the technician files an extension (延期) from the leave itself.
import { h, toast, uuid } from './ui.js';
import { t } from './i18n.js';
import { get, request, HttpError } from './api.js';

const day = (d) => new Date(Date.now() + d * 86400000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

export async function renderLeave(root) {
  const from = h('input', { id: 'leaveFrom', type: 'date', value: day(1), required: true });
  const to = h('input', { id: 'leaveTo', type: 'date', value: day(1), required: true });
  const reason = h('textarea', { id: 'leaveReason', rows: 2, maxlength: 500, required: true });
  const field = (id, label, input) => h('label', {}, label, input, h('span', { class: 'error', id: `err-${id}` }));
  const list = h('ul', { class: 'generic', id: 'leaveList' });
  const load = async () => {
    let page = null;
    try { page = await get('/api/leave-requests?pageSize=20'); } catch { /* offline: nothing to show */ }
    // The list on the screen now: should the screen have been drawn again meanwhile, this one's list is no longer shown.
    const shown = root.contains(list) ? list : (root.querySelector('#leaveList') || list);
    shown.replaceChildren(...(page?.items?.length ? page.items.map((l) => h('li', { 'data-leave': l.id },
      `${l.from} – ${l.to} · `, h('span', { class: `badge leave-${l.status}` }, t(`leaveStatus.${l.status}`)),
      l.extensionOf ? h('small', { class: 'muted' }, ` ${t('leaveExtension')}`) : null, h('br'),
      h('small', {}, l.reason, l.decisionNote ? ` · ${l.decisionNote}` : ''),
      l === latest(page.items) ? extendForm(l) : null)) : [h('li', { class: 'muted' }, t('noData'))]));
  };
  // The latest approved leave, unless already extended, may be extended (the server checks the days and the rest).
  const latest = (items) => {
    const approved = items.filter((l) => l.status === 'approved').sort((a, b) => (a.to < b.to ? 1 : -1))[0];
    return approved && !items.some((l) => l.extensionOf === approved.id && l.status !== 'refused') ? approved : null;
  };
  const extendForm = (l) => {
    const next = new Date(`${l.to}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    const until = h('input', { type: 'date', id: `extendTo-${l.id}`, value: next.toISOString().slice(0, 10), min: next.toISOString().slice(0, 10) });
    const why = h('input', { id: `extendReason-${l.id}`, maxlength: 500, placeholder: t('leaveExtendReason') });
    const err = h('span', { class: 'error', id: `extendErr-${l.id}` });
    return h('details', { id: `extend-${l.id}` }, h('summary', {}, t('leaveExtend')),
      h('label', {}, t('leaveExtendTo'), until), why, err,
      h('button', { type: 'button', id: `extendSubmit-${l.id}`, onclick: async () => {
        err.textContent = '';
        if (!why.value.trim()) { err.textContent = `${t('leaveExtendReason')}: ${t('required')}`; return; }
        try {
          await request('POST', `/api/leave-requests/${l.id}/extend`, { headers: { 'Idempotency-Key': uuid() }, body: { to: until.value, reason: why.value.trim() } });
          toast(t('leaveExtendSent'));
          await load();
        } catch (x) {
          err.textContent = x instanceof HttpError ? Object.values(x.problem?.errors || {}).flat().join(' ') || x.problem?.detail || String(x.status) : t('leaveNeedsNetwork');
        }
      } }, t('leaveExtendSubmit')));
  };
  const submit = async (e) => {
    e.preventDefault();
    root.querySelectorAll('.error').forEach((x) => { x.textContent = ''; });
    try {
      await request('POST', '/api/leave-requests', { headers: { 'Idempotency-Key': uuid() }, body: { from: from.value, to: to.value, reason: reason.value.trim() } });
      toast(t('leaveSent'));
      reason.value = '';
      await load();
    } catch (x) {
      if (x instanceof HttpError && x.problem?.errors) {
        for (const [k, v] of Object.entries(x.problem.errors)) {
          const el = root.querySelector(`#err-${k}`) || root.querySelector('#err-leaveForm');
          if (el) el.textContent = v.join(' ');
        }
      } else toast(x instanceof HttpError ? t('failed', x.problem?.detail || x.status) : t('leaveNeedsNetwork'), 'error');
    }
  };
  root.replaceChildren(h('h2', {}, t('leaveTitle')),
    h('form', { class: 'card', id: 'leaveForm', onsubmit: submit },
      field('from', t('leaveFrom'), from), field('to', t('leaveTo'), to), field('reason', t('leaveReason'), reason),
      h('span', { class: 'error', id: 'err-leaveForm' }),
      h('button', { type: 'submit', class: 'primary', id: 'leaveSubmit' }, t('leaveSubmit'))),
    h('section', { class: 'card' }, h('h3', {}, t('leaveMine')), list));
  await load();
}
