/* The 申请书 editor: table rows added and removed in the page, a warning before
   leaving with unsaved changes, enterprise-only money fields, character counters. */
(function () {
  "use strict";

  function renumber(container) {
    var first = parseInt(container.dataset.firstNumber || "1", 10);
    var n = first;
    container.querySelectorAll("[data-row]").forEach(function (row) {
      if (row.hidden) return;
      var cell = row.querySelector("[data-row-number]");
      if (cell) cell.textContent = n;
      n += 1;
    });
  }

  function markDirty(form) { form.dataset.dirty = "1"; }

  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.addEventListener("click", function () {
      var prefix = button.dataset.addRow;
      var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
      var template = document.getElementById(prefix + "-empty");
      var container = document.querySelector('[data-rows="' + prefix + '"]');
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, index);
      container.insertAdjacentHTML("beforeend", html);
      total.value = index + 1;
      renumber(container);
      var added = container.lastElementChild;
      wireRow(added);
      var firstInput = added.querySelector("input:not([type=hidden]):not([type=checkbox]), select, textarea");
      if (firstInput) firstInput.focus();
      markDirty(button.closest("form"));
    });
  });

  function wireRow(row) {
    var remove = row.querySelector("[data-remove-row]");
    if (remove) {
      remove.addEventListener("click", function () {
        var del = row.querySelector('input[type=checkbox][name$="-DELETE"]');
        if (del) del.checked = true;
        row.hidden = true;
        renumber(row.parentElement);
        markDirty(row.closest("form"));
      });
    }
    var kind = row.querySelector('select[name$="-unit_kind"]');
    if (kind) {
      var apply = function () {
        var enterprise = kind.value === "enterprise";
        row.querySelectorAll("[data-enterprise-only] input").forEach(function (input) {
          input.disabled = !enterprise;
          if (!enterprise) input.value = "";
          input.placeholder = enterprise ? "" : "仅企业填写";
        });
      };
      kind.addEventListener("change", apply);
      apply();
      // Qualifications are enterprises' too: unticked and locked for other kinds (values kept as they are).
      var applyChoices = function () {
        var enterprise = kind.value === "enterprise";
        row.querySelectorAll("[data-enterprise-choices] input[type=checkbox]").forEach(function (box) {
          box.disabled = !enterprise;
          if (!enterprise) box.checked = false;
        });
      };
      kind.addEventListener("change", applyChoices);
      applyChoices();
    }
  }
  document.querySelectorAll("[data-row]").forEach(wireRow);

  document.querySelectorAll("form[data-dirty-guard]").forEach(function (form) {
    form.addEventListener("input", function () { markDirty(form); });
    form.addEventListener("change", function () { markDirty(form); });
    form.addEventListener("submit", function () { form.dataset.submitting = "1"; });
  });
  window.addEventListener("beforeunload", function (event) {
    var dirty = Array.prototype.some.call(document.querySelectorAll("form[data-dirty-guard]"), function (form) {
      return form.dataset.dirty === "1" && form.dataset.submitting !== "1";
    });
    if (dirty) {
      event.preventDefault();
      event.returnValue = "您有未暂存的修改，离开本页将丢失。";
      return event.returnValue;
    }
  });

  document.querySelectorAll("textarea[maxlength]").forEach(function (area) {
    var counter = document.createElement("div");
    counter.className = "form-text text-end char-counter";
    var update = function () { counter.textContent = area.value.length + " / " + area.maxLength + " 字"; };
    area.insertAdjacentElement("afterend", counter);
    area.addEventListener("input", update);
    update();
  });
})();
