// Lesson player: resumes at the saved position and reports, every few seconds, the
// segments really played since the last report. The server credits only unique
// seconds within the wall-clock time elapsed (see courses.rules.apply_heartbeat).
(function () {
  "use strict";
  var video = document.getElementById("player");
  if (!video || !video.dataset.heartbeatUrl) return;
  var url = video.dataset.heartbeatUrl;
  var interval = Math.max(5, parseInt(video.dataset.interval || "10", 10)) * 1000;
  var resume = parseFloat(video.dataset.resume || "0");
  var csrf = (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
  var segStart = null; // where the current continuous play began
  var lastTime = 0; // the last position seen while playing normally
  var played = []; // segments closed since the last heartbeat
  var seeking = false;

  function closeSegment() {
    if (segStart !== null && lastTime > segStart) {
      played.push([Math.floor(segStart), Math.ceil(lastTime)]);
    }
    segStart = video.paused || seeking ? null : lastTime;
  }

  function send(final) {
    closeSegment();
    var body = JSON.stringify({ position: Math.floor(video.currentTime), played: played });
    played = [];
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: !!final,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: body,
    })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var watched = document.getElementById("watched");
        if (watched && typeof data.unique_seconds === "number") watched.textContent = data.unique_seconds;
        if (data.complete) document.getElementById("complete-badge").hidden = false;
      })
      .catch(function () {});
  }

  video.addEventListener("loadedmetadata", function () {
    if (resume > 0 && resume < video.duration - 3) {
      video.currentTime = resume;
    }
    lastTime = video.currentTime;
  });
  video.addEventListener("playing", function () {
    seeking = false;
    lastTime = video.currentTime;
    segStart = lastTime;
  });
  video.addEventListener("timeupdate", function () {
    if (seeking || video.paused) return;
    var t = video.currentTime;
    // A jump larger than playback could make is a seek the browser did not announce.
    if (t < lastTime || t - lastTime > 2 + 2 * video.playbackRate) {
      closeSegment();
      segStart = t;
    }
    lastTime = t;
  });
  video.addEventListener("seeking", function () {
    closeSegment();
    seeking = true;
    segStart = null;
  });
  video.addEventListener("seeked", function () {
    seeking = false;
    lastTime = video.currentTime;
    segStart = video.paused ? null : lastTime;
  });
  video.addEventListener("pause", function () { send(false); });
  video.addEventListener("ended", function () { send(false); });
  window.addEventListener("pagehide", function () { send(true); });
  setInterval(function () { if (!video.paused) send(false); }, interval);
  window.lessonPlayer = { flush: send };
})();
