// On a phone the filters start folded, so that the results come first. This runs as soon as the panel is
// parsed (a plain script right after it, neither deferred nor async): folded once the page is shown, it
// would pull the results up under the visitor's eyes (a layout shift).
(function () {
  "use strict";
  var panel = document.getElementById("filters-panel");
  if (panel && window.matchMedia("(max-width: 767px)").matches) panel.open = false;
})();
