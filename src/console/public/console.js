// Small conveniences only; every page works without this script.
// 1. Tables with class "sortable": header cells become buttons that sort the rows (numbers by data-sort or value).
// 2. Forms with data-confirm: a confirmation before a destructive action.
// 3. Plan import: focusing a field (or its "see in the text" link) scrolls the plan's text to the field's highlight
//    and emphasises it; clicking a highlight moves to its field.
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
  // A form sent back with problems: move to the list of problems (announced, and each line links to its field).
  var problems = document.getElementById("problems");
  if (problems) problems.focus();
  var planText = document.getElementById("plan-text");
  if (planText) {
    var current = [];
    var show = function (id) {
      current.forEach(function (el) { el.classList.remove("current"); });
      current = Array.prototype.filter.call(planText.querySelectorAll("mark[data-for]"), function (m) {
        return m.getAttribute("data-for").split(" ").indexOf(id) !== -1;
      });
      var wrap = document.getElementById(id + "-wrap") || document.getElementById(id);
      if (wrap) { wrap.classList.add("current"); current.push(wrap); }
      var first = planText.querySelector("mark[data-for~='" + id + "']");
      current.forEach(function (el) { if (el.tagName === "MARK") el.classList.add("current"); });
      if (first) {
        // Scroll the text panel only, not the page: the field being edited stays where it is.
        var top = first.getBoundingClientRect().top - planText.getBoundingClientRect().top + planText.scrollTop;
        planText.scrollTop = Math.max(0, top - planText.clientHeight / 3);
      }
    };
    document.querySelectorAll("[data-mark]").forEach(function (el) {
      var id = el.getAttribute("data-mark");
      el.addEventListener("focus", function () { show(id); });
      if (el.tagName === "A") el.addEventListener("click", function (event) { event.preventDefault(); show(id); });
    });
    planText.addEventListener("click", function (event) {
      var mark = event.target.closest ? event.target.closest("mark[data-for]") : null;
      if (!mark) return;
      var id = mark.getAttribute("data-for").split(" ")[0];
      var target = document.querySelector("input[data-mark='" + id + "'], textarea[data-mark='" + id + "'], fieldset[data-mark='" + id + "']");
      if (target) target.focus();
      else show(id);
    });
  }
})();
