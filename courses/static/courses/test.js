// Test page: saves each answer on the server as it changes (so the server can grade
// at the deadline whatever happens here), counts down the time the server gave,
// and reports leaving the page. The server decides; this page only informs it.
(function () {
  "use strict";
  var form = document.getElementById("test-form");
  if (!form) return;
  var submitting = false;
  var saveTimer = null;

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: true,
      body: body,
      headers: { "X-Requested-With": "fetch" },
    }).then(function (r) {
      return r.json();
    });
  }

  function ended(data) {
    if (data && (data.open === false || data.error) && !submitting) {
      submitting = true;
      window.location.reload();
    }
  }

  function save() {
    clearTimeout(saveTimer);
    saveTimer = null;
    return post(form.dataset.saveUrl, new FormData(form)).then(ended, function () {});
  }

  form.addEventListener("change", save);
  form.addEventListener("input", function (e) {
    if (e.target.type === "text") {
      clearTimeout(saveTimer);
      saveTimer = setTimeout(save, 800);
    }
  });
  form.addEventListener("submit", function () {
    submitting = true;
  });

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState !== "hidden" || submitting) return;
    var body = new FormData();
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    post(form.dataset.leaveUrl, body).then(function (data) {
      var line = document.getElementById("departures-line");
      if (data && data.departures !== undefined && line) {
        document.getElementById("departures").textContent = data.departures;
        line.hidden = false;
      }
      ended(data);
    }, function () {});
  });

  var left = form.dataset.secondsLeft;
  if (left === undefined) return;
  var deadline = Date.now() + parseInt(left, 10) * 1000;
  var shown = document.getElementById("time-left");
  function tick() {
    var ms = deadline - Date.now();
    var s = Math.max(0, Math.ceil(ms / 1000));
    shown.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
    // Past the deadline (with a little slack for the clocks): the server grades the
    // answers it saved; this submit only brings the result page.
    if (ms > -500) return;
    clearInterval(timer);
    if (!submitting) {
      submitting = true;
      form.submit();
    }
  }
  var timer = setInterval(tick, 250);
  tick();
})();
