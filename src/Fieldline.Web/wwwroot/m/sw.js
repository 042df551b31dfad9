// Caches the app shell so /m opens in a basement. API calls are never cached here: the app keeps its own data and
// outbox in IndexedDB, and an API answer from a cache could hide a transfer made by the dispatcher.
const CACHE = 'fieldline-m-v35';
const SHELL = [
  './', 'index.html', 'app.css', 'manifest.json', 'icon.svg',
  'js/app.js', 'js/api.js', 'js/db.js', 'js/outbox.js', 'js/i18n.js', 'js/ui.js', 'js/order.js', 'js/checklists.js',
  'js/photo.js', 'js/month.js', 'js/scan.js', 'js/lead.js', 'js/leave.js', 'js/trip.js', 'js/parts.js', 'js/kit.js', 'js/tools.js', 'js/problems.js', 'js/pool.js', 'js/inbox.js', 'js/live.js', 'vendor/signature_pad.min.js', 'i18n/zh-CN.json', 'i18n/en.json',
];

self.addEventListener('install', (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (e) => {
  e.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

// Network first (a deploy is picked up at once), the cached shell when there is no network. The scope "/m" is a prefix,
// so the console's /manage pages are in it too: only the app's own URLs are answered here, the rest go to the network.
self.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname === '/m') { e.respondWith(Response.redirect('/m/' + url.search + url.hash, 302)); return; }
  if (!url.pathname.startsWith('/m/')) return;
  e.respondWith(fetch(e.request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(CACHE).then((c) => c.put(e.request, copy));
    }
    return response;
  }).catch(() => caches.match(e.request, { ignoreSearch: true })
    .then((hit) => hit || (e.request.mode === 'navigate' ? caches.match('index.html') : Response.error()))));
});
