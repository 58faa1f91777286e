// Polls a background job and shows its progress until it finishes.
(function () {
  const box = document.getElementById("job");
  if (!box) return;
  const $ = (id) => document.getElementById(id);
  async function poll() {
    const response = await fetch(box.dataset.statusUrl, { credentials: "same-origin" });
    if (!response.ok) return setTimeout(poll, 3000);
    const job = await response.json();
    $("job-progress").value = job.percent;
    $("job-percent").textContent = job.percent;
    $("job-count").textContent = job.done + "/" + job.total;
    $("job-status").textContent = job.status_display;
    $("job-message").textContent = job.message;
    $("job-result").hidden = !job.has_result;
    if (job.errors.length) {
      const body = $("job-errors").querySelector("tbody");
      body.replaceChildren(...job.errors.map((e) => {
        const tr = document.createElement("tr");
        for (const v of [e.row, e.column, e.message]) {
          const td = document.createElement("td");
          td.textContent = v === undefined ? "" : v;
          tr.appendChild(td);
        }
        return tr;
      }));
      $("job-errors").hidden = false;
    }
    if (!job.finished) setTimeout(poll, 1000);
    // An import's report (preview or result) is drawn by the server.
    else if (box.dataset.reloadWhenFinished) window.location.reload();
  }
  poll();
})();
