// "Prévisualiser" under each Markdown field of the fiche form: the server renders the text with the
// same sanitising as the public pages, and the result is shown under the field. No inline script, so
// that it keeps working under a Content Security Policy.
"use strict";
(function () {
  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function addPreview(textarea) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button markdown-preview-button";
    button.textContent = "Prévisualiser";
    const output = document.createElement("div");
    output.className = "markdown-preview";
    output.hidden = true;
    output.setAttribute("aria-live", "polite");
    const tools = document.createElement("div");
    tools.className = "markdown-preview-tools";
    tools.append(button, output);
    textarea.after(tools);

    button.addEventListener("click", async function () {
      if (!output.hidden) {
        output.hidden = true;
        button.textContent = "Prévisualiser";
        return;
      }
      const body = new URLSearchParams({ text: textarea.value });
      try {
        const response = await fetch(textarea.dataset.markdownPreview, {
          method: "POST",
          headers: { "X-CSRFToken": csrfToken() },
          body: body,
          credentials: "same-origin",
        });
        if (!response.ok) throw new Error(response.statusText);
        const html = await response.text();
        // Sanitised on the server (nh3), like the public pages.
        output.innerHTML = html || "<p><em>Champ vide.</em></p>";
      } catch (error) {
        output.textContent = "La prévisualisation n'a pas pu être affichée (" + error.message + ").";
      }
      output.hidden = false;
      button.textContent = "Masquer l'aperçu";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-markdown-preview]").forEach(addPreview);
  });
})();
