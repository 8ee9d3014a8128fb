// On-site check-in (issue 24): a form marked data-geo asks the browser for the phone's point
// just before it is sent and puts it in its hidden lat/lng fields — only when the person has
// consented (data-consented="1", or the consent box in the form ticked). The server keeps the
// distance to the venue, never the point. No point (refused, unavailable, slow): sent without.
(function () {
  "use strict";
  function wanted(form) {
    if (form.dataset.consented === "1" || form.dataset.geo === "place") return true;
    var box = form.querySelector('input[name="consent"]');
    return !!(box && box.checked);
  }
  function send(form) {
    form.dataset.geoDone = "1";
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form.dataset || !form.dataset.geo || form.dataset.geoDone === "1") return;
    if (!wanted(form) || !navigator.geolocation) return;
    ev.preventDefault();
    var button = form.querySelector("button");
    if (button) button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.querySelector('input[name="lat"]').value = pos.coords.latitude.toFixed(6);
      form.querySelector('input[name="lng"]').value = pos.coords.longitude.toFixed(6);
      if (button) button.disabled = false;
      send(form);
    }, function () {
      if (button) button.disabled = false;
      send(form);
    }, {enableHighAccuracy: true, timeout: 8000, maximumAge: 0});
  }, true);
})();
