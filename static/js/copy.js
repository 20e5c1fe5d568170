// A button that copies the text of a field (data-copy: its id), shown only where the browser can copy;
// without it, the field's text stays there to select. Says that it is done, in a status region.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    const field = document.getElementById(button.dataset.copy);
    const status = button.closest(".copy-field").querySelector(".copy-status");
    button.hidden = false;
    button.addEventListener("click", async function () {
      try {
        await navigator.clipboard.writeText(field.value);
        status.textContent = button.dataset.copied;
      } catch (error) {
        field.select(); // copying refused: the text is selected, ready for Ctrl+C
      }
    });
  });
  document.querySelectorAll(".copy-field input[readonly]").forEach(function (field) {
    field.addEventListener("focus", () => field.select());
  });
});
