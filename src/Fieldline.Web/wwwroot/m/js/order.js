// One order on the phone: the next step for its state, the evidence of the completion, and its unsent actions.
import SignaturePad from '../vendor/signature_pad.min.js';
import { h, when, windowText, localInput, fromLocalInput, toast, uuid, typingInto } from './ui.js';
import { t, duration } from './i18n.js';
import { order, queue, effective, enqueue, discard, policy, priceList, colleagues, flush } from './outbox.js';
import { kvGet, kvSet, outboxDelete } from './db.js';
import { checklists, confirmations, maxRoomArea } from './checklists.js';
import { resize } from './photo.js';
import { request, get, errorText } from './api.js';

/**
 * The most urgent deadline: of the SLA clocks still open (running, or breached and not yet done), the earliest — so an
 * overdue one wins and the countdown turns red; without clocks, the appointment or the customer's window.
 */
export function nextDeadline(o) {
  const open = (o.clocks || [])
    .filter((c) => c.dueAt && !c.stoppedAt && (c.state === 'running' || c.state === 'breached'))
    .sort((a, b) => new Date(a.dueAt) - new Date(b.dueAt));
  if (open.length) return { at: open[0].dueAt, name: open[0].name };
  const w = o.appointment?.start ? o.appointment : o.requestedWindow;
  if (!w) return null;
  const beforeArrival = ['dispatched', 'accepted', 'scheduled'].includes(o.status);
  return { at: (beforeArrival ? w.start : w.end) || w.end || w.start, name: o.appointment?.start ? 'appointment' : 'requested' };
}

export function countdown(o) {
  const d = nextDeadline(o);
  if (!d || ['completed', 'visited', 'closed', 'cancelled'].includes(o.status)) return null;
  const minutes = (new Date(d.at) - Date.now()) / 60000;
  return h('span', { class: `countdown ${minutes < 0 ? 'late' : minutes < 60 ? 'soon' : ''}`, 'data-due': d.at },
    minutes < 0 ? t('overdue', duration(minutes)) : t('due', duration(minutes)));
}

export function refreshCountdowns() {
  for (const el of document.querySelectorAll('.countdown[data-due]')) {
    const minutes = (new Date(el.dataset.due) - Date.now()) / 60000;
    el.textContent = minutes < 0 ? t('overdue', duration(minutes)) : t('due', duration(minutes));
    el.classList.toggle('late', minutes < 0);
    el.classList.toggle('soon', minutes >= 0 && minutes < 60);
  }
}

/**
 * Issue 18: the parts on my van with their catalogue facts (list price, warranty class), fetched while online and kept
 * for the basement; a completion uses them by part number and the server takes them off the van in the same save.
 */
async function vanParts() {
  try {
    const [stock, parts] = await Promise.all([get('/api/stock'), get('/api/parts')]);
    const byNumber = new Map(parts.map((p) => [p.partNumber, p]));
    const van = stock.filter((s) => s.onHand > 0).map((s) => ({ ...s, listPrice: byNumber.get(s.partNumber)?.listPrice ?? 0,
      warrantyClass: byNumber.get(s.partNumber)?.warrantyClass || 'covered' }));
    await kvSet('van-parts', van);
    return van;
  } catch { return (await kvGet('van-parts')) || []; }
}

const drafts = new Map();
async function draftOf(id) {
  if (!drafts.has(id)) drafts.set(id, (await kvGet(`draft:${id}`)) || { checklist: {}, lines: [], testRun: '', barcode: '', resolution: '', faultCategory: '', signature: null, sticker: false });
  return drafts.get(id);
}
const saveDraft = (id) => kvSet(`draft:${id}`, drafts.get(id));

export async function renderOrder(root, id) {
  id = Number(id);
  const all = await queue();
  const server = await order(id);
  if (!server) {
    root.replaceChildren(h('p', {}, t('noOrders')), h('a', { href: '#/' }, t('back')));
    return;
  }
  const o = effective(server, all);
  const mine = all.filter((i) => i.orderId === id);
  const pol = await policy(o.policyVersion);
  const draft = await draftOf(id);
  const mapUrl = o.customer?.location
    ? `https://uri.amap.com/marker?position=${o.customer.location.lng},${o.customer.location.lat}&name=${encodeURIComponent(o.address)}`
    : `https://uri.amap.com/search?keyword=${encodeURIComponent(o.address)}`;

  const parts = [
    h('a', { href: '#/', class: 'back' }, '‹ ', t('back')),
    h('section', { class: 'card head' },
      h('div', { class: 'row' }, h('strong', { id: 'code' }, o.code), h('span', { class: `badge s-${o.status}`, id: 'status' }, t(`status.${o.status}`))),
      h('div', { class: 'row muted' }, t(`type.${o.type}`), ' · ', o.inWarranty ? t('inWarranty') : t('outWarranty'), ' ', countdown(o)),
      h('p', {}, h('b', {}, o.contactPerson || o.customer?.name), ' ', h('a', { href: `tel:${o.contactPhone}`, class: 'tel', id: 'call' }, '☎ ', o.contactPhone)),
      h('p', {}, o.address, ' ', h('a', { href: mapUrl, target: '_blank', rel: 'noopener', class: 'map' }, t('map'))),
      h('p', { class: 'muted' }, t('product'), ':', [o.product?.productLine && t(`line.${o.product.productLine}`), o.product?.model, o.product?.serialNumber].filter(Boolean).join(' ')),
      h('p', {}, t('fault'), ':', o.faultDescription || '—'),
      h('p', { class: 'muted' }, o.appointment?.start ? `${t('appointment')} ${windowText(o.appointment)}` : `${t('requested')} ${windowText(o.requestedWindow)}`),
      (o.clocks || []).length ? h('ul', { class: 'clocks', id: 'clocks' }, [...o.clocks]
        .sort((a, b) => (a.state === 'met') - (b.state === 'met') || new Date(a.dueAt) - new Date(b.dueAt))
        .map((c) => h('li', { class: `clock ${c.state}` }, `${t(`clock.${c.name}`)}:${t(`clockState.${c.state}`)} · ${t('deadline')} ${when(c.dueAt)}`))) : null,
    ),
    queueBox(id, mine),
  ];
  const blocked = mine.some((i) => i.state !== 'pending');
  if (!blocked) parts.push(...await step(o, pol, draft, mine));
  if (!blocked) parts.push(...await handOver(o, mine));
  if (!blocked) parts.push(...mealReport(o, pol, mine));
  // Below the step: the next step's buttons stay where the technician's thumb expects them.
  parts.push(h('p', {}, h('a', { href: `#/problems/${o.id}`, id: 'problemLink', class: 'link' }, t('problemRaise'))));
  // A re-render of the same order (an upload finished, the network came back) keeps what was typed or picked on it.
  // Taken and put back in the same task as the swap, so no tap can fall between them.
  const same = root.dataset.shownOrder === String(id);
  // Begun while nothing had the caret, but someone started typing while it was built: swapping the screen now would drop
  // the keys still to come (a price typed over the suggested one went in as the suggestion). Only what changes on its own
  // is redrawn, as when the change had come while they typed.
  if (same && root.contains(typingInto())) { await patchOrder(id); return; }
  const typed = same ? snapshot(root) : new Map();
  root.replaceChildren(...parts.filter(Boolean));
  root.dataset.shownOrder = String(id);
  restore(root, typed);
  if (!blocked && o.status === 'inProgress') mountSignature(id, draft);
}

function snapshot(root) {
  const values = new Map();
  for (const el of root.querySelectorAll('input[id], select[id], textarea[id]')) {
    if (el.type !== 'file') values.set(el.id, el.type === 'checkbox' || el.type === 'radio' ? el.checked : el.value);
  }
  // A form opened to be filled in (申请转单, 退回派工) stays open when the order is redrawn under it.
  for (const el of root.querySelectorAll('details[id][open]')) values.set(`open:${el.id}`, true);
  // A message the technician has not acted on yet (a refused charge, missing evidence) survives the re-render too.
  for (const el of root.querySelectorAll('p.error[role="alert"][id]')) {
    if (el.textContent) values.set(`message:${el.id}`, el.textContent);
  }
  return values;
}

function restore(root, values) {
  for (const [key, v] of values) {
    if (key.startsWith('open:')) { const d = root.querySelector(`#${CSS.escape(key.slice(5))}`); if (d) d.open = true; continue; }
    const message = key.startsWith('message:');
    const el = root.querySelector(`#${CSS.escape(message ? key.slice(8) : key)}`);
    if (!el) continue;
    if (message) { if (!el.textContent) el.textContent = v; }
    else if (typeof v === 'boolean') el.checked = v;
    else el.value = v;
  }
}

function queueBox(id, mine) {
  if (!mine.length) return null;
  const conflict = mine.filter((i) => i.state === 'conflict');
  const failed = mine.filter((i) => i.state === 'failed');
  return h('section', { class: 'card queue-box', id: 'pending' },
    conflict.length ? h('div', { class: 'conflict', id: 'conflict', role: 'alert' },
      h('p', {}, t('conflict', mine.length)), h('p', { class: 'muted' }, conflict[0].error || ''),
      h('button', { type: 'button', class: 'danger', onclick: async () => { await discard(id); location.hash = '#/'; } }, t('discard'))) : null,
    failed.length ? h('div', { class: 'failed', id: 'failed', role: 'alert' },
      h('p', {}, t('failed', failed[0].error || '')),
      // Each message names its field in the reader's language already; the wire name (technicianId) would be English.
      failed[0].errors ? h('ul', {}, Object.values(failed[0].errors).map((v) => h('li', {}, [].concat(v).join(' ')))) : null,
      h('button', { type: 'button', onclick: async () => { for (const i of failed) await outboxDelete(i.seq); window.dispatchEvent(new CustomEvent('fl:changed')); } }, t('fixAndRetry'))) : null,
    h('ul', { class: 'pending-list' }, mine.map((i) => h('li', { class: `q-${i.state}` },
      h('span', { class: `badge ${i.state === 'pending' ? 'wait' : 'conflict-badge'}` }, t({ pending: 'waiting', conflict: 'itemConflict', failed: 'itemFailed' }[i.state] || 'waiting')), ' ', t(`actions.${i.action}`), ' · ', when(i.deviceAt)))));
}

async function step(o, pol, draft, mine) {
  const id = o.id;
  switch (o.status) {
    case 'dispatched': {
      const reason = h('textarea', { id: 'rejectReason', rows: 2, maxlength: 500, placeholder: t('rejectReason') });
      return [h('section', { class: 'card' },
        h('button', { type: 'button', class: 'primary', id: 'accept', onclick: () => enqueue(id, 'accept', {}) }, t('accept')),
        h('details', {}, h('summary', {}, t('reject')), reason,
          h('button', { type: 'button', class: 'danger', id: 'reject', onclick: () => {
            if (!reason.value.trim()) { toast(`${t('rejectReason')}: ${t('required')}`, 'error'); return; }
            enqueue(id, 'reject', { reason: reason.value.trim() });
            location.hash = '#/';
          } }, t('confirmReject'))))];
    }
    case 'accepted': {
      const w = o.requestedWindow || {};
      const start = h('input', { type: 'datetime-local', id: 'apptStart', value: localInput(w.start) });
      const end = h('input', { type: 'datetime-local', id: 'apptEnd', value: localInput(w.end) });
      const notes = h('input', { type: 'text', id: 'contactNotes', maxlength: 500, placeholder: t('notes') });
      const reached = h('input', { type: 'radio', name: 'outcome', id: 'reached', value: 'reached', checked: true });
      const unreachable = h('input', { type: 'radio', name: 'outcome', id: 'unreachable', value: 'unreachable' });
      return [h('section', { class: 'card' },
        h('a', { href: `tel:${o.contactPhone}`, class: 'button primary', id: 'callButton' }, t('call')),
        h('h3', {}, t('contactOutcome')),
        h('label', { class: 'check' }, reached, t('reached')),
        h('div', { class: 'grid2' }, h('label', {}, t('start'), start), h('label', {}, t('end'), end)),
        h('label', { class: 'check' }, unreachable, t('unreachable')),
        notes,
        h('button', { type: 'button', class: 'primary', id: 'saveContact', onclick: () => {
          if (unreachable.checked) { enqueue(id, 'contact', { outcome: 'unreachable', notes: notes.value || null }); return; }
          if (!start.value || !end.value) { toast(`${t('start')}/${t('end')}: ${t('required')}`, 'error'); return; }
          enqueue(id, 'contact', { outcome: 'reached', appointment: { start: fromLocalInput(start.value), end: fromLocalInput(end.value) }, notes: notes.value || null });
        } }, t('saveContact')))];
    }
    case 'scheduled': {
      const start = h('input', { type: 'datetime-local', id: 'newStart', value: localInput(o.appointment?.start) });
      const end = h('input', { type: 'datetime-local', id: 'newEnd', value: localInput(o.appointment?.end) });
      const reason = h('input', { type: 'text', id: 'rescheduleReason', maxlength: 500, placeholder: t('reason') });
      const consent = h('input', { type: 'checkbox', id: 'consent' });
      return [h('section', { class: 'card' },
        h('button', { type: 'button', class: 'primary', id: 'checkIn', onclick: (e) => checkIn(id, e.target) }, t('checkIn')),
        h('details', {}, h('summary', {}, t('reschedule')),
          h('div', { class: 'grid2' }, h('label', {}, t('start'), start), h('label', {}, t('end'), end)), reason,
          h('label', { class: 'check' }, consent, t('consent')),
          h('button', { type: 'button', id: 'reschedule', onclick: () => {
            if (!consent.checked) { toast(t('consentNeeded'), 'error'); return; }
            if (!start.value || !end.value || !reason.value.trim()) { toast(`${t('start')}/${t('end')}/${t('reason')}: ${t('required')}`, 'error'); return; }
            enqueue(id, 'reschedule', { appointment: { start: fromLocalInput(start.value), end: fromLocalInput(end.value) }, reason: reason.value.trim(), customerConsent: true });
          } }, t('saveReschedule'))))];
    }
    case 'inProgress': return completion(o, pol, draft, mine);
    case 'completed': case 'visited': case 'closed':
      return [acknowledgement(o, pol, mine), reportBox(o, mine)].filter(Boolean);
    default: return [];
  }
}

/** ONS-12's variant: where the policy asks for it, a meal the customer insisted on is reported to the company afterwards. */
function mealReport(o, pol, mine) {
  if (!pol?.parameters?.onsite?.mealAcceptedMustBeReported || !['inProgress', 'completed', 'visited'].includes(o.status)) return [];
  if ((o.timeline || []).some((e) => e.action === 'mealReported') || mine.some((i) => i.action === 'meal-report'))
    return [h('section', { class: 'card' }, h('p', { id: 'mealReported', class: 'muted', role: 'status' }, t('mealReported')))];
  const note = h('textarea', { id: 'mealNote', rows: 2, maxlength: 500, placeholder: t('mealNote') });
  return [h('details', { class: 'card', id: 'meal' }, h('summary', {}, t('mealReport')), h('p', { class: 'muted' }, t('mealHint')), note,
    h('button', { type: 'button', id: 'sendMeal', onclick: () => {
      if (!note.value.trim()) { toast(`${t('mealNote')}: ${t('required')}`, 'error'); return; }
      enqueue(o.id, 'meal-report', { note: note.value.trim() });
    } }, t('mealSend')))];
}

/** The technician's request pending with the dispatcher: one still on the phone, else the last one the server recorded. */
function transferAsked(o, mine) {
  const waiting = mine.filter((i) => i.action === 'transfer-request').at(-1);
  if (waiting) return waiting.body.technicianId;
  const last = lastTransferStep(o);
  return last?.action === 'transferRequested' ? last.data?.toTechnicianId : null;
}

const lastTransferStep = (o) =>
  (o.timeline || []).filter((e) => ['transferRequested', 'transferDeclined', 'transferred', 'dispatched', 'taken'].includes(e.action)).at(-1);

/**
 * Before the visit the order can leave the technician two ways, each only where the server allows it: 申请转单 asks the
 * dispatcher to give it to a named colleague (DSP-11; any type, until check-in; nothing moves until the dispatcher
 * transfers it), and 退回派工 hands an installation the customer postponed back to the dispatcher (DSP-15/CMP-07:
 * installations only; a repair is rescheduled with the customer's consent instead).
 */
async function handOver(o, mine) {
  if (!['dispatched', 'accepted', 'scheduled'].includes(o.status)) return [];
  const id = o.id;
  const people = await colleagues();
  const asked = transferAsked(o, mine);
  const nameOf = (tid) => people.find((c) => c.id === tid)?.name || `#${tid}`;
  const colleague = h('select', { id: 'transferTo' }, h('option', { value: '' }, `— ${t('transferTo')} —`),
    people.filter((c) => c.id !== o.technicianId).map((c) => h('option', { value: c.id }, c.onDuty ? c.name : `${c.name}(${t('offDuty')})`)));
  const why = h('textarea', { id: 'transferReason', rows: 2, maxlength: 500, placeholder: t('transferReason') });
  const sections = [h('section', { class: 'card', id: 'transfer' },
    asked ? h('p', { id: 'transferAsked', class: 'muted', role: 'status' }, t('transferAsked', nameOf(asked))) : null,
    !asked && lastTransferStep(o)?.action === 'transferDeclined'
      ? h('p', { id: 'transferDeclined', class: 'error', role: 'status' }, t('transferDeclined', lastTransferStep(o).data?.reason || '')) : null,
    h('details', { id: 'transferForm' }, h('summary', {}, t('transferRequest')),
      h('p', { class: 'muted' }, t('transferRule')),
      people.length ? [h('label', {}, t('transferTo'), colleague), why,
        h('button', { type: 'button', id: 'requestTransfer', onclick: () => {
          if (!colleague.value || !why.value.trim()) { toast(`${t('transferTo')}/${t('transferReason')}: ${t('required')}`, 'error'); return; }
          const body = { technicianId: Number(colleague.value), reason: why.value.trim() };
          colleague.value = why.value = ''; // sent: the redrawn form starts empty
          enqueue(id, 'transfer-request', body);
          toast(t('transferSent'));
        } }, t('sendTransferRequest'))] : h('p', { class: 'muted', id: 'noColleagues' }, t('noColleagues'))))];
  if (o.type === 'install') {
    const wants = h('textarea', { id: 'returnReason', rows: 2, maxlength: 500, placeholder: t('returnReason') });
    const resumeOn = h('input', { type: 'date', id: 'resumeOn' });
    sections.push(h('section', { class: 'card', id: 'giveBack' },
      h('details', { id: 'returnForm' }, h('summary', {}, t('returnToDispatcher')),
        h('p', { class: 'muted' }, t('returnRule')), wants, h('label', {}, t('resumeOn'), resumeOn),
        h('button', { type: 'button', class: 'danger', id: 'returnToDispatcher', onclick: () => {
          if (!wants.value.trim()) { toast(`${t('returnReason')}: ${t('required')}`, 'error'); return; }
          enqueue(id, 'return-to-dispatcher', { reason: wants.value.trim(), resumeOn: resumeOn.value || null });
          toast(t('returnSent'));
          location.hash = '#/';
        } }, t('confirmReturn')))));
  }
  return sections;
}

function checkIn(id, button) {
  button.disabled = true;
  button.textContent = t('locating');
  navigator.geolocation.getCurrentPosition(
    (pos) => enqueue(id, 'check-in', { location: { lat: Number(pos.coords.latitude.toFixed(6)), lng: Number(pos.coords.longitude.toFixed(6)) } }),
    // The browser's own message is English ("User denied Geolocation"): the technician is told what to do, in their language.
    (err) => { button.disabled = false; button.textContent = t('checkIn'); toast(t(err.code === err.PERMISSION_DENIED ? 'locationDenied' : 'locationUnavailable'), 'error'); },
    { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
}

function photoList(o, mine) {
  return [...o.attachments.filter((a) => a.kind === 'photo').map((a) => ({ src: a.preview || null, state: 'sent' })),
    ...mine.filter((i) => i.action === 'photo').map((i) => ({ src: i.photo.preview, state: 'pending' }))];
}

function photoBox(photos) {
  return [h('h3', { id: 'photoCount' }, t('photos'), ` (${photos.length})`),
    h('div', { class: 'thumbs' }, photos.map((p) => (p.src ? h('img', { src: p.src, alt: '', class: p.state }) : h('span', { class: 'thumb-sent' }, '✓'))))];
}

/**
 * While the technician is typing, a full re-render would take the caret away: only the parts that change on their own
 * (status, photos, the unsent actions) are redrawn. Drafts keep everything else.
 */
export async function patchOrder(id) {
  id = Number(id);
  const all = await queue();
  const server = await order(id);
  if (!server) return;
  const o = effective(server, all);
  const mine = all.filter((i) => i.orderId === id);
  const status = document.getElementById('status');
  if (status) status.textContent = t(`status.${o.status}`);
  const photos = document.getElementById('photos');
  if (photos) photos.querySelector('#photoCount').parentElement.replaceChildren(...photoBox(photoList(o, mine)), photos.querySelector('label.button'));
  const box = queueBox(id, mine);
  const old = document.getElementById('pending');
  if (old && box) old.replaceWith(box);
  else if (old) old.remove();
  else if (box) document.querySelector('section.head')?.after(box);
}

async function completion(o, pol, draft, mine) {
  const id = o.id;
  const save = () => saveDraft(id);
  const lists = checklists(o, pol);
  const minRun = pol?.parameters?.completion?.testRunMinMinutes ?? 0;
  const multiple = pol?.parameters?.fees?.overchargeMaxMultipleOfStandard;
  const prices = await priceList(o.product.productLine);
  const van = await vanParts();

  const checklistEls = lists.map((l) => h('fieldset', { class: 'card', id: `list-${l.id}` }, h('legend', {}, t(l.id)),
    l.items.map((it) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', id: `chk-${it.key}`, checked: !!draft.checklist[it.key], onchange: (e) => { draft.checklist[it.key] = e.target.checked; save(); } }),
      h('span', {}, it.text, it.block ? h('em', { class: 'req' }, ' *') : null, h('small', { class: 'muted' }, ` ${it.rule}`))))));

  // INS-03 / SC-19: where the company has a capacity table, the unit's HP and the room's area decide whether they match.
  const table = pol?.parameters?.installation?.capacityRoomAreaTable || [];
  if (o.type === 'install' && table.length) {
    const warning = h('p', { class: 'error', id: 'capacityWarning', role: 'alert' });
    const judge = () => {
      const hp = Number(draft.checklist.capacityHp);
      const area = Number(draft.checklist.roomAreaM2);
      const max = hp > 0 && area > 0 ? maxRoomArea(pol, hp) : null;
      warning.textContent = max !== null && area > max ? t('capacityMismatch', hp, max, area) : '';
      if (warning.textContent) {
        draft.checklist.capacityMatchesRoom = false; // the customer's signed confirmation is asked for below
        const box = checklistEls.map((f) => f.querySelector('#chk-capacityMatchesRoom')).find(Boolean);
        if (box) box.checked = false;
      }
    };
    const number = (key, label) => h('label', {}, label, h('input', { type: 'number', id: key, min: 0, step: '0.1', inputmode: 'decimal', value: draft.checklist[key] ?? '',
      oninput: (e) => { draft.checklist[key] = e.target.value === '' ? undefined : Number(e.target.value); judge(); save(); } }));
    checklistEls.find((f) => f.id === 'list-quality')?.append(h('div', { class: 'row', id: 'capacityCheck' },
      number('capacityHp', t('capacityHp')), number('roomAreaM2', t('roomAreaM2'))), warning);
    judge();
  }

  const photos = photoList(o, mine);
  const fileInput = h('input', { type: 'file', accept: 'image/*', capture: 'environment', id: 'photoInput', multiple: true, onchange: async (e) => {
    for (const file of e.target.files) {
      let r;
      // A file the browser cannot decode (an iPhone's HEIC in Chrome): its own error is English and says nothing useful.
      try { r = await resize(file); } catch { toast(t('photoUnreadable'), 'error'); continue; }
      await enqueue(id, 'photo', {}, { blob: r.blob, preview: r.preview, boundary: `----fieldline${uuid().replaceAll('-', '')}`, name: `photo-${Date.now()}.jpg` });
    }
  } });

  const barcode = h('input', { type: 'text', id: 'barcode', maxlength: 64, value: draft.barcode, placeholder: t('typeBarcode'), autocomplete: 'off',
    oninput: (e) => { draft.barcode = e.target.value.trim(); save(); } });
  const video = h('video', { id: 'scanVideo', playsinline: true, muted: true, hidden: true });
  let stopScan = null;
  const scanBtn = h('button', { type: 'button', id: 'scan', onclick: async () => {
    if (stopScan) { stopScan(); stopScan = null; video.hidden = true; scanBtn.textContent = t('scan'); return; }
    try {
      video.hidden = false;
      scanBtn.textContent = t('stopScan');
      const { startScan } = await import('./scan.js');
      stopScan = await startScan(video, (code) => { barcode.value = code; draft.barcode = code; save(); video.hidden = true; stopScan = null; scanBtn.textContent = t('scan'); });
    } catch { video.hidden = true; scanBtn.textContent = t('scan'); toast(t('scanFailed'), 'error'); }
  } }, t('scan'));

  // INS-01: the model read off the unit (its nameplate or barcode label, or the carton where the policy trusts it), checked
  // against the order's; pre-filled with the order's model for the technician to confirm or correct.
  if (draft.unitModel === undefined) draft.unitModel = o.product?.model || '';
  const unitModel = h('input', { type: 'text', id: 'unitModel', maxlength: 64, value: draft.unitModel, autocomplete: 'off', placeholder: t('unitModel'),
    oninput: (e) => { draft.unitModel = e.target.value; save(); } });
  const unitModelSource = h('select', { id: 'unitModelSource', onchange: (e) => { draft.unitModelSource = e.target.value; save(); } },
    h('option', { value: 'unit' }, t('modelFromUnit')), h('option', { value: 'cartonLabel' }, t('modelFromCarton')));
  unitModelSource.value = draft.unitModelSource || 'unit';

  // Parts and charges from the price list. In warranty the work is free; out of warranty a price above the cap is refused.
  const select = h('select', { id: 'priceItem' }, h('option', { value: '' }, `— ${t('priceItem')} —`),
    prices.map((p) => h('option', { value: p.code }, `${p.name} · ${t('standard', p.standardPrice.toFixed(2))}`)));
  const qty = h('input', { type: 'number', id: 'qty', min: 1, max: 999, value: 1, inputmode: 'numeric' });
  const amount = h('input', { type: 'number', id: 'amount', min: 0, step: '0.01', inputmode: 'decimal' });
  const msg = h('p', { id: 'chargeMsg', class: 'error', role: 'alert' });
  // FEE-04: a price above the cap is asked of the supervisor from here (sent like any step, offline too); the asks not
  // yet answered by an approval of the same item for at least the amount stay listed.
  const askBox = h('div', { id: 'askApproval' });
  const approvedFor = (q) => (o.timeline || []).some((e) => e.action === 'priceApproved' && e.data?.priceCode === q.priceCode && Number(e.data.amount) >= Number(q.amount));
  const asks = [...mine.filter((i) => i.action === 'price-approval-request').map((i) => i.body),
    ...(o.timeline || []).filter((e) => e.action === 'priceApprovalRequested').map((e) => e.data)]
    .filter((q, i, all) => !approvedFor(q) && all.findIndex((x) => x.priceCode === q.priceCode && Number(x.amount) === Number(q.amount)) === i);
  const asked = h('ul', { id: 'approvalAsks', class: 'lines' }, asks.map((q) =>
    h('li', { class: 'muted' }, t('approvalAsked', prices.find((x) => x.code === q.priceCode)?.name || q.priceCode, Number(q.amount).toFixed(2)))));
  const askFor = (p, a) => {
    const why = h('textarea', { id: 'approvalReason', rows: 2, maxlength: 500, placeholder: t('approvalReason') });
    askBox.replaceChildren(why, h('button', { type: 'button', id: 'askApprovalSend', onclick: () => {
      if (!why.value.trim()) { toast(`${t('approvalReason')}: ${t('required')}`, 'error'); return; }
      askBox.replaceChildren();
      enqueue(id, 'price-approval-request', { priceCode: p.code, amount: a, reason: why.value.trim() });
    } }, t('askApproval', a.toFixed(2))));
  };
  // FEE-07: money collected on site needs the number of the invoice given to the customer.
  const invoice = h('input', { id: 'invoice', maxlength: 64, autocomplete: 'off', value: draft.invoice || '',
    oninput: (e) => { draft.invoice = e.target.value; save(); } });
  // The customer pays cash (handed in to finance later, FEE-05) or by scanning the company's payment QR (paid at once).
  const payment = h('select', { id: 'paymentMethod', onchange: (e) => { draft.payment = e.target.value; save(); } },
    h('option', { value: 'cash' }, t('payCash')), h('option', { value: 'qr' }, t('payQr')));
  payment.value = draft.payment || 'cash';
  // The line being typed is part of the draft: a re-render (the outbox finished sending, the order changed) keeps it.
  const pending = draft.pending || (draft.pending = { code: '', qty: 1, amount: '' });
  select.value = pending.code;
  qty.value = pending.qty;
  amount.value = pending.amount;
  const remember = () => { Object.assign(pending, { code: select.value, qty: qty.value, amount: amount.value }); save(); };
  const suggest = () => {
    const p = prices.find((x) => x.code === select.value);
    // WAR-01/FEE-08/FEE-10: in warranty only customer-paid materials cost money; after a purifier's year labour is 0.
    const free = o.inWarranty ? p?.kind !== 'material' : p?.kind === 'labour' && pol?.parameters?.warranty?.afterWarrantyChargePartsOnly;
    if (p) amount.value = free ? '0.00' : (p.standardPrice * Number(qty.value || 1)).toFixed(2);
    remember();
  };
  select.addEventListener('change', suggest);
  qty.addEventListener('input', suggest);
  amount.addEventListener('input', remember);
  // A part off my van: free in warranty unless it is a consumable (WAR-01), else its list price (FEE-04 caps it at the standard).
  const vanSelect = h('select', { id: 'vanPart' }, h('option', { value: '' }, `— ${t('vanPart')} —`),
    van.map((p) => h('option', { value: p.partNumber }, `${p.partName} · ${p.partNumber} · ${t('onVan', p.onHand)}`)));
  const vanQty = h('input', { type: 'number', id: 'vanQty', min: 1, max: 999, value: 1, inputmode: 'numeric' });
  const addVan = h('button', { type: 'button', id: 'addVanPart', onclick: () => {
    msg.textContent = '';
    const p = van.find((x) => x.partNumber === vanSelect.value);
    const n = Number(vanQty.value);
    const taken = draft.lines.filter((l) => l.van && l.code === p?.partNumber).reduce((a, l) => a + l.qty, 0);
    if (!p || !(n >= 1 && n <= 999)) { msg.textContent = `${t('vanPart')}/${t('qty')}: ${t('required')}`; return; }
    if (n + taken > p.onHand) { msg.textContent = t('notOnVan', p.onHand); return; }
    const free = o.inWarranty && p.warrantyClass !== 'consumable';
    draft.lines.push({ code: p.partNumber, name: p.partName, kind: 'part', van: true, qty: n, amount: free ? 0 : Math.round(p.listPrice * n * 100) / 100 });
    save();
    drawLines();
  } }, t('add'));
  const lines = h('ul', { id: 'lines', class: 'lines' });
  const drawLines = () => lines.replaceChildren(...draft.lines.map((l, i) => h('li', {},
    h('span', {}, `${l.name} × ${l.qty}`), h('span', {}, l.amount > 0 ? `¥${l.amount.toFixed(2)}` : t('free')),
    h('button', { type: 'button', class: 'link', onclick: () => { draft.lines.splice(i, 1); save(); drawLines(); } }, t('remove')))));
  drawLines();
  const add = h('button', { type: 'button', id: 'addCharge', onclick: () => {
    msg.textContent = '';
    askBox.replaceChildren();
    const p = prices.find((x) => x.code === select.value);
    const n = Number(qty.value);
    const a = Math.round(Number(amount.value || 0) * 100) / 100;
    if (!p || !(n >= 1 && n <= 999) || !(a >= 0)) { msg.textContent = `${t('priceItem')}/${t('qty')}/${t('amount')}: ${t('required')}`; return; }
    const cap = multiple ? Math.round(multiple * p.standardPrice * n * 100) / 100 : Infinity;
    // FEE-04 (SC-23): the supervisor's approval of this price item (on the order's 收费审核 page) lets a line above the
    // cap through, up to the approved amount for the whole line; the server matches it the same way at completion.
    const approved = (o.timeline || []).filter((e) => e.action === 'priceApproved' && e.data?.priceCode === p.code).map((e) => Number(e.data.amount));
    if (a > cap && !approved.some((x) => a <= x)) {
      msg.textContent = `${t('overCap', a.toFixed(2), cap.toFixed(2), multiple)}${approved.length ? '' : t('overCapAsk')}`;
      if (!approved.length) askFor(p, a);
      return;
    }
    draft.lines.push({ code: p.code, name: p.name, kind: p.kind, qty: n, amount: a });
    save();
    drawLines();
  } }, t('add'));

  const testRun = h('input', { type: 'number', id: 'testRun', min: 0, max: 1440, value: draft.testRun, inputmode: 'numeric',
    oninput: (e) => { draft.testRun = e.target.value; save(); } });
  const resolution = h('textarea', { id: 'resolution', rows: 3, maxlength: 2000, oninput: (e) => { draft.resolution = e.target.value; save(); } });
  resolution.value = draft.resolution;
  const sticker = h('input', { type: 'checkbox', id: 'sticker', checked: draft.sticker, onchange: (e) => { draft.sticker = e.target.checked; save(); } });
  // INS-03/09/16, ONS-09: the customer's own signed confirmations, each on its own pad, kept by the office after completion.
  draft.confirmations ||= {};
  const confirmBox = o.type === 'install' ? h('section', { class: 'card', id: 'confirmations' }, h('h3', {}, t('confirmations')),
    h('p', { class: 'muted' }, t('confirmationsHint')),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', id: 'preLaid', checked: !!draft.preLaid, onchange: (e) => { draft.preLaid = e.target.checked; save(); } }),
      h('span', {}, t('preLaidJob'), h('small', { class: 'muted' }, ' INS-16'))),
    confirmations(o, pol, draft).map((c) => {
      const entry = draft.confirmations[c.topic] || {};
      return h('details', { id: `conf-${c.topic}`, open: !!entry.signature },
        h('summary', {}, t(`confirm.${c.topic}`), h('small', { class: 'muted' }, ` ${c.rule} · ${t(c.must ? 'confirmMust' : 'confirmPreferred')}`),
          entry.signature ? h('em', { class: 'ok' }, ` ✓ ${t('confirmSigned')}`) : null),
        h('label', {}, t('signerName'), h('input', { id: `conf-${c.topic}-name`, maxlength: 50, autocomplete: 'off', value: entry.signerName || '',
          oninput: (e) => { (draft.confirmations[c.topic] ||= {}).signerName = e.target.value; save(); } })),
        h('canvas', { class: 'sig', id: `conf-${c.topic}-sig`, 'data-topic': c.topic }),
        h('button', { type: 'button', class: 'link', id: `conf-${c.topic}-clear` }, t('clear')));
    })) : null;
  const missingEl = h('p', { id: 'missing', class: 'error', role: 'alert' });
  const emptyReason = h('textarea', { id: 'emptyReason', rows: 2, maxlength: 500, placeholder: t('emptyReason') });

  const complete = async () => {
    const ev = pol?.parameters?.completion || {};
    const required = ev.evidenceRequired || [];
    const missing = [];
    if (!draft.resolution.trim()) missing.push(t('m_resolution'));
    for (const l of lists) for (const it of l.items) if (it.block && !draft.checklist[it.key]) missing.push(it.text.split(/[,;(,(]/)[0]);
    const now = await order(id);
    if (required.includes('photos') && photoList(now || o, (await queue()).filter((i) => i.orderId === id)).length === 0) missing.push(t('m_photos'));
    if (required.includes('barcodeScan') && !draft.barcode) missing.push(t('m_barcode'));
    if (minRun > 0 && !(Number(draft.testRun) >= minRun)) missing.push(`${t('m_testRun')} ≥ ${minRun}`);
    if (ev.customerSignatureRequired && !draft.signature) missing.push(t('m_signature'));
    if (ev.serviceStickerRequired && !draft.sticker) missing.push(t('m_sticker'));
    if (pol?.parameters?.fees?.invoiceRequiredForPaidService && draft.lines.some((l) => l.amount > 0) && !(draft.invoice || '').trim()) missing.push(t('m_invoice'));
    const signed = (c) => draft.confirmations?.[c.topic]?.signature && (draft.confirmations[c.topic].signerName || '').trim();
    for (const c of confirmations(o, pol, draft)) if (c.needed && !signed(c)) missing.push(t(`confirm.${c.topic}`));
    if (missing.length) { missingEl.textContent = t('missing', missing.join('、')); return; }
    // A waiver item left unticked is sent as false, so the server asks for the same confirmations the phone did.
    const waivers = Object.fromEntries(lists.flatMap((l) => l.items).filter((it) => it.waiver).map((it) => [it.key, !!draft.checklist[it.key]]));
    enqueue(id, 'complete', {
      resolution: draft.resolution.trim(), faultCategory: draft.faultCategory || null, barcode: draft.barcode || null,
      testRunMinutes: draft.testRun === '' ? null : Number(draft.testRun),
      checklist: { ...draft.checklist, ...waivers, ...(o.type === 'install' ? { preLaidPipes: !!draft.preLaid } : {}), serviceSticker: draft.sticker },
      confirmations: confirmations(o, pol, draft).filter(signed)
        .map((c) => ({ topic: c.topic, signerName: draft.confirmations[c.topic].signerName.trim(), signature: draft.confirmations[c.topic].signature })),
      partsUsed: draft.lines.filter((l) => l.kind === 'part').map((l) => ({ partNumber: l.code, name: l.name, quantity: l.qty })),
      charges: draft.lines.filter((l) => l.amount > 0).map((l) => (l.van
        ? { description: l.name, partNumber: l.code, quantity: l.qty, amount: l.amount }
        : { description: l.name, priceCode: l.code, quantity: l.qty, amount: l.amount })),
      signature: draft.signature,
      invoiceNumber: (draft.invoice || '').trim() || null,
      paymentMethod: draft.payment || 'cash',
      unitModel: (draft.unitModel || '').trim() || null,
      unitModelSource: (draft.unitModel || '').trim() ? (draft.unitModelSource || 'unit') : null,
    });
  };

  return [
    ...checklistEls,
    h('section', { class: 'card' }, h('label', {}, t('testRun'), ' ', h('small', { class: 'muted' }, t('testRunMin', minRun)), testRun)),
    h('section', { class: 'card', id: 'photos' }, ...photoBox(photos), h('label', { class: 'button' }, t('addPhoto'), fileInput)),
    h('section', { class: 'card' }, h('h3', {}, t('barcode')), h('div', { class: 'row' }, barcode, scanBtn), video),
    h('section', { class: 'card', id: 'model' }, h('h3', {}, t('unitModel')), h('small', { class: 'muted' }, t('unitModelHint', o.product?.model || '—')),
      unitModel, h('label', {}, t('unitModelSource'), unitModelSource)),
    h('section', { class: 'card', id: 'charges' }, h('h3', {}, t('parts'), ' ', h('small', { class: 'muted' }, o.inWarranty ? t('free') : '')),
      van.length ? h('div', { id: 'vanPick' }, h('label', {}, t('vanPart'), vanSelect), h('label', {}, t('qty'), vanQty), addVan) : null,
      select, h('div', { class: 'grid2' }, h('label', {}, t('qty'), qty), h('label', {}, t('amount'), amount)), add, msg, askBox, asked, lines,
      o.inWarranty ? null : h('label', {}, t('invoice'), invoice), h('label', {}, t('paymentMethod'), payment)),
    h('section', { class: 'card' }, h('label', {}, t('resolution'), resolution)),
    confirmBox,
    h('section', { class: 'card', id: 'signature' }, h('h3', {}, t('signature')),
      h('canvas', { id: 'sig', class: 'sig' }), h('button', { type: 'button', class: 'link', id: 'clearSig' }, t('clear'))),
    h('section', { class: 'card' }, h('label', { class: 'check' }, sticker, t('sticker'))),
    h('section', { class: 'card' }, missingEl, h('button', { type: 'button', class: 'primary', id: 'complete', onclick: complete }, t('complete')),
      h('details', {}, h('summary', {}, t('emptyTrip')), emptyReason,
        h('button', { type: 'button', id: 'recordEmptyTrip', onclick: () => {
          if (!emptyReason.value.trim()) { toast(`${t('emptyReason')}: ${t('required')}`, 'error'); return; }
          enqueue(id, 'empty-trip', { reason: emptyReason.value.trim() });
        } }, t('recordEmptyTrip')))),
  ];
}

/** A signature pad on a canvas at the screen's pixel density, showing what was signed before. */
function padOn(canvas, signed) {
  const ratio = Math.max(window.devicePixelRatio || 1, 1);
  canvas.width = canvas.offsetWidth * ratio;
  canvas.height = canvas.offsetHeight * ratio;
  canvas.getContext('2d').scale(ratio, ratio);
  const pad = new SignaturePad(canvas, { backgroundColor: 'rgb(255,255,255)' });
  if (signed) pad.fromDataURL(signed, { ratio });
  return pad;
}

function mountSignature(id, draft) {
  // The confirmations' pads, each sized when its section is first opened (a closed section has no width).
  for (const c of document.querySelectorAll('canvas[data-topic]')) {
    const details = c.closest('details');
    const topic = c.dataset.topic;
    const mount = () => {
      if (c.dataset.mounted) return;
      c.dataset.mounted = '1';
      const entry = (draft.confirmations ||= {})[topic] ||= {};
      const pad = padOn(c, entry.signature);
      pad.addEventListener('endStroke', () => { entry.signature = pad.toDataURL('image/png'); saveDraft(id); });
      document.getElementById(`conf-${topic}-clear`).addEventListener('click', () => { pad.clear(); entry.signature = null; saveDraft(id); });
    };
    if (details.open) mount();
    details.addEventListener('toggle', () => { if (details.open) mount(); });
  }
  const canvas = document.getElementById('sig');
  if (!canvas) return;
  const pad = padOn(canvas, draft.signature);
  pad.addEventListener('endStroke', () => { draft.signature = pad.toDataURL('image/png'); saveDraft(id); });
  document.getElementById('clearSig').addEventListener('click', () => { pad.clear(); draft.signature = null; saveDraft(id); });
}

/**
 * ONS-31: where the policy asks, a finished installation is acknowledged by the office before the crew leaves the site:
 * the phone says whether to wait or go (the acknowledgement also arrives as a notice).
 */
function acknowledgement(o, pol, mine) {
  if (o.type !== 'install' || !pol?.parameters?.completion?.companyAcknowledgementBeforeLeavingSite || mine.length) return null;
  const done = (o.timeline || []).find((e) => e.action === 'completionAcknowledged');
  if (done) return h('section', { class: 'card' }, h('p', { id: 'ackDone', role: 'status' }, h('span', { class: 'badge ok' }, t('ackDone', when(done.at)))));
  if (o.status !== 'completed') return null;
  return h('section', { class: 'card' }, h('p', { id: 'ackWaiting', role: 'status' }, h('strong', {}, t('ackWaiting'))));
}

function reportBox(o, mine) {
  if (mine.length) return h('section', { class: 'card' }, h('p', {}, t('queued')));
  const out = h('div', { id: 'reportLink' });
  return h('section', { class: 'card', id: 'report' },
    h('h3', {}, t('completedDone')),
    h('button', { type: 'button', class: 'primary', id: 'makeLink', onclick: async () => {
      try {
        const { data } = await request('GET', `/api/work-orders/${o.id}/report-link`);
        // The address the customer can open (Fieldline:Mobile:PublicBaseUrl), else this phone's own address for the server.
        const url = new URL(data.publicUrl || data.url, location.origin).href;
        out.replaceChildren(...[
          h('p', {}, h('a', { href: url, target: '_blank', rel: 'noopener', id: 'customerLink' }, url)),
          h('p', { class: 'muted' }, t('linkExpires', when(data.expiresAt))),
          navigator.share ? h('button', { type: 'button', onclick: () => navigator.share({ title: o.code, url }).catch(() => {}) }, t('share')) : null].filter(Boolean));
      } catch (e) { toast(errorText(e), 'error'); }
    } }, t('reportLink')),
    h('button', { type: 'button', id: 'openReport', onclick: async () => {
      try {
        const r = await request('GET', `/api/work-orders/${o.id}/report.pdf`, { raw: true });
        window.open(URL.createObjectURL(await r.blob()), '_blank');
      } catch (e) { toast(errorText(e), 'error'); }
    } }, t('openReport')),
    out);
}

export { flush };
