// A form that came back with errors: move focus to its error summary, so
// keyboard and screen-reader users hear what went wrong first (the summary
// links to each field). Without JavaScript the summary is still at the top.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
})();
