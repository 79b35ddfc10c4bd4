// Polls a background job's progress and updates the bar; reloads the page when the job ends.
// Without JavaScript the page refreshes itself instead (a <noscript> meta refresh).
(function () {
  var box = document.querySelector("[data-job-progress]");
  if (!box) return;
  var url = box.getAttribute("data-job-progress");
  var bar = box.querySelector("progress");
  var stage = box.querySelector("[data-stage]");
  var count = box.querySelector("[data-count]");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) { setTimeout(poll, 5000); return; }
        if (s.finished) { window.location.reload(); return; }
        if (s.percent === null) { bar.removeAttribute("value"); } else { bar.value = s.percent; }
        stage.textContent = s.stage_label;
        count.textContent = s.total ? s.done + " / " + s.total + (s.percent === null ? "" : " (" + s.percent + "%)") : "";
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
