// Finder: "Use my location" fills latitude and longitude from the browser's
// geolocation, only when the reader asks and allows it. Without JavaScript the
// button stays hidden and the fields can be filled in by hand.
(function () {
  "use strict";
  var button = document.querySelector("[data-geolocate]");
  if (!button || !("geolocation" in navigator)) {
    return;
  }
  var wrapper = button.closest(".finder__geolocate");
  var status = wrapper.querySelector(".finder__geolocate-status");
  var latitude = document.getElementById("finder-lat");
  var longitude = document.getElementById("finder-lng");
  wrapper.hidden = false;

  button.addEventListener("click", function () {
    status.textContent = "Asking your browser for your location…";
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        // Five decimals (about a metre) is plenty; the search is by kilometres.
        latitude.value = position.coords.latitude.toFixed(5);
        longitude.value = position.coords.longitude.toFixed(5);
        status.textContent = "Location filled in. Choose a distance and press Show therapists.";
        button.disabled = false;
      },
      function () {
        status.textContent =
          "Your location is not available. You can type a city or postal code instead.";
        button.disabled = false;
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 }
    );
  });
})();

// A link to one filter group ("/therapists/#group-language", from an article's
// call to action): open the closed filters panel at that group. Browsers that
// open a <details> for a fragment inside it do this without JavaScript.
(function () {
  "use strict";
  var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
  var panel = target && target.closest("details.finder__filters");
  if (panel && !panel.open) {
    panel.open = true;
    target.scrollIntoView();
  }
})();
