// Lesson player. The server opens a play session from the page's single-use play
// token and keeps the clock (courses.services.playback): this script reports, every
// few seconds, the segments really played, with a rising number; it pauses for the
// presence prompts the server asks for and for the questions inside the video, whose
// answers the server checks. Another page taking over pauses this one.
(function () {
  "use strict";
  var video = document.getElementById("player");
  if (!video || !video.dataset.heartbeatUrl) return;
  var ds = video.dataset;
  var interval = Math.max(5, parseInt(ds.interval || "10", 10)) * 1000;
  var resume = parseFloat(ds.resume || "0");
  var csrf = (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
  var checkpoints = JSON.parse(document.getElementById("checkpoint-times").textContent);
  var passed = JSON.parse(document.getElementById("checkpoints-passed").textContent);
  var token = ds.playToken;
  var hiddenStops = ds.hiddenStops === "1";
  var session = null; // the open play session's id
  var seq = 0;
  var blocked = false; // superseded, stopped, prompt or question on screen
  var hiddenSincePrevious = false;
  var segStart = null; // where the current continuous play began
  var lastTime = 0; // the last position seen while playing normally
  var played = []; // segments closed since the last heartbeat
  var seeking = false;
  var promptTimer = null;
  var asking = null; // the question inside the video on screen

  function $(id) { return document.getElementById(id); }

  // One request at a time, in order: heartbeat numbers arrive rising.
  var queue = Promise.resolve();
  function post(url, body, keepalive) {
    var request = function () {
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        keepalive: !!keepalive,
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify(body || {}),
      }).then(function (r) {
        return r.json().then(function (data) { data.status = r.status; return data; });
      });
    };
    var result = queue.then(request, request);
    queue = result.catch(function () {});
    return result;
  }

  function showNotice(code) {
    ["superseded", "stopped", "ended"].forEach(function (c) { $("notice-" + c).hidden = c !== code; });
    $("player-notice").hidden = false;
    blocked = true;
    session = null;
    video.pause();
  }

  function open() {
    var attempt = token ? Promise.resolve({ token: token }) : post(ds.tokenUrl);
    token = null; // single use
    return attempt
      .then(function (data) { return post(ds.playUrl, { token: data.token }); })
      .then(function (data) {
        if (!data.session) { showNotice("ended"); return false; }
        session = data.session;
        seq = 0;
        blocked = false;
        $("player-notice").hidden = true;
        return true;
      });
  }

  function closeSegment() {
    if (segStart !== null && lastTime > segStart) {
      played.push([Math.floor(segStart), Math.ceil(lastTime)]);
    }
    segStart = video.paused || seeking || blocked ? null : lastTime;
  }

  function send(flags) {
    closeSegment();
    if (!session) { played = []; return Promise.resolve(); }
    seq += 1;
    var body = {
      session: session,
      seq: seq,
      position: Math.floor(video.currentTime),
      played: played,
      hidden: hiddenSincePrevious,
      paused: !!(flags && flags.paused),
      final: !!(flags && flags.final),
    };
    played = [];
    hiddenSincePrevious = document.hidden;
    return post(ds.heartbeatUrl, body, body.final).then(handle).catch(function () {});
  }

  function handle(data) {
    if (data.code === "superseded" || data.state === "superseded") return showNotice("superseded");
    if (data.code === "stopped" || data.state === "stopped") return showNotice("stopped");
    if (data.status >= 400 && data.code !== "replay") return showNotice("ended");
    if (typeof data.unique_seconds === "number") $("watched").textContent = data.unique_seconds;
    if (data.complete) $("complete-badge").hidden = false;
    if (data.prompt_deadline !== null && data.prompt_deadline !== undefined) askPresence(data.prompt_deadline);
  }

  // --- Presence prompts --------------------------------------------------------------
  function askPresence(seconds) {
    if (!$("presence-prompt").hidden) return;
    blocked = true;
    video.pause();
    var left = seconds;
    $("presence-left").textContent = left;
    $("presence-prompt").hidden = false;
    promptTimer = setInterval(function () {
      left = Math.max(0, left - 1);
      $("presence-left").textContent = left;
    }, 1000);
  }

  $("presence-confirm").addEventListener("click", function () {
    clearInterval(promptTimer);
    $("presence-prompt").hidden = true;
    post(ds.presenceUrl, { session: session }).then(function (data) {
      if (data.state !== "active") return showNotice(data.code === "superseded" ? "superseded" : "stopped");
      blocked = false;
      if (typeof data.unique_seconds === "number") $("watched").textContent = data.unique_seconds;
      if (data.complete) $("complete-badge").hidden = false;
      video.play();
    });
  });

  $("resume-here").addEventListener("click", function () {
    open().then(function (ok) { if (ok) video.play(); });
  });

  // --- Questions inside the video ------------------------------------------------------
  function dueCheckpoint(t) {
    for (var i = 0; i < checkpoints.length; i++) {
      var c = checkpoints[i];
      if (passed.indexOf(c.id) < 0) return t >= c.at ? c : null;
    }
    return null;
  }

  function previousMoment(at) {
    var start = 0;
    checkpoints.forEach(function (c) { if (c.at < at && c.at > start) start = c.at; });
    return start;
  }

  function rewind(to) {
    $("checkpoint").hidden = true;
    asking = null;
    blocked = false;
    video.currentTime = to;
    lastTime = video.currentTime;
    video.play();
  }

  function ask(c) {
    asking = c;
    blocked = true;
    video.pause();
    video.currentTime = c.at;
    post(ds.checkpointUrl.replace(/\/0\/$/, "/" + c.id + "/"), { session: session }).then(function (q) {
      if (q.code === "rewatch") {
        // Wrong answers: the server asks again once this segment is played again.
        $("checkpoint-rewatch").textContent = q.error;
        $("checkpoint-rewatch").hidden = false;
        var from = previousMoment(c.at);
        // Nothing to play again (a question at the very start): stay on it and ask
        // again each second until the server's real-time wait is over.
        if (c.at - from < 1) return setTimeout(function () { ask(c); }, 1000);
        return rewind(from);
      }
      if (!q.id) return handle(q);
      $("checkpoint-rewatch").hidden = true;
      $("checkpoint-rewound").hidden = true;
      $("checkpoint-prompt").textContent = q.prompt;
      var box = $("checkpoint-options");
      box.textContent = "";
      if (q.kind === "fill_in") {
        var text = document.createElement("input");
        text.type = "text";
        text.id = "checkpoint-text";
        text.maxLength = 200;
        text.setAttribute("aria-labelledby", "checkpoint-prompt");
        box.appendChild(text);
      }
      q.options.forEach(function (option, i) {
        var label = document.createElement("label");
        var input = document.createElement("input");
        input.type = q.kind === "multiple" ? "checkbox" : "radio";
        input.name = "chosen";
        input.value = String(i + 1);
        label.appendChild(input);
        label.appendChild(document.createTextNode(" " + option));
        box.appendChild(label);
      });
      $("checkpoint").hidden = false;
    });
  }

  $("checkpoint").addEventListener("submit", function (event) {
    event.preventDefault();
    var chosen = Array.prototype.map.call(
      document.querySelectorAll("#checkpoint-options input:checked"),
      function (input) { return parseInt(input.value, 10); }
    );
    var text = $("checkpoint-text");
    var c = asking;
    var body = { session: session, chosen: chosen };
    if (text) body.text = text.value;
    post(ds.checkpointUrl.replace(/\/0\/$/, "/" + c.id + "/answer/"), body)
      .then(function (result) {
        if (result.status >= 400) return handle(result);
        if (result.passed) {
          $("checkpoint-wrong").hidden = true;
          $("checkpoint").hidden = true;
          asking = null;
          blocked = false;
          passed.push(c.id);
          video.play();
        } else if (result.rewind_to === null) {
          $("checkpoint").hidden = true; // asked again at once
          $("checkpoint-wrong").hidden = false;
          ask(c);
        } else {
          $("checkpoint-wrong").hidden = true;
          $("checkpoint-rewound").hidden = false;
          rewind(result.rewind_to);
        }
      });
  });

  // --- Playback ------------------------------------------------------------------------
  video.addEventListener("loadedmetadata", function () {
    if (resume > 0 && resume < video.duration - 3) video.currentTime = resume;
    lastTime = video.currentTime;
  });
  video.addEventListener("play", function () {
    if (blocked) { video.pause(); return; }
    if (!session) {
      video.pause();
      open().then(function (ok) { if (ok) video.play(); });
    }
  });
  video.addEventListener("playing", function () {
    seeking = false;
    lastTime = video.currentTime;
    segStart = blocked || !session ? null : lastTime;
  });
  video.addEventListener("timeupdate", function () {
    if (seeking || video.paused || blocked) return;
    var t = video.currentTime;
    var due = dueCheckpoint(t);
    if (due) {
      lastTime = Math.min(t, due.at);
      closeSegment();
      send({ paused: true });
      ask(due);
      return;
    }
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
    segStart = video.paused || blocked ? null : lastTime;
  });
  video.addEventListener("pause", function () { if (!asking) send({ paused: true }); });
  video.addEventListener("ended", function () { send({ paused: true }); });
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      if (hiddenStops && !video.paused) {
        send({ paused: true }); // what was played in sight, before the server stops counting
        video.pause();
      }
      hiddenSincePrevious = true;
    } else if (video.paused) {
      hiddenSincePrevious = false;
    }
  });
  window.addEventListener("pagehide", function () { send({ final: true }); });
  setInterval(function () { if (!video.paused && !blocked) send(); }, interval);
  window.lessonPlayer = { flush: send };
})();
