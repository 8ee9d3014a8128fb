/* 获取验证码: solve the ALTCHA proof of work (SHA-256 of salt + number) in the page before
   the form is sent; and count down before a code may be asked for again. */
(function () {
  "use strict";
  async function sha256hex(text) {
    var buf = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
    return Array.from(new Uint8Array(buf)).map(function (b) {
      return b.toString(16).padStart(2, "0"); }).join("");
  }
  // Digests are asked for a batch at a time: one await per number made an old phone (or a
  // loaded machine) wait for tens of seconds on the round trips, not on the hashing.
  var BATCH = 256;
  async function solve(ch) {
    for (var start = 0; start <= ch.maxnumber; start += BATCH) {
      var tries = [];
      for (var n = start; n <= Math.min(ch.maxnumber, start + BATCH - 1); n++) {
        tries.push(sha256hex(ch.salt + n));
      }
      var hit = (await Promise.all(tries)).indexOf(ch.challenge);
      if (hit >= 0) {
        return btoa(JSON.stringify({algorithm: ch.algorithm, challenge: ch.challenge,
          number: start + hit, salt: ch.salt, signature: ch.signature}));
      }
    }
    return "";
  }
  document.querySelectorAll("form[data-altcha]").forEach(function (form) {
    var ch = JSON.parse(form.getAttribute("data-altcha"));
    var box = form.querySelector("input[name=altcha]");
    var done = solve(ch).then(function (p) { box.value = p; return p; });
    var gaveUp = false;
    form.addEventListener("submit", function (ev) {
      if (box.value || gaveUp) return;
      ev.preventDefault();
      // Sent again once solved, by the same button: form.submit() would drop its formaction.
      var by = ev.submitter;
      done.then(function (p) {
        box.value = p;
        gaveUp = !p;  // unsolved: let the server say so rather than wait forever
        // After this event's dispatch: a form still firing its submit event ignores requestSubmit.
        setTimeout(function () {
          if (by && form.requestSubmit) form.requestSubmit(by); else form.submit();
        }, 0);
      });
    });
    // The button that asks for a code is disabled in the HTML until this script listens:
    // a tap before it (a slow phone) would send no proof and be refused.
    form.querySelectorAll("[data-needs-script]").forEach(function (b) { b.disabled = false; });
  });
  document.querySelectorAll("[data-countdown]").forEach(function (a) {
    var left = parseInt(a.getAttribute("data-countdown"), 10), label = a.textContent;
    var wait = a.getAttribute("data-wait-text");
    a.setAttribute("aria-disabled", "true");
    var tick = function () {
      if (left <= 0) { a.textContent = label; a.removeAttribute("aria-disabled"); return; }
      a.textContent = wait.replace("{n}", left); left -= 1; setTimeout(tick, 1000);
    };
    a.addEventListener("click", function (ev) {
      if (a.getAttribute("aria-disabled")) ev.preventDefault(); });
    tick();
  });
})();
