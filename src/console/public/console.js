// Small conveniences only; every page works without this script.
// 1. Tables with class "sortable": header cells become buttons that sort the rows (numbers by data-sort or value).
// 2. Forms with data-confirm: a confirmation before a destructive action.
(function () {
  "use strict";
  function cellValue(cell) {
    var v = cell.getAttribute("data-sort");
    if (v !== null) return parseFloat(v);
    var text = cell.textContent.trim();
    var n = parseFloat(text.replace(/\./g, "").replace(/,/g, "."));
    return isNaN(n) || !/^[\d.,%<\s-]+$/.test(text) ? text.toLowerCase() : n;
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a.cells[index]), y = cellValue(b.cells[index]);
          var r = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "vi");
          return asc ? r : -r;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
    });
  });
  // 3. A delivery report with data-live-url: its counts follow the outbox every few seconds until it is finished.
  var live = document.querySelector("[data-live-url]");
  if (live && window.fetch) {
    var poll = function () {
      fetch(live.getAttribute("data-live-url"), { credentials: "same-origin" })
        .then(function (res) { return res.ok ? res.json() : null; })
        .then(function (data) {
          if (!data) return;
          Object.keys(data.counts).forEach(function (status) {
            var cell = live.querySelector('[data-count="' + status + '"]');
            if (cell) cell.textContent = data.counts[status];
          });
          if (data.status !== "done") setTimeout(poll, 3000);
        })
        .catch(function () { setTimeout(poll, 10000); });
    };
    setTimeout(poll, 2000);
  }
})();
