// The editor's territory pickers (editing/includes/combobox.html): typing a name asks the server for the
// matching territories, shown as a listbox under the field; the arrow keys and Enter (or a tap) choose
// one, which joins the ticked list of the field. The keyboard and ARIA 1.2 combobox behaviour is
// @github/combobox-nav's; what is said to screen readers comes from the page, in French.
import Combobox from "../vendor/combobox-nav/combobox-nav.js";

const DELAY = 150; // milliseconds of typing pause before asking the server

function format(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_match, name) => values[name]);
}

function setUp(picker) {
  const kind = picker.dataset.combobox;
  const input = picker.querySelector("[data-combobox-input]");
  const options = picker.querySelector("[data-combobox-options]");
  const status = picker.querySelector("[data-combobox-status]");
  const chosen = document.getElementById(`id_${kind}`);
  const combobox = new Combobox(input, options, { tabInsertsSuggestions: false });
  const texts = picker.dataset;
  let timer = null;
  let asked = 0; // the latest request: an older answer arriving late is dropped

  function close() {
    combobox.stop();
    options.hidden = true;
  }

  function open() {
    options.hidden = false;
    combobox.start();
  }

  async function search() {
    const query = input.value.trim();
    if (!query) {
      close();
      status.textContent = "";
      return;
    }
    const url = new URL(picker.dataset.url, window.location.href);
    url.searchParams.set("q", query);
    const request = ++asked;
    const response = await fetch(url, { credentials: "same-origin" });
    if (request !== asked || !response.ok) return;
    options.innerHTML = await response.text();
    const count = options.querySelectorAll("[role=option]").length;
    open();
    if (count === 0) status.textContent = texts.foundNone;
    else if (count === 1) status.textContent = texts.foundOne;
    else status.textContent = format(texts.foundMany, { count: count });
  }

  function add(option) {
    const id = option.dataset.pick;
    const label = option.dataset.label;
    const existing = chosen.querySelector(`input[value="${CSS.escape(id)}"]`);
    if (existing) {
      existing.checked = true;
      status.textContent = format(texts.already, { label: label });
    } else {
      const item = document.createElement("div");
      const wrapper = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = kind;
      box.value = id;
      box.checked = true;
      box.id = `id_${kind}_added_${id}`;
      wrapper.htmlFor = box.id;
      wrapper.append(box, " " + label);
      item.append(wrapper);
      chosen.append(item);
      status.textContent = format(texts.added, { label: label });
    }
    input.value = "";
    close();
    input.focus();
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, DELAY);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !options.hidden) {
      event.preventDefault();
      close();
    } else if (event.key === "Enter") {
      // Enter adds the option chosen with the arrows (combobox-nav); never submits the fiche's form.
      event.preventDefault();
    } else if (event.key === "ArrowDown" && options.hidden && input.value.trim()) {
      search();
    }
  });
  input.addEventListener("blur", function () {
    // A tap on an option lands before the blur closes the list (mousedown is kept from moving focus).
    setTimeout(close, 100);
  });
  options.addEventListener("mousedown", (event) => event.preventDefault());
  options.addEventListener("combobox-commit", (event) => add(event.target));
}

document.querySelectorAll("[data-combobox]").forEach(setUp);
