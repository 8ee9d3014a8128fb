/* "开启通知" on the notification settings page. Asks for the permission only when the user
   presses the button (never on page load), subscribes this device with the server's VAPID key
   and sends the subscription to /push/subscriptions (CSRF token in X-CSRFToken). */
(function () {
  "use strict";

  var box = document.getElementById("push-controls");
  var status = document.getElementById("push-status");
  if (!box || !status) { return; }
  var enableBtn = document.getElementById("push-enable");
  var disableBtn = document.getElementById("push-disable");

  function say(key) { status.textContent = status.getAttribute("data-msg-" + key) || ""; }

  function supported() {
    return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  }

  function show(subscribed) {
    enableBtn.hidden = subscribed;
    disableBtn.hidden = !subscribed;
    say(subscribed ? "on" : "off");
  }

  function keyBytes(b64) {
    var pad = "=".repeat((4 - (b64.length % 4)) % 4);
    var raw = atob((b64 + pad).replace(/-/g, "+").replace(/_/g, "/"));
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { out[i] = raw.charCodeAt(i); }
    return out;
  }

  function send(method, body) {
    return fetch(box.getAttribute("data-sub-url"), {
      method: method, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json",
                 "X-CSRFToken": box.getAttribute("data-csrf") },
      body: JSON.stringify(body)
    }).then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r; });
  }

  function registration() { return navigator.serviceWorker.ready; }

  function enable() {
    enableBtn.disabled = true;
    Notification.requestPermission().then(function (perm) {
      if (perm !== "granted") { say("denied"); throw null; }
      return Promise.all([
        registration(),
        fetch(box.getAttribute("data-key-url"), { credentials: "same-origin" })
          .then(function (r) { return r.json(); })
      ]);
    }).then(function (res) {
      var reg = res[0], key = res[1].publicKey;
      return reg.pushManager.getSubscription().then(function (old) {
        return old || reg.pushManager.subscribe({
          userVisibleOnly: true, applicationServerKey: keyBytes(key) });
      });
    }).then(function (sub) {
      return send("POST", sub.toJSON());
    }).then(function () { show(true); }).catch(function (err) {
      if (err !== null) { say("error"); }
    }).then(function () { enableBtn.disabled = false; });
  }

  function disable() {
    disableBtn.disabled = true;
    registration().then(function (reg) {
      return reg.pushManager.getSubscription();
    }).then(function (sub) {
      if (!sub) { return null; }
      var endpoint = sub.endpoint;
      return sub.unsubscribe().then(function () { return send("DELETE", { endpoint: endpoint }); });
    }).then(function () { show(false); }).catch(function () { say("error"); })
      .then(function () { disableBtn.disabled = false; });
  }

  // "发送测试通知": send one, then ask every 3 s for up to a minute whether it arrived.
  var testBox = document.getElementById("push-test");
  var testBtn = document.getElementById("push-test-btn");
  var testStatus = document.getElementById("push-test-status");
  function sayTest(key) { testStatus.textContent = testStatus.getAttribute("data-msg-" + key) || ""; }
  function runTest() {
    testBtn.disabled = true;
    fetch(testBox.getAttribute("data-url"), {
      method: "POST", credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": testBox.getAttribute("data-csrf") }
    }).then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (res) {
        sayTest("wait");
        var until = Date.now() + 60000;
        function poll() {
          fetch(res.status_url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
            .then(function (r) { return r.json(); }).then(function (st) {
              if (st.delivered) { sayTest("ok"); testBtn.disabled = false; return; }
              if (st.devices === 0) { sayTest("none"); testBtn.disabled = false; return; }
              if (Date.now() > until) { sayTest("missed"); testBtn.disabled = false; return; }
              setTimeout(poll, 3000);
            }).catch(function () { setTimeout(poll, 3000); });
        }
        setTimeout(poll, 1500);
      }).catch(function () { sayTest("error"); testBtn.disabled = false; });
  }
  // The buttons are disabled in the HTML until they are wired here: a tap before this script
  // ran (a slow phone) would otherwise do nothing and say nothing.
  if (testBtn && testBox && testStatus) {
    testBtn.addEventListener("click", runTest);
    testBtn.disabled = false;
  }

  if (!supported()) { enableBtn.hidden = true; say("unsupported"); return; }
  if (Notification.permission === "denied") { say("denied"); }
  enableBtn.addEventListener("click", enable);
  disableBtn.addEventListener("click", disable);
  enableBtn.disabled = false;
  registration().then(function (reg) { return reg.pushManager.getSubscription(); })
    .then(function (sub) {
      if (sub) {
        // Re-send: keeps the server's copy current if the browser rotated its keys.
        send("POST", sub.toJSON()).catch(function () {});
      }
      show(!!sub);
    }).catch(function () {});
})();
