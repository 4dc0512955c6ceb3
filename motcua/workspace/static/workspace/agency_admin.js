// Agency administration: confirmations, and the internal-process editor's rows and running sum.
// The pages work without it (plain forms; the "Remove" boxes and the server's sum).
(function () {
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
    });
  });

  var form = document.querySelector("form.process-form");
  if (!form) return;
  var rows = document.getElementById("step-rows");
  var template = document.getElementById("step-template");
  var total = form.querySelector("input[name$=TOTAL_FORMS]");
  var sum = document.getElementById("running-sum");
  var statutory = form.getAttribute("data-statutory");

  function number(text) {
    var value = parseFloat(String(text).trim().replace(/\s/g, "").replace(",", "."));
    return isNaN(value) ? 0 : value;
  }
  function show(value) {
    return String(Math.round(value * 100) / 100).replace(".", ",");
  }
  function refresh() {
    var position = 0;
    var allowed = 0;
    rows.querySelectorAll("tr.step-row").forEach(function (row) {
      var removed = row.querySelector("input[name$=DELETE]");
      var gone = removed && removed.checked;
      row.classList.toggle("removed", !!gone);
      row.querySelector("td.pos").textContent = gone ? "" : String(++position);
      if (!gone) allowed += number(row.querySelector("td.allowance input").value);
    });
    if (sum) {
      sum.textContent = show(allowed);
      var ok = statutory !== "" && Math.abs(allowed - number(statutory)) < 0.005;
      sum.classList.toggle("sum-ok", ok);
      sum.classList.toggle("sum-off", !ok);
    }
  }
  document.getElementById("add-step").addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    refresh();
    var added = rows.lastElementChild.querySelector("input");
    if (added) added.focus();
  });
  rows.addEventListener("input", refresh);
  rows.addEventListener("change", refresh);
  refresh();
})();
