/* Wishgrid service worker (served at /sw.js by webapp/pwa, which prepends self.WISHGRID:
   version, precache list, offline pages per language, the htmx offline notice, imports).

   Rules: the shell (CSS, vendored JS, icons, offline pages) is precached under a versioned name;
   pages are never cached (they carry personal data and CSRF tokens): navigations go to the
   network and fall back to the offline page; htmx requests are network-only and fall back to an
   inline notice; a wish form posted without network is kept as an offline draft. */
'use strict';

const CFG = self.WISHGRID;
const SHELL = 'wishgrid-shell-' + CFG.version;
const PREFS = 'wishgrid-prefs';          // holds only the chosen language
const LANG_KEY = '/__wishgrid/lang';

if (CFG.imports.length) importScripts(...CFG.imports);  // offline drafts, push handlers

self.addEventListener('install', (event) => {
  // 'no-cache': revalidate with the server, so files the page just loaded come back as 304s
  // instead of being downloaded twice on a first visit, yet never stale. 'omit': the shell is
  // fetched without cookies, so it is anonymous by construction, and a response that started
  // before the user signed in cannot overwrite the new session cookie.
  const shellRequest = (u) => new Request(u, { cache: 'no-cache', credentials: 'omit' });
  event.waitUntil(caches.open(SHELL)
    .then((cache) => cache.addAll(CFG.precache.map(shellRequest)))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys
      .filter((k) => k.startsWith('wishgrid-shell-') && k !== SHELL)
      .map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('message', (event) => {
  const data = event.data || {};
  if (data.type === 'lang' && CFG.offline[data.lang]) {
    event.waitUntil(caches.open(PREFS).then((c) => c.put(LANG_KEY, new Response(data.lang))));
  } else if (data.type === 'replay' && self.WishgridDrafts) {
    event.waitUntil(replayDrafts());
  }
});

async function currentLang() {
  const cache = await caches.open(PREFS);
  const hit = await cache.match(LANG_KEY);
  const lang = hit ? await hit.text() : CFG.defaultLang;
  return CFG.offline[lang] ? lang : CFG.defaultLang;
}

async function offlinePage() {
  const lang = await currentLang();
  const cache = await caches.open(SHELL);
  const page = await cache.match(CFG.offline[lang]) || await cache.match(CFG.offline[CFG.defaultLang]);
  return page || new Response('Offline', { status: 503, headers: { 'Content-Type': 'text/plain' } });
}

function escapeHtml(s) {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
}

async function offlineFragment(draftSaved) {
  const lang = await currentLang();
  const text = (draftSaved ? CFG.draftSavedMessage : CFG.offlineMessage)[lang];
  // Out-of-band into the page's status region; HX-Reswap: none leaves the target untouched.
  const html = '<div id="net-status" class="net-status" role="status" aria-live="polite" ' +
    'data-hx-swap-oob="true">' + escapeHtml(text) + '</div>';
  return new Response(html, {
    status: 200,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'HX-Reswap': 'none',
               'Cache-Control': 'no-store' },
  });
}

// A form with a client_uuid field (the post-a-wish form) that fails to reach the server is
// queued as an offline draft instead of being lost; returns the saved draft or null.
async function keepDraft(copy) {
  if (!self.WishgridDrafts || copy.method !== 'POST') return null;
  let form;
  try { form = await copy.formData(); } catch (e) { return null; }
  const uuid = form.get('client_uuid');
  if (!uuid) return null;
  const draft = self.WishgridDrafts.fromFormData(copy.url, form);
  await self.WishgridDrafts.save(draft);
  if (self.registration.sync) {
    try { await self.registration.sync.register(self.WishgridDrafts.SYNC_TAG); } catch (e) { /* retried on load */ }
  }
  return draft;
}

async function networkOnly(event, fallback) {
  const copy = event.request.method === 'POST' ? event.request.clone() : null;
  try {
    return await fetch(event.request);
  } catch (err) {
    const draft = copy ? await keepDraft(copy) : null;
    return fallback(draft);
  }
}

async function shellFirst(request) {
  const cache = await caches.open(SHELL);
  const hit = await cache.match(request, { ignoreSearch: true });
  return hit || fetch(request);
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.headers.get('HX-Request')) {
    event.respondWith(networkOnly(event, (draft) => offlineFragment(Boolean(draft))));
    return;
  }
  if (req.mode === 'navigate') {
    event.respondWith(networkOnly(event, () => offlinePage()));
    return;
  }
  if (req.method !== 'GET') return;
  if (url.pathname.startsWith(CFG.staticPrefix)) {
    event.respondWith(shellFirst(req));
    return;
  }
  if (CFG.precache.includes(url.pathname + url.search) || CFG.precache.includes(url.pathname)) {
    // The manifest and offline pages: fresh when online, precached copy when not.
    event.respondWith(fetch(req).catch(() => caches.open(SHELL).then((c) => c.match(req))
      .then((hit) => hit || offlinePage())));
  }
  // Everything else (JSON, pages' sub-requests) goes to the network untouched.
});

async function replayDrafts() {
  const result = await self.WishgridDrafts.replay();
  if (result.sent || result.rejected) {
    const windows = await self.clients.matchAll({ type: 'window' });
    windows.forEach((w) => w.postMessage({ type: 'drafts-replayed', ...result }));
  }
  return result;
}

self.addEventListener('sync', (event) => {
  if (self.WishgridDrafts && event.tag === self.WishgridDrafts.SYNC_TAG) {
    event.waitUntil(replayDrafts());
  }
});
