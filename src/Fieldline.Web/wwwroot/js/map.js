// The console's maps, drawn with Leaflet (wwwroot/lib/leaflet): the board's and the plan's (Pages/Dispatch/_Map.cshtml)
// and the intake's pin drop (Pages/WorkOrders/_PinDrop.cshtml).
// A dispatch map draws exactly the table under it: one marker per row that has a place, a line through each
// technician's numbered stops in order; a click (or Enter) on an order's marker opens the order. Points arrive in the
// tiles' datum, so this script never converts coordinates; and it has no words of its own: every text comes from the
// page's data-* attributes, in the reader's language. Customer names only ever go into the page as text, never as HTML.
(() => {
  'use strict';
  if (!window.L) return;
  const maps = new Map(); // container element → { map, layer, fitted }

  // Leaflet writes attributions as HTML: the configured credit line is shown as plain text.
  const plain = s => s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);

  const create = el => {
    const [lat, lng] = (el.dataset.center || '35,105').split(',').map(Number);
    const map = L.map(el, { center: [lat, lng], zoom: Number(el.dataset.zoom || 12), zoomControl: false, attributionControl: false });
    L.control.zoom({ zoomInTitle: el.dataset.zoomIn, zoomOutTitle: el.dataset.zoomOut }).addTo(map);
    if (el.dataset.tileUrl) {
      // Without a tile URL the markers and routes draw on a plain background and nothing is fetched.
      L.control.attribution({ prefix: false }).addTo(map);
      const subdomains = JSON.parse(el.dataset.tileSubdomains || '[]');
      L.tileLayer(el.dataset.tileUrl, {
        maxZoom: Number(el.dataset.tileMaxZoom || 18), subdomains: subdomains.length ? subdomains : ['a'], attribution: plain(el.dataset.tileAttribution || ''),
      }).addTo(map);
    }
    return map;
  };

  const icon = (className, text) => {
    const span = document.createElement('span');
    if (text) span.textContent = text;
    return L.divIcon({ className: `fl-marker ${className}`, html: span, iconSize: null });
  };

  const tip = text => { const span = document.createElement('span'); span.textContent = text; return span; };

  const marker = (at, className, text, label, href) => {
    const m = L.marker(at, { icon: icon(className, text), title: label, keyboard: true, riseOnHover: true });
    m.bindTooltip(tip(label), { direction: 'top', offset: [0, -10] });
    if (href) {
      m.on('click', () => { location.href = href; });
      m.on('add', () => m.getElement().addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); location.href = href; } }));
    }
    return m;
  };

  const draw = (el, entry) => {
    const table = document.getElementById(el.dataset.map);
    if (!table) return;
    entry.layer.clearLayers();
    const routes = new Map();
    const points = [];
    for (const row of table.querySelectorAll('tbody tr[data-lat][data-lng]')) {
      const d = row.dataset;
      const at = [Number(d.lat), Number(d.lng)];
      points.push(at);
      if (d.kind === 'tech') {
        entry.layer.addLayer(marker(at, `tech mc${d.colour}${d.stale ? ' stale' : ''}`, '', d.label, null));
      } else if (d.kind === 'stop') {
        entry.layer.addLayer(marker(at, `stop mc${d.colour}${d.seq ? '' : ' later'}`, d.seq || '', d.label, d.href));
        if (d.seq) {
          if (!routes.has(d.tech)) routes.set(d.tech, { colour: d.colour, at: [] });
          routes.get(d.tech).at.push(at);
        }
      } else {
        entry.layer.addLayer(marker(at, 'open', '', d.label, d.href));
      }
    }
    for (const r of routes.values()) {
      if (r.at.length > 1) L.polyline(r.at, { className: `fl-route mc${r.colour}`, weight: 3, opacity: 0.8, interactive: false }).addTo(entry.layer);
    }
    // Fit the data once; after that a redraw (the live board) keeps whatever the dispatcher zoomed to.
    if (!entry.fitted && points.length > 0) {
      entry.map.fitBounds(L.latLngBounds(points), { padding: [24, 24], maxZoom: 14 });
      entry.fitted = true;
    }
  };

  // ---- the intake's pin drop ----
  const pinDrop = el => {
    const map = create(el);
    const box = el.closest('.pin-drop');
    const [latField, lngField] = [box.querySelector('#pin-lat'), box.querySelector('#pin-lng')];
    const status = box.querySelector('#pin-status');
    const locked = el.dataset.locked === 'true';
    let pin = null;
    const write = ll => {
      latField.value = ll.lat.toFixed(6);
      lngField.value = ll.lng.toFixed(6);
      status.textContent = status.dataset.placed.replace('{0}', `${latField.value}, ${lngField.value}`);
    };
    const place = (ll, zoom) => {
      if (!pin) {
        pin = L.marker(ll, { icon: icon('pin', ''), draggable: !locked, keyboard: false, title: el.dataset.pinTitle }).addTo(map);
        pin.on('dragend', () => write(pin.getLatLng()));
      } else pin.setLatLng(ll);
      if (zoom) map.setView(ll, Math.max(map.getZoom(), 16));
    };
    if (latField.value && lngField.value) place(L.latLng(Number(latField.value), Number(lngField.value)), false);
    if (!locked) {
      map.on('click', e => { place(e.latlng, false); write(e.latlng); });
      box.querySelector('[data-pin-centre]')?.addEventListener('click', () => { const c = map.getCenter(); place(c, false); write(c); });
      const find = box.querySelector('[data-pin-find]');
      find?.addEventListener('click', async () => {
        const address = find.dataset.address || document.querySelector(find.dataset.addressField)?.value || '';
        const answer = await fetch(`${find.dataset.pinFind}&address=${encodeURIComponent(address)}`, { headers: { Accept: 'application/json' } })
          .then(r => r.ok ? r.json() : { found: false, message: '' }).catch(() => ({ found: false, message: '' }));
        if (answer.found) { const ll = L.latLng(answer.lat, answer.lng); place(ll, true); write(ll); }
        if (answer.message) status.textContent = answer.message;
      });
    }
    return map;
  };

  const init = () => {
    for (const [el, entry] of maps) if (!el.isConnected) { entry.map.remove(); maps.delete(el); }
    for (const el of document.querySelectorAll('[data-map]')) {
      let entry = maps.get(el);
      if (!entry) {
        const map = create(el);
        entry = { map, layer: L.layerGroup().addTo(map), fitted: false };
        maps.set(el, entry);
      } else entry.map.invalidateSize();
      draw(el, entry);
    }
    for (const el of document.querySelectorAll('[data-pin-map]')) if (!maps.has(el)) maps.set(el, { map: pinDrop(el) });
  };
  init();
  // The board redraws its panel on every change (its map is kept, hx-preserve); the caller panel arrives as the clerk types.
  document.body.addEventListener('htmx:afterSettle', init);
})();
