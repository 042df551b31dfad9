// DOM helpers. Text is always set with textContent, never as HTML: whatever a customer or clerk typed is shown as text.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k in el && k !== 'list' && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export const $ = (sel, root = document) => root.querySelector(sel);

/** "11-26 14:00" in the phone's own zone (the technician is where the customer is). */
export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  const p = (n) => String(n).padStart(2, '0');
  return `${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/**
 * "12-04 10:05" as the server wrote it: a time the API gives in the branch's zone (with that zone's offset) is shown
 * in the branch's zone, whatever zone the phone is set to.
 */
export function wallClock(iso) {
  const m = /^\d{4}-(\d\d)-(\d\d)T(\d\d):(\d\d)/.exec(iso || '');
  return m ? `${m[1]}-${m[2]} ${m[3]}:${m[4]}` : when(iso);
}

export function windowText(w) {
  if (!w || !w.start) return '—';
  const end = w.end ? when(w.end).slice(6) : '';
  return `${when(w.start)}–${end}`;
}

/** The phone's time as ISO-8601 with its offset, e.g. 2026-11-26T09:05:00.000+08:00 (X-Device-Time). */
export function deviceNow(d = new Date()) {
  const p = (n, l = 2) => String(n).padStart(l, '0');
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`
    + `${sign}${p(Math.floor(Math.abs(off) / 60))}:${p(Math.abs(off) % 60)}`;
}

/** For datetime-local inputs: "2026-11-26T14:00" in the phone's zone. */
export function localInput(iso) {
  if (!iso) return '';
  return deviceNow(new Date(iso)).slice(0, 16);
}

/** A datetime-local value back to ISO with offset. */
export function fromLocalInput(v) { return v ? deviceNow(new Date(v)).replace(/\.\d{3}/, '') : null; }

/** A random UUID; crypto.randomUUID only exists on https, and phones on a LAN may use http. */
export function uuid() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
  const x = [...b].map((v) => v.toString(16).padStart(2, '0')).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** The field the technician is typing into (a text box, a number, a list being picked from), if any. */
export function typingInto() {
  const active = document.activeElement;
  return active && ['INPUT', 'TEXTAREA', 'SELECT'].includes(active.tagName) && !['file', 'checkbox', 'radio'].includes(active.type) ? active : null;
}

export function toast(text, kind = 'info') {
  const el = h('div', { class: `toast ${kind}`, role: 'status' }, text);
  document.body.append(el);
  setTimeout(() => el.remove(), 4000);
}
