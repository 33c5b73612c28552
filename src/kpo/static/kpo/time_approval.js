// Time approval: the running total of the ticked entries (hours and value) and "select all".
// The page works without it; the server renders the totals per task and overall.
(function () {
  "use strict";
  var output = document.getElementById("selected-total");
  if (!output) return;
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[name="entries"]'));
  var all = document.getElementById("entries-all");
  var lang = document.documentElement.lang || "en";
  var locale = lang === "en" ? "en-GB" : lang;
  var currency = output.dataset.currency;
  var hours = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  var money = new Intl.NumberFormat(locale, { style: "currency", currency: currency });

  function update() {
    var ticked = boxes.filter(function (box) { return box.checked; });
    var sumHours = 0;
    var sumCents = 0;
    ticked.forEach(function (box) {
      sumHours += Math.round(parseFloat(box.dataset.hours) * 100);
      if (box.dataset.value) sumCents += Math.round(parseFloat(box.dataset.value) * 100);
    });
    if (!ticked.length) {
      output.textContent = output.dataset.none;
    } else {
      var template = ticked.length === 1 ? output.dataset.one : output.dataset.many;
      output.textContent = template
        .replace("{count}", String(ticked.length))
        .replace("{h}", hours.format(sumHours / 100))
        .replace("{value}", money.format(sumCents / 100));
    }
    if (all) {
      all.checked = ticked.length === boxes.length;
      all.indeterminate = ticked.length > 0 && ticked.length < boxes.length;
    }
  }

  boxes.forEach(function (box) { box.addEventListener("change", update); });
  if (all) {
    all.hidden = false;
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
      update();
    });
  }
  output.hidden = false;
  update();
})();
