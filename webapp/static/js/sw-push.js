/* Push handlers for the service worker (/sw.js imports this file with importScripts).
   The payload is JSON from webapp/services/notify/push.py: {id, title, body, url, tag, urgent, ack}.
   One tag per wish, so a newer message about the same wish replaces the older one. */
'use strict';

self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (e) {
    data = { body: event.data ? event.data.text() : '' };
  }
  const title = data.title || '网格微心愿';
  const options = {
    body: data.body || '',
    tag: data.tag || (data.id ? 'n-' + data.id : 'wishgrid'),
    renotify: true,                       // a replaced message about the same wish still alerts
    requireInteraction: !!data.urgent,
    icon: '/static/icons/icon-192.png',
    badge: '/static/icons/icon-192.png',
    data: { url: data.url || '/inbox', id: data.id || null },
  };
  // Acknowledge the arrival once it is shown: the `ack` token exists only inside this push, so
  // only real arrivals count as delivered. A failed POST costs nothing but the mark.
  const shown = self.registration.showNotification(title, options);
  const ack = data.ack ? shown.then(() => fetch('/push/ack', {
    method: 'POST', credentials: 'omit', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ack: data.ack }),
  })).catch(() => {}) : shown;
  event.waitUntil(ack);
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL((event.notification.data && event.notification.data.url) || '/inbox',
                         self.location.origin);
  if (target.origin !== self.location.origin) return;  // only ever open our own pages
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    for (const client of windows) {
      if (new URL(client.url).pathname === target.pathname && 'focus' in client) {
        return client.focus();
      }
    }
    for (const client of windows) {
      if ('navigate' in client && 'focus' in client) {
        await client.focus();
        return client.navigate(target.href);
      }
    }
    return self.clients.openWindow(target.href);
  })());
});
