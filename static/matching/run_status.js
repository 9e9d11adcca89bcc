// Polls the run's JSON status (step, percent, time left) and reloads the page once the run
// has finished, to show its result. Without JavaScript the page refreshes itself (a <noscript>
// meta refresh).
(function () {
  "use strict";
  var box = document.getElementById("run-status");
  if (!box || box.dataset.finished === "true") { return; }
  var url = box.dataset.statusUrl;
  function show(id, text) { document.getElementById(id).textContent = text; }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        document.getElementById("run-progress").value = data.progress;
        show("run-percent", data.progress + "%");
        show("run-step", data.step);
        show("run-state", data.status_display);
        show("run-text", data.message);
        show("run-remaining", data.remaining);
        if (data.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
