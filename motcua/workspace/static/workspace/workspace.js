// Behaviour every workspace page shares, kept out of the HTML: the Content Security Policy
// (settings.SECURE_CSP) allows no inline script or event handler. Each is a convenience; the
// pages work without JavaScript.
(function () {
  "use strict";
  // A menu that applies itself when changed (the top bar's agency): data-autosubmit.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // The list's "select all" box: data-pick-all ticks every dossier of the bulk form.
  document.querySelectorAll("[data-pick-all]").forEach(function (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll("#bulk input[name=dossier]").forEach(function (box) {
        box.checked = all.checked;
      });
    });
  });
})();
