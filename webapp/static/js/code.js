/* 获取验证码: solve the ALTCHA proof of work (SHA-256 of salt + number) in the page before
   the form is sent; and count down before a code may be asked for again. */
(function () {
  "use strict";
  async function sha256hex(text) {
    var buf = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
    return Array.from(new Uint8Array(buf)).map(function (b) {
      return b.toString(16).padStart(2, "0"); }).join("");
  }
  async function solve(ch) {
    for (var n = 0; n <= ch.maxnumber; n++) {
      if (await sha256hex(ch.salt + n) === ch.challenge) {
        return btoa(JSON.stringify({algorithm: ch.algorithm, challenge: ch.challenge,
          number: n, salt: ch.salt, signature: ch.signature}));
      }
    }
    return "";
  }
  document.querySelectorAll("form[data-altcha]").forEach(function (form) {
    var ch = JSON.parse(form.getAttribute("data-altcha"));
    var box = form.querySelector("input[name=altcha]");
    var done = solve(ch).then(function (p) { box.value = p; return p; });
    form.addEventListener("submit", function (ev) {
      if (box.value) return;
      ev.preventDefault();
      done.then(function () { form.submit(); });
    });
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
