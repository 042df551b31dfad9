// Service trips (出差, 第15篇): the office sends the technician; on arrival they first report the site's progress and
// what holds it up (PRJ-21), keep a daily log with improvement suggestions (PRJ-27), and hand in the trip report on
// return; the supervisor then sets the rest (ATT-20) and rewards adopted suggestions (RWD-08), shown here.
// Needs the network, like leave: every step is the office's record, and a retry carries the same Idempotency-Key.
import { h, toast, uuid } from './ui.js';
import { t } from './i18n.js';
import { get, request, HttpError } from './api.js';

const time = (s) => (s ? s.replace('T', ' ').slice(0, 16) : '');

export async function renderTrip(root) {
  let page = null;
  try { page = await get('/api/trips?mine=true&pageSize=10'); } catch { /* offline: said below */ }
  if (!page) { root.replaceChildren(h('h2', {}, t('tripTitle')), h('p', { class: 'muted', id: 'tripOffline' }, t('tripNeedsNetwork'))); return; }
  const open = page.items.find((x) => x.status === 'underway' || x.status === 'onSite');
  const past = page.items.filter((x) => x !== open);
  root.replaceChildren(...[h('h2', {}, t('tripTitle')),
    open ? current(open, () => renderTrip(root)) : h('p', { class: 'muted', id: 'noTrip' }, t('tripNone')),
    past.length ? h('section', { class: 'card' }, h('h3', {}, t('tripPast')), h('ul', { class: 'generic', id: 'tripHistory' }, past.map(history))) : null].filter(Boolean));
}

function current(trip, again) {
  const rules = trip.rules || {};
  const head = [h('div', { class: 'row' }, h('strong', {}, trip.destination), h('span', { class: 'badge wait', id: 'tripStatus' }, trip.statusName)),
    h('p', {}, trip.purpose), trip.workOrderCode ? h('p', { class: 'muted' }, h('a', { href: `#/order/${trip.workOrderId}` }, trip.workOrderCode)) : null,
    h('p', { class: 'muted' }, t('tripSentBy', trip.sentByName, time(trip.sentAt)))];
  const err = h('p', { class: 'error', role: 'alert', id: 'tripError' });
  const send = async (path, body, done) => {
    err.textContent = '';
    try {
      await request('POST', `/api/trips/${trip.id}/${path}`, { headers: { 'Idempotency-Key': uuid() }, body });
      toast(done);
      await again();
    } catch (x) {
      err.textContent = x instanceof HttpError ? Object.values(x.problem?.errors || {}).flat().join(' ') || x.problem?.detail || String(x.status) : t('tripNeedsNetwork');
    }
  };
  if (trip.status === 'underway') {
    const progress = h('textarea', { id: 'tripProgress', rows: 3, maxlength: 1000, placeholder: t('tripProgress') });
    const conditions = h('textarea', { id: 'tripConditions', rows: 3, maxlength: 1000, placeholder: t('tripConditions') });
    return h('section', { class: 'card', id: 'tripCurrent' }, ...head.filter(Boolean),
      h('h3', {}, t('tripArrival')), h('p', { class: 'muted' }, t('tripArrivalRule')),
      h('label', {}, t('tripProgress'), progress), h('label', {}, t('tripConditions'), conditions), err,
      h('button', { type: 'button', class: 'primary', id: 'tripArrive', onclick: () => {
        if (rules.arrivalReportRequired && !progress.value.trim()) { err.textContent = `${t('tripProgress')}: ${t('required')}`; return; }
        send('arrival', { progress: progress.value.trim(), conditions: conditions.value.trim() }, t('tripArrivalSent'));
      } }, t('tripArriveButton')));
  }
  const loggedToday = trip.logs.some((l) => l.day === trip.today); // the branch's day, not the phone's calendar
  const work = h('textarea', { id: 'tripWork', rows: 3, maxlength: 1000, placeholder: t('tripWork') });
  const suggestion = h('textarea', { id: 'tripSuggestion', rows: 2, maxlength: 1000, placeholder: t('tripSuggestion') });
  const report = h('textarea', { id: 'tripReport', rows: 3, maxlength: 2000, placeholder: t('tripReport') });
  return h('section', { class: 'card', id: 'tripCurrent' }, ...head.filter(Boolean),
    h('p', { class: 'muted' }, t('tripArrivedAt', time(trip.arrivedAt)), ' · ', trip.arrivalProgress || ''),
    h('h3', {}, t('tripLog')),
    h('ul', { class: 'generic', id: 'tripLogs' }, trip.logs.length ? trip.logs.map((l) => h('li', { 'data-day': l.day }, h('b', {}, l.day), ' ', l.work,
      l.suggestion ? h('small', { class: 'muted' }, h('br'), `${t('tripSuggestion')}:${l.suggestion}`) : null)) : [h('li', { class: 'muted' }, t('noData'))]),
    trip.missingLogDays?.length ? h('p', { class: 'error', id: 'tripMissing' }, t('tripMissing', trip.missingLogDays.join('、'))) : null,
    loggedToday ? h('p', { class: 'muted', id: 'tripLoggedToday' }, t('tripLoggedToday')) : h('div', { id: 'tripLogForm' },
      h('label', {}, t('tripWork'), work), h('label', {}, t('tripSuggestion'), suggestion),
      h('button', { type: 'button', class: 'primary', id: 'tripLogSubmit', onclick: () => {
        if (!work.value.trim()) { err.textContent = `${t('tripWork')}: ${t('required')}`; return; }
        send('log', { work: work.value.trim(), suggestion: suggestion.value.trim() }, t('tripLogSent'));
      } }, t('tripLogButton'))),
    h('details', { id: 'tripReturnForm' }, h('summary', {}, t('tripReturn')),
      h('p', { class: 'muted' }, t('tripReturnRule')), h('label', {}, t('tripReport'), report),
      h('button', { type: 'button', class: 'danger', id: 'tripReturnSubmit', onclick: () => {
        if (rules.tripReportRequired && !report.value.trim()) { err.textContent = `${t('tripReport')}: ${t('required')}`; return; }
        send('return', { report: report.value.trim() }, t('tripReturnSent'));
      } }, t('tripReturnButton'))),
    err);
}

function history(trip) {
  const adopted = trip.logs.filter((l) => l.adopted);
  return h('li', { 'data-trip': trip.id }, h('b', {}, trip.destination), ' · ', h('span', { class: 'badge' }, trip.statusName), h('br'),
    h('small', {}, time(trip.sentAt), trip.returnedAt ? ` – ${time(trip.returnedAt)}` : ''),
    trip.status === 'reviewed' ? h('p', { class: 'muted', id: `tripRest-${trip.id}` },
      trip.restDays > 0 ? t('tripRest', trip.restFrom, trip.restTo) : t('tripNoRest')) : null,
    ...adopted.map((l) => h('p', { class: 'ok' }, t('tripAdopted', l.suggestion, (l.reward ?? 0).toFixed(2)))));
}
