// The back-office console's only script: the CSRF header for htmx requests, live countdowns in the server's time (the
// sandbox clock may differ from the browser's), the live feed (server-sent events) that redraws boards and shows
// notifications, and a few keyboard shortcuts. Pages work without it; it makes them live.
(() => {
  'use strict';
  const token = document.querySelector('meta[name="csrf-token"]')?.content;
  document.body.addEventListener('htmx:configRequest', e => { if (token) e.detail.headers['RequestVerificationToken'] = token; });

  // ---- the menu button of a narrow screen opens and closes the header's menu ----
  document.getElementById('menu-toggle')?.addEventListener('click', e => {
    const open = document.querySelector('header.top').classList.toggle('open');
    e.currentTarget.setAttribute('aria-expanded', String(open));
  });

  // ---- countdowns: [data-due] (ISO time) with optional [data-warn]; a [data-server-now] element sets the clock ----
  let offset = 0;
  // Read from the document, not the swap's target: an outerHTML swap hands over the old, detached element.
  const sync = () => {
    const el = document.querySelector('[data-server-now]');
    if (el) offset = Date.parse(el.dataset.serverNow) - Date.now();
  };
  const two = n => String(n).padStart(2, '0');
  // Days in the page's language: "3天 4:05:00" in Chinese (the console's default), "3d 4:05:00" in English.
  const dayUnit = document.documentElement.lang.startsWith('zh') ? '天' : 'd';
  const format = ms => {
    const late = ms < 0; ms = Math.abs(ms);
    const d = Math.floor(ms / 86400000), h = Math.floor(ms % 86400000 / 3600000), m = Math.floor(ms % 3600000 / 60000), s = Math.floor(ms % 60000 / 1000);
    const text = d > 0 ? `${d}${dayUnit} ${h}:${two(m)}:${two(s)}` : h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
    return late ? `-${text}` : text;
  };
  const tick = () => {
    const now = Date.now() + offset;
    for (const el of document.querySelectorAll('[data-due]')) {
      const due = Date.parse(el.dataset.due), warn = el.dataset.warn ? Date.parse(el.dataset.warn) : NaN;
      const left = due - now;
      const out = el.querySelector('.left');
      if (out) out.textContent = format(left);
      el.classList.toggle('red', left <= 0);
      el.classList.toggle('amber', left > 0 && now >= warn);
    }
  };
  sync();
  tick();
  setInterval(tick, 1000);
  document.body.addEventListener('htmx:afterSettle', () => { sync(); tick(); });

  // A live redraw never pulls a select or a half-typed reason from under the dispatcher: it waits until they leave it.
  let deferred = null;
  document.body.addEventListener('htmx:beforeRequest', e => {
    const elt = e.detail.elt;
    const busy = elt.matches('[data-redraw]') && document.activeElement && /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName) && elt.contains(document.activeElement)
      && e.detail.requestConfig?.verb === 'get';
    if (busy) {
      e.preventDefault();
      if (!deferred) {
        deferred = elt;
        document.activeElement.addEventListener('blur', () => { deferred = null; setTimeout(() => htmx.trigger(document.body, 'fl:changed'), 50); }, { once: true });
      }
    }
  });

  // ---- live feed ----
  const toasts = document.getElementById('toasts');
  const toast = (title, body, href, kind) => {
    if (!toasts) return;
    const box = document.createElement(href ? 'a' : 'div');
    box.className = `toast ${kind || ''}`;
    if (href) box.href = href;
    const t = document.createElement('strong'); t.textContent = title; box.append(t);
    if (body) { const b = document.createElement('span'); b.textContent = body; box.append(b); }
    toasts.prepend(box);
    // A tick that breaches twenty orders must not bury the screen: the newest four stay, the bell keeps the rest.
    while (toasts.children.length > 4) toasts.lastElementChild.remove();
    setTimeout(() => box.remove(), 12000);
  };
  const live = document.body.dataset.live;
  if (live && 'EventSource' in window) {
    const source = new EventSource(live);
    const changed = e => {
      let id = null;
      try { id = JSON.parse(e.data).workOrderId; } catch { /* keep-alive */ }
      const board = document.getElementById('board');
      if (board && id) boardChange(board, id);
      else htmx.trigger(document.body, 'fl:changed', { workOrderId: id });
    };
    // The board fetches only the changed order's rows (a few KB): they leave wherever they were and each comes back where
    // its template's data-place says (see _BoardChange). A row the dispatcher is typing or choosing in is left alone
    // until they leave it.
    const boardChange = async (board, id) => {
      const rows = [`order-${id}`, `tech-order-${id}`, `unaccepted-${id}`].map(r => document.getElementById(r)).filter(Boolean);
      const busy = rows.find(r => r.contains(document.activeElement) && /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName));
      if (busy) {
        document.activeElement.addEventListener('blur', () => setTimeout(() => boardChange(board, id), 50), { once: true });
        return;
      }
      const from = document.getElementById(`tech-order-${id}`)?.closest('.tech')?.id.replace('tech-', '') ?? '';
      const response = await fetch(`${board.dataset.change}&orderId=${id}&from=${from}`, { credentials: 'same-origin', headers: { 'HX-Request': 'true' } });
      if (!response.ok) return;
      const change = new DOMParser().parseFromString(await response.text(), 'text/html');
      for (const r of [`order-${id}`, `tech-order-${id}`, `unaccepted-${id}`]) document.getElementById(r)?.remove();
      for (const t of change.querySelectorAll('template[data-place]')) {
        const [where, selector] = t.dataset.place.split(':');
        const target = document.querySelector(selector);
        if (!target) continue;
        const content = document.importNode(t.content, true);
        const added = [...content.children];
        if (where === 'beforebegin') target.before(content);
        else if (where === 'beforeend') target.append(content);
        else target.replaceWith(content);
        added.forEach(el => htmx.process(el));
      }
      // The fragment carries the server's time too (the sandbox clock may have jumped): countdowns follow it.
      sync();
      tick();
    };
    source.addEventListener('workOrderChanged', changed);
    source.addEventListener('clockChanged', changed);
    const personal = ['slaBreach', 'slaWarning', 'slaTargetMissed', 'angryCustomer', 'urgentOrder', 'transferRequested', 'partTimeRequested', 'partTimeDeclined', 'completionToAcknowledge', 'priceApprovalRequested', 'tripArrived', 'tripReturned', 'tripOrdersToReassign', 'emergency',
      'dismissalReview', 'eligibilityRevoked', 'dispatchOrder', 'complaint', 'complaintEscalated'];
    for (const kind of personal) {
      source.addEventListener(kind, e => {
        const n = JSON.parse(e.data);
        toast(n.title, n.body, n.workOrderId ? `/orders/${n.workOrderId}` : '/notifications', kind);
        htmx.trigger(document.body, 'fl:notified');
      });
    }
  }

  // ---- a filter select marked [data-submit-on-change] applies at once (the page's CSP forbids inline handlers) ----
  document.addEventListener('change', e => {
    const select = e.target.closest?.('select[data-submit-on-change]');
    if (select?.form) select.form.requestSubmit();
  });

  // ---- keyboard: "/" jumps to the page's search or phone field; Ctrl+Enter submits the form being typed in ----
  document.addEventListener('keydown', e => {
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement?.tagName || '');
    if (e.key === '/' && !typing) {
      const target = document.querySelector('[data-hotkey="/"]');
      if (target) { e.preventDefault(); target.focus(); target.select?.(); }
    }
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && typing) {
      const form = document.activeElement.form;
      if (form) { e.preventDefault(); form.requestSubmit(); }
    }
  });
})();
