/* Offline wish drafts: a wish form submitted with no network is kept in IndexedDB under its
   client UUID and replayed on background sync, on `online` and on the next load. The server
   deduplicates on client_uuid (services/wishes.post), and replays are serialised with a Web Lock
   shared by the pages and the service worker, so each draft is sent exactly once.
   Runs in pages and, through importScripts, in the service worker (no DOM in the core). */
(function (global) {
  'use strict';
  const DB_NAME = 'wishgrid-drafts';
  const STORE = 'drafts';
  const SYNC_TAG = 'wish-drafts';
  const LOCK = 'wishgrid-drafts-replay';
  const SKIP = new Set(['csrf_token']);  // a fresh token is fetched when the draft is sent

  function openDb() {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'uuid' });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  async function withStore(mode, fn) {
    const db = await openDb();
    try {
      return await new Promise((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const req = fn(tx.objectStore(STORE));
        tx.oncomplete = () => resolve(req ? req.result : undefined);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      });
    } finally {
      db.close();
    }
  }

  const save = (draft) => withStore('readwrite', (s) => s.put(draft));
  const remove = (uuid) => withStore('readwrite', (s) => s.delete(uuid));
  const all = () => withStore('readonly', (s) => s.getAll());

  function uuid4() {
    if (global.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function fromFormData(action, formData) {
    const fields = [];
    for (const [k, v] of formData.entries()) {
      if (!SKIP.has(k) && typeof v === 'string') fields.push([k, v]);
    }
    const uuid = formData.get('client_uuid') || uuid4();
    return { uuid, action, fields, state: 'queued', savedAt: Date.now() };
  }

  async function freshToken() {
    const r = await fetch('/pwa/csrf', { credentials: 'same-origin', cache: 'no-store' });
    if (!r.ok) throw new Error('csrf ' + r.status);
    return (await r.json()).token;
  }

  // One POST exactly as the form would send it (no HX-Request: the server answers with a
  // redirect to the new wish, or the form again with errors).
  async function send(draft, token) {
    const body = new URLSearchParams(draft.fields.filter(([k]) => k !== 'client_uuid'));
    body.set('client_uuid', draft.uuid);
    body.set('csrf_token', token);
    return fetch(draft.action, {
      method: 'POST', body, credentials: 'same-origin', cache: 'no-store',
      headers: { 'X-CSRFToken': token, 'X-Wishgrid-Replay': typeof document === 'undefined' ? 'worker' : 'page' },
    });
  }

  function isLogin(url) {
    return /\/(auth\/)?login\b/.test(new URL(url).pathname);
  }

  async function replayLocked() {
    const queued = (await all()).filter((d) => d.state === 'queued');
    const result = { sent: 0, rejected: 0, held: 0, left: queued.length };
    if (!queued.length) return result;
    const token = await freshToken();  // throws while offline: drafts stay queued
    for (const draft of queued) {
      let resp;
      try {
        resp = await send(draft, token);
      } catch (err) {
        break;  // the network dropped again: the rest waits for the next trigger
      }
      if (resp.ok && resp.redirected && !isLogin(resp.url)) {
        await remove(draft.uuid);  // the server made (or already had) the wish
        result.sent += 1;
        result.url = resp.url;
      } else if (resp.status === 409) {
        result.held += 1;  // written under another account: kept until its author is back
        continue;
      } else if (resp.ok && !resp.redirected) {
        draft.state = 'rejected';  // the form came back with errors: the user fixes it
        await save(draft);
        result.rejected += 1;
      } else {
        break;  // logged out, rate-limited, server busy: try again later
      }
      result.left -= 1;
    }
    return result;
  }

  function replay() {
    if (global.navigator && navigator.locks) {
      return navigator.locks.request(LOCK, replayLocked);
    }
    return replayLocked();
  }

  global.WishgridDrafts = { SYNC_TAG, save, remove, all, replay, fromFormData, uuid4 };

  if (typeof document === 'undefined') return;  // the service worker stops here

  // ---- pages ----
  // Localised texts come from the page (partials/_pwa_body.html), never from this file.
  const strings = () => (document.getElementById('pwa-strings') || document.body).dataset;

  function say(text) {
    let box = document.getElementById('net-status');
    if (!box) {
      box = document.createElement('div');
      box.id = 'net-status';
      box.className = 'net-status';
      box.setAttribute('role', 'status');
      box.setAttribute('aria-live', 'polite');
      document.body.appendChild(box);
    }
    box.textContent = text;
  }

  function ensureUuid(form) {
    let input = form.querySelector('input[name="client_uuid"]');
    if (!input) {
      input = document.createElement('input');
      input.type = 'hidden';
      input.name = 'client_uuid';
      form.appendChild(input);
    }
    if (!input.value) input.value = uuid4();
    return input;
  }

  async function askSync() {
    if (!('serviceWorker' in navigator)) return;
    try {
      const reg = await navigator.serviceWorker.ready;
      if (reg.sync) await reg.sync.register(SYNC_TAG);
    } catch (e) { /* no background sync: `online` and the next load still replay */ }
  }

  async function keepOffline(form) {
    const draft = fromFormData(new URL(form.action, location.href).href, new FormData(form));
    await save(draft);
    form.reset();
    ensureUuid(form).value = uuid4();  // the next wish is a different wish
    const status = form.querySelector('[data-draft-status]');
    const text = strings().msgDraftSaved || '网络恢复后自动发送';
    if (status) { status.textContent = text; status.hidden = false; }
    say(text);
    document.dispatchEvent(new CustomEvent('wishgrid:draft-saved', { detail: { uuid: draft.uuid } }));
    askSync();
  }

  // Capture phase on the document: runs before htmx's own submit handler on the form.
  document.addEventListener('submit', (ev) => {
    const form = ev.target;
    if (!(form instanceof HTMLFormElement) || !form.matches('form[data-offline-draft]')) return;
    ensureUuid(form);
    if (navigator.onLine) return;  // online: the normal post (the worker keeps it if it fails)
    ev.preventDefault();
    ev.stopImmediatePropagation();
    keepOffline(form).catch(() => say(strings().msgDraftFailed || ''));
  }, true);

  async function report(result) {
    if (!result) return;
    const s = strings();
    if (result.sent) say((s.msgDraftsSent || '').replace('{n}', result.sent));
    if (result.rejected) await refill();
    document.dispatchEvent(new CustomEvent('wishgrid:drafts-replayed', { detail: result }));
  }

  // A draft the server refused (e.g. the category was removed) goes back into the form.
  async function refill() {
    const form = document.querySelector('form[data-offline-draft]');
    if (!form) return;
    // Only the signed-in author's own drafts: the phone may have changed hands.
    const owner = (form.elements.namedItem('draft_owner') || {}).value || '';
    const ownerOf = (d) => (d.fields.find(([k]) => k === 'draft_owner') || [])[1] || '';
    const rejected = (await all()).filter((d) => d.state === 'rejected' && ownerOf(d) === owner);
    if (!rejected.length) return;
    const draft = rejected[0];
    for (const [k, v] of draft.fields) {
      const field = form.elements.namedItem(k);
      if (field && field.type !== 'hidden' && 'value' in field) field.value = v;
    }
    ensureUuid(form).value = draft.uuid;
    await remove(draft.uuid);
    say(strings().msgDraftRefill || '');
  }

  let current = Promise.resolve();
  function replayNow() {
    if (!navigator.onLine) return current;
    current = current.then(() => replay()).then(report).catch(() => {});
    return current;
  }
  // Resolves when the page's last replay finished (tests and the offline page wait on it).
  global.WishgridDrafts.settled = () => current;

  function start() {
    document.querySelectorAll('form[data-offline-draft]').forEach(ensureUuid);
    refill().catch(() => {});
    replayNow();
  }

  window.addEventListener('online', replayNow);
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.addEventListener('message', (ev) => {
      if (ev.data && ev.data.type === 'drafts-replayed') report(ev.data);
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})(self);
