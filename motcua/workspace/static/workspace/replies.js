// Reply templates ("Mẫu trả lời"): choosing one copies its text into the field named by the
// select's data-reply-target. Without JavaScript the server uses the chosen template when
// that field is left empty, so this only saves a round trip.
(function () {
  var selects = document.querySelectorAll("select[data-reply-target]");
  Array.prototype.forEach.call(selects, function (select) {
    select.addEventListener("change", function () {
      var target = document.getElementById(select.getAttribute("data-reply-target"));
      var option = select.options[select.selectedIndex];
      var body = option && option.getAttribute("data-body");
      if (!target || body === null) return;
      target.value = body;
      target.dispatchEvent(new Event("input", { bubbles: true }));
      target.focus();
    });
  });
})();
