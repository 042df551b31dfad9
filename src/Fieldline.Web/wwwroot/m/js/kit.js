// The monthly kit spot check (TLS-04) on the phone, for the supervisor walking the round: everyone of the branch with
// the policy's kit, whether they were checked this month; a person's kit as checkboxes, all ticked — untick what is
// missing. The same POST /api/tool-checks as the desk: a missing item proposes the policy's fine (30 CNY) and keeps the
// person from dispatch until a re-check finds the kit complete. Needs the network: the answer is the office's.
import { h, toast, uuid } from './ui.js';
import { t } from './i18n.js';
import { get, request, HttpError } from './api.js';

export async function renderKit(root, technicianId) {
  let round;
  try { round = await get('/api/tool-checks/round'); } catch (x) {
    const denied = x instanceof HttpError && x.status === 403;
    root.replaceChildren(h('h2', {}, t('kitTitle')),
      h('p', { class: 'muted', id: 'kitDenied' }, denied ? t('kitOnlySupervisor') : t('kitNeedsNetwork')),
      // A technician's own kit check and tools are under 我的工具.
      denied ? h('p', {}, h('a', { href: '#/tools', class: 'button', id: 'kitToMyTools' }, t('toolsTitle'))) : null);
    return;
  }
  const person = round.people.find((p) => String(p.technicianId) === String(technicianId));
  if (!person) {
    const left = round.people.filter((p) => !p.checkedThisMonth).length;
    root.replaceChildren(h('h2', {}, t('kitTitle'), ` · ${round.month}`),
      h('p', { class: 'muted', id: 'kitUnchecked' }, t('kitUncheckedCount', left)),
      h('div', { id: 'kitPeople' }, round.people.map((p) => h('a', { href: `#/kit/${p.technicianId}`, class: 'card order', 'data-technician': p.technicianId },
        h('div', { class: 'row' }, h('strong', {}, p.name),
          h('span', { class: `badge ${p.checkedThisMonth ? (p.lastComplete ? 'ok' : 'bad') : 'wait'}` },
            p.checkedThisMonth ? (p.lastComplete ? t('kitComplete') : t('kitIncomplete')) : t('kitNotChecked'))),
        h('p', { class: 'muted' }, p.lastCheckedOn ? t('kitLastChecked', p.lastCheckedOn) : t('kitNeverChecked'))))));
    return;
  }
  const boxes = person.kit.map((k) => h('input', { type: 'checkbox', checked: true, value: k.code, id: `kit-${k.code}` }));
  const note = h('input', { id: 'kitNote', maxlength: 500 });
  const err = h('p', { class: 'error', role: 'alert', id: 'kitError' });
  const submit = async (e) => {
    e.preventDefault();
    err.textContent = '';
    const present = boxes.filter((b) => b.checked).map((b) => b.value);
    const missing = boxes.filter((b) => !b.checked).map((b) => b.value);
    try {
      const { data } = await request('POST', '/api/tool-checks', { headers: { 'Idempotency-Key': uuid() },
        body: { technicianId: person.technicianId, missing, present, note: note.value.trim() || null } });
      toast(data.complete ? t('kitSavedComplete') : t('kitSavedMissing', data.fineAmount ?? 0), data.complete ? 'info' : 'error');
      location.hash = '#/kit';
    } catch (x) {
      if (x instanceof HttpError && x.problem?.errors) err.textContent = Object.values(x.problem.errors).flat().join(' ');
      else err.textContent = x instanceof HttpError ? t('failed', x.problem?.detail || x.status) : t('kitNeedsNetwork');
    }
  };
  root.replaceChildren(h('h2', {}, t('kitTitle'), ' · ', person.name),
    h('p', { class: 'muted' }, t('kitUntickMissing')),
    h('form', { class: 'card', id: 'kitForm', onsubmit: submit },
      person.kit.map((k, i) => h('label', { class: 'check' }, boxes[i], ' ', k.name)),
      h('label', {}, t('kitNote'), note), err,
      h('button', { type: 'submit', class: 'primary', id: 'kitSubmit' }, t('kitSubmit'))),
    h('p', {}, h('a', { href: '#/kit', class: 'button' }, t('kitBack'))));
}
