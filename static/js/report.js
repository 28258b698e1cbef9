/* The annual report editor: each figure's change against last year's, updated as it is typed. */
(function () {
  "use strict";
  document.querySelectorAll("[data-change-of]").forEach(function (cell) {
    var name = cell.dataset.changeOf;
    var input = document.querySelector('[name="' + name + '"]');
    var previous = document.querySelector('[data-previous-of="' + name + '"]');
    if (!input || !previous || previous.dataset.value === "") return;
    var decimals = previous.dataset.value.indexOf(".") >= 0 ? 2 : 0;
    input.addEventListener("input", function () {
      var value = parseFloat(input.value);
      if (input.value.trim() === "" || isNaN(value)) { cell.textContent = ""; return; }
      var change = value - parseFloat(previous.dataset.value);
      var text = change.toFixed(decimals);
      cell.textContent = change > 0 ? "+" + text : text;
    });
  });
})();
