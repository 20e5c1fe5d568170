// The cooperation list works as a plain GET form; this only polishes it when JavaScript runs.
(function () {
  "use strict";

  // Keep the address readable: no "q=&region=&year_min=" for the filters left empty.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.verb !== "get") return;
    var data = event.detail.formData;
    var empty = [];
    data.forEach(function (value, key) {
      if (value === "") empty.push(key);
    });
    empty.forEach(function (key) {
      if (data.getAll(key).every(function (value) { return value === ""; })) data.delete(key);
    });
  });
})();
