// Check-in at a venue with coordinates: ask the phone for its location and send it
// with the check-in. The server measures the distance and refuses or flags; a
// refused permission sends no location, which the server treats by its own rule.
(function () {
  "use strict";
  var form = document.getElementById("check-in-form");
  if (!form || !form.dataset.needsLocation || !navigator.geolocation) return;
  var asked = false;
  form.addEventListener("submit", function (e) {
    if (asked) return;
    e.preventDefault();
    asked = true;
    var button = document.getElementById("check-in");
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (pos) {
        form.elements.latitude.value = pos.coords.latitude;
        form.elements.longitude.value = pos.coords.longitude;
        form.submit();
      },
      function () {
        form.submit();
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
})();
