// Scorecard filters: show the rows whose verdict is ticked and whose theme is selected.
// Runs from file:// (no server); without script every row stays visible.
(function () {
  var form = document.getElementById("filters");
  if (!form) { return; }
  var rows = Array.prototype.slice.call(document.querySelectorAll("tbody tr.claim-row"));
  var count = document.getElementById("shown");
  function apply() {
    var ticked = {};
    Array.prototype.forEach.call(form.querySelectorAll("input[name=verdict]"), function (box) {
      ticked[box.value] = box.checked;
    });
    var theme = form.querySelector("select[name=theme]").value;
    var shown = 0;
    rows.forEach(function (row) {
      var show = ticked[row.getAttribute("data-verdict")] === true &&
        (theme === "" || row.getAttribute("data-theme") === theme);
      row.hidden = !show;
      if (show) { shown += 1; }
    });
    count.textContent = String(shown);
  }
  form.addEventListener("change", apply);
  document.getElementById("show-all").addEventListener("click", function () {
    Array.prototype.forEach.call(form.querySelectorAll("input[name=verdict]"), function (box) { box.checked = true; });
    form.querySelector("select[name=theme]").value = "";
    apply();
  });
  form.hidden = false;
  apply();
})();
