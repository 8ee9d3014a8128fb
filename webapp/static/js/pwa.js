/* Registers the service worker (root scope) and tells it the page's language, so the offline
   page and notices it shows match the user's choice; says in words when the network is gone.
   No inline script: the CSP allows only files. */
(function () {
  'use strict';

  // Offline / back online, in words (never colour alone), in the status region (#net-status).
  function showNetwork() {
    const offline = !navigator.onLine;
    document.documentElement.toggleAttribute('data-offline', offline);
    const box = document.getElementById('net-status');
    const strings = document.getElementById('pwa-strings');
    if (!box || !strings) return;
    if (offline) box.textContent = strings.dataset.msgOffline || '';
    else if (box.textContent === strings.dataset.msgOffline) box.textContent = '';
  }
  function start() {
    const box = document.getElementById('net-status');
    const bar = document.querySelector('.topbar');
    if (box && bar) bar.after(box);  // read first, under the title, never over a button
    showNetwork();
  }
  window.addEventListener('online', showNetwork);
  window.addEventListener('offline', showNetwork);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();

  if (!('serviceWorker' in navigator)) return;  // old browser: the site still works online
  const lang = document.documentElement.lang === 'en' ? 'en' : 'zh_CN';
  const tell = (worker) => { if (worker) worker.postMessage({ type: 'lang', lang }); };

  navigator.serviceWorker.register('/sw.js', { scope: '/' })
    .then(() => navigator.serviceWorker.ready)
    .then((reg) => tell(reg.active))
    .catch(() => { /* no worker (private mode): pages still load from the network */ });
  navigator.serviceWorker.addEventListener('controllerchange',
    () => tell(navigator.serviceWorker.controller));
})();
