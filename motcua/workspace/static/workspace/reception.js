// Desk reception: search as you type. The page works without it (plain GET form); this only
// fetches the same page and swaps the result list.
(function () {
  var form = document.querySelector("form[data-live-search]");
  var results = document.getElementById("results");
  if (!form || !results || !window.fetch) return;
  var input = form.querySelector("input[name=q]");
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var url = form.action.split("?")[0] + "?q=" + encodeURIComponent(input.value);
      fetch(url, { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("results");
        if (fresh) { results.innerHTML = fresh.innerHTML; history.replaceState(null, "", url); }
      });
    }, 250);
  });
})();
