/* Wishgrid page behaviour. No inline scripts anywhere (strict CSP): everything lives here. */
(function () {
  "use strict";

  // A 4xx message aimed at a whole card (claim failed: full, already claimed…) goes into the
  // card's message slot instead of replacing the card, so the card stays readable.
  document.addEventListener("htmx:beforeSwap", function (evt) {
    var status = evt.detail.xhr ? evt.detail.xhr.status : 0;
    var target = evt.detail.target;
    if (status < 400 || !target || !target.classList || !target.classList.contains("card")) {
      return;
    }
    var slot = target.querySelector("[data-card-msg]");
    if (slot) {
      evt.detail.target = slot;
      evt.detail.swapOverride = "innerHTML";
    }
  });

  // After an htmx swap, move focus to a new error so screen readers and keyboards find it.
  document.addEventListener("htmx:afterSwap", function (evt) {
    var alert = evt.detail.target && evt.detail.target.querySelector
      ? evt.detail.target.querySelector("[role=alert], .field-error") : null;
    if (alert) {
      alert.setAttribute("tabindex", "-1");
      alert.focus();
    }
  });

  // Links and buttons marked data-confirm ask first (no inline onclick under the CSP).
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    var msg = form && form.getAttribute && form.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) {
      evt.preventDefault();
    }
  }, true);

  // Auto-submit selects marked data-autosubmit (e.g. the language switch) when JS is on.
  document.addEventListener("change", function (evt) {
    var el = evt.target;
    if (el && el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) {
      if (el.form.requestSubmit) { el.form.requestSubmit(); } else { el.form.submit(); }
    }
  });
})();
