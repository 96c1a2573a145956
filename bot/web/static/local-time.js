// Progressive enhancement: meetings with a time are shown in the reader's own zone.
// Without JavaScript the venue's time (and zone) stays readable. Date-only values are never touched.
(function () {
  "use strict";
  var fmt;
  try {
    fmt = new Intl.DateTimeFormat(undefined, {
      weekday: "short", day: "numeric", month: "short", year: "numeric",
      hour: "2-digit", minute: "2-digit", timeZoneName: "short"
    });
  } catch (e) { return; }
  function run() {
    var nodes = document.querySelectorAll("time.instant[datetime]");
    for (var i = 0; i < nodes.length; i++) {
      var el = nodes[i];
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when.getTime())) { continue; }
      el.title = "Venue time: " + el.textContent;
      el.textContent = fmt.format(when) + " (your time)";
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else { run(); }
})();
