// Resumable chunked upload: create → PUT chunks at the server's offset → complete.
// An interrupted upload of the same file resumes where the server says it stopped.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form) return;
  var status = document.getElementById("upload-status");
  var bar = document.getElementById("upload-progress");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var chunkSize = parseInt(form.dataset.chunk, 10);

  function say(text, isError) {
    status.textContent = text;
    status.className = isError ? "error" : "";
  }
  function json(method, url, body) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: body ? JSON.stringify(body) : undefined,
    }).then(function (r) {
      return r.json().then(function (data) { data._status = r.status; return data; });
    });
  }
  function videoDuration(file) {
    return new Promise(function (resolve) {
      var v = document.createElement("video");
      v.preload = "metadata";
      v.onloadedmetadata = function () {
        var d = v.duration;
        URL.revokeObjectURL(v.src);
        resolve(isFinite(d) ? d : 0);
      };
      v.onerror = function () { resolve(0); };
      v.src = URL.createObjectURL(file);
    });
  }
  function putChunk(url, file, offset) {
    return new Promise(function (resolve, reject) {
      var blob = file.slice(offset, Math.min(offset + chunkSize, file.size));
      var xhr = new XMLHttpRequest();
      xhr.open("PUT", url);
      xhr.setRequestHeader("X-CSRFToken", csrf);
      xhr.setRequestHeader("Upload-Offset", String(offset));
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      xhr.upload.onprogress = function (e) {
        var done = offset + (e.lengthComputable ? e.loaded : 0);
        var pct = Math.floor((100 * done) / file.size);
        bar.value = pct;
        say(status.dataset.msgSending.replace("%s", pct));
      };
      xhr.onload = function () {
        var data = {};
        try { data = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
        data._status = xhr.status;
        resolve(data);
      };
      xhr.onerror = function () { reject(new Error("network")); };
      xhr.send(blob);
    });
  }
  function sendAll(up, file, key) {
    var failures = 0;
    function step(offset) {
      if (offset >= file.size) {
        return json("POST", up.url + "complete/").then(function (data) {
          if (data._status !== 201) throw new Error(data.error);
          localStorage.removeItem(key);
          bar.value = 100;
          say(status.dataset.msgDone);
          setTimeout(function () { window.location.reload(); }, 800);
        });
      }
      return putChunk(up.url, file, offset).then(
        function (data) {
          failures = 0;
          if (data._status === 200) return step(data.offset);
          if (data._status === 409 && typeof data.offset === "number") return step(data.offset);
          localStorage.removeItem(key);
          throw new Error(data.error || String(data._status));
        },
        function () {
          failures += 1;
          if (failures > 8) throw new Error(status.dataset.msgRetry);
          say(status.dataset.msgRetry, true);
          return new Promise(function (r) { setTimeout(r, 1000 * failures); }).then(function () {
            return json("GET", up.url).then(function (s) { return step(s.offset); }, function () { return step(offset); });
          });
        }
      );
    }
    return step(up.offset);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var file = document.getElementById("upload-file").files[0];
    if (!file) return;
    var kind = form.kind.value;
    var course = form.course.value;
    var key = ["upload", course, kind, file.name, file.size, file.lastModified].join(":");
    bar.hidden = false;
    document.getElementById("upload-button").disabled = true;
    var saved = localStorage.getItem(key);
    var ready = saved
      ? json("GET", saved).then(function (s) {
          if (s._status === 200 && s.status === "active") {
            say(status.dataset.msgResume);
            return { url: saved, offset: s.offset };
          }
          return null;
        })
      : Promise.resolve(null);
    ready
      .then(function (up) {
        if (up) return up;
        say(status.dataset.msgReading);
        var duration = kind === "video" ? videoDuration(file) : Promise.resolve(0);
        return duration.then(function (d) {
          return json("POST", form.dataset.startUrl, {
            course: course, kind: kind, title: form.title.value,
            filename: file.name, size: file.size, duration: d,
          }).then(function (data) {
            if (data._status !== 201) throw new Error(data.error);
            localStorage.setItem(key, data.url);
            return { url: data.url, offset: 0 };
          });
        });
      })
      .then(function (up) { return sendAll(up, file, key); })
      .catch(function (err) {
        say(err.message, true);
        document.getElementById("upload-button").disabled = false;
      });
  });
})();
