/* Registers the service worker (root scope) and tells it the page's language, so the offline
   page and notices it shows match the user's choice. No inline script: CSP allows only files. */
(function () {
  'use strict';
  if (!('serviceWorker' in navigator)) return;
  const lang = document.documentElement.lang === 'en' ? 'en' : 'zh_CN';

  function tell(worker) {
    if (worker) worker.postMessage({ type: 'lang', lang });
  }

  navigator.serviceWorker.register('/sw.js', { scope: '/' })
    .then(() => navigator.serviceWorker.ready)
    .then((reg) => tell(reg.active))
    .catch(() => { /* no worker (private mode, old browser): the site still works online */ });

  navigator.serviceWorker.addEventListener('controllerchange', () => tell(navigator.serviceWorker.controller));

  function showNetwork() {
    document.documentElement.toggleAttribute('data-offline', !navigator.onLine);
  }
  window.addEventListener('online', showNetwork);
  window.addEventListener('offline', showNetwork);
  showNetwork();
})();
