// The fiche editor: Markdown buttons and preview, the search that adds structures, rows added to the
// participants and figures (the territories have their own pickers: combobox.js). Plain script from our own static files, under the site's CSP.
"use strict";
(function () {
  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // --- Markdown: the buttons of @github/markdown-toolbar-element (their labels come translated from the
  // page's <template id="markdown-tools">), and a preview rendered by the server.
  function addMarkdownTools(textarea, previewUrl, template) {
    const toolbar = template.content.firstElementChild.cloneNode(true);
    toolbar.setAttribute("for", textarea.id);
    textarea.before(toolbar);
    const previewButton = toolbar.querySelector(".markdown-preview-button");
    const labels = previewButton.dataset;

    const output = document.createElement("div");
    output.className = "markdown-preview";
    output.hidden = true;
    output.setAttribute("aria-live", "polite");
    textarea.after(output);

    previewButton.addEventListener("click", async function () {
      if (!output.hidden) {
        output.hidden = true;
        previewButton.textContent = labels.show;
        previewButton.setAttribute("aria-expanded", "false");
        return;
      }
      try {
        const response = await fetch(previewUrl, {
          method: "POST",
          headers: { "X-CSRFToken": csrfToken() },
          body: new URLSearchParams({ text: textarea.value }),
          credentials: "same-origin",
        });
        if (!response.ok) throw new Error(response.statusText);
        const html = await response.text(); // sanitised on the server, like the public pages
        if (html) output.innerHTML = html;
        else output.textContent = labels.empty;
      } catch (error) {
        output.textContent = labels.failed + " (" + error.message + ")";
      }
      output.hidden = false;
      previewButton.textContent = labels.hide;
      previewButton.setAttribute("aria-expanded", "true");
    });
  }

  // --- Formsets: a new row is the formset's empty form, numbered after the others.
  function addRow(prefix) {
    const template = document.querySelector(`template[data-formset-template="${prefix}"]`);
    const total = document.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
    const list = document.querySelector(`[data-formset="${prefix}"]`);
    const index = parseInt(total.value, 10);
    const html = template.innerHTML.replaceAll("__prefix__", String(index));
    list.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const empty = list.parentElement.querySelector("[data-formset-empty]");
    if (empty) empty.hidden = true;
    return list.lastElementChild;
  }

  function addParticipant(id, label, role) {
    const taken = Array.from(document.querySelectorAll('input[name^="participations-"][name$="-structure"]'));
    const existing = taken.find((input) => input.value === id);
    if (existing) {
      existing.closest("li").querySelector("select").focus();
      return;
    }
    const row = addRow("participations");
    row.querySelector('input[name$="-structure"]').value = id;
    row.querySelector("[data-label]").textContent = label;
    const select = row.querySelector("select");
    if (role) select.value = role;
    select.focus();
  }

  // A source created from the editor: a ticked box among the fiche's sources.
  function addSource(id, label) {
    const list = document.getElementById("id_sources");
    if (!list || list.querySelector(`input[value="${id}"]`)) return;
    const index = list.querySelectorAll("input").length;
    const item = document.createElement("div");
    const wrapper = document.createElement("label");
    const input = document.createElement("input");
    input.type = "checkbox";
    input.name = "sources";
    input.value = id;
    input.checked = true;
    input.id = `id_sources_${index}`;
    wrapper.htmlFor = input.id;
    wrapper.append(input, " " + label);
    item.append(wrapper);
    list.append(item);
  }

  // --- Searches: the server answers with buttons carrying data-pick (an id) and data-label.
  function setUpPicker(picker) {
    const input = picker.querySelector("[data-picker-input]");
    const results = picker.querySelector("[data-picker-results]");
    async function search() {
      const url = new URL(picker.dataset.url, window.location.href);
      url.searchParams.set("q", input.value);
      const response = await fetch(url, { credentials: "same-origin" });
      results.innerHTML = await response.text();
    }
    picker.querySelector("[data-picker-search]").addEventListener("click", search);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // the search, not the fiche's form
        search();
      }
    });
    results.addEventListener("click", function (event) {
      const button = event.target.closest("[data-pick]");
      if (!button) return;
      addParticipant(button.dataset.pick, button.dataset.label);
      button.closest("li").remove();
    });
  }

  // A small form inside the fiche's form (a structure, a source), sent on its own; the server answers
  // with the created object (added to the fiche here) or the small form again, with its errors.
  function setUpQuickCreation(form, selector, created) {
    const button = form.querySelector("[data-create-url]");
    button.addEventListener("click", async function () {
      const body = new URLSearchParams();
      form.querySelectorAll("input, select").forEach((field) => body.append(field.name, field.value));
      const response = await fetch(button.dataset.createUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken() },
        body: body,
        credentials: "same-origin",
      });
      const html = await response.text();
      if (response.ok) {
        const status = form.closest("details").nextElementSibling;
        status.innerHTML = html;
        created(status.firstElementChild.dataset);
        form.querySelectorAll("input").forEach((field) => (field.value = ""));
        form.closest("details").open = false;
      } else {
        form.outerHTML = html;
        setUpQuickCreation(document.querySelector(selector), selector, created);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const editor = document.querySelector(".editor-form");
    if (!editor) return;
    const previewUrl = editor.dataset.markdownPreview;
    const tools = document.getElementById("markdown-tools");
    editor.querySelectorAll("textarea[data-markdown]").forEach((t) => addMarkdownTools(t, previewUrl, tools));
    editor.querySelectorAll("[data-picker]").forEach(setUpPicker);
    editor.querySelectorAll("[data-formset-add]").forEach((button) =>
      button.addEventListener("click", () => addRow(button.dataset.formsetAdd).querySelector("input:not([type=hidden])").focus())
    );
    const structureForm = editor.querySelector("[data-structure-form]");
    if (structureForm) {
      setUpQuickCreation(structureForm, "[data-structure-form]", (data) =>
        addParticipant(data.structureCreated, data.label, data.role)
      );
    }
    const sourceForm = editor.querySelector("[data-source-form]");
    if (sourceForm) setUpQuickCreation(sourceForm, "[data-source-form]", (data) => addSource(data.sourceCreated, data.label));
  });
})();
