// Tells the server the browser's time zone (a cookie), so deadlines also show in the reader's
// own time on the next page. Pages work without it: they then show the program's time only.
// A time-zone menu marked data-browser-zone and still unanswered is set to the browser's zone.
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone || !/^[A-Za-z0-9_+\-\/]{1,64}$/.test(zone)) {
    return;
  }
  var current = document.cookie.split("; ").filter(function (c) {
    return c.indexOf("tz=") === 0;
  })[0];
  if (current !== "tz=" + zone) {
    var secure = window.location.protocol === "https:" ? "; Secure" : "";
    document.cookie = "tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax" + secure;
  }
  document.querySelectorAll("select[data-browser-zone]").forEach(function (select) {
    if (select.value) {
      return;
    }
    var option = Array.prototype.find.call(select.options, function (o) {
      return o.value === zone;
    });
    if (option) {
      select.value = zone;
    }
  });
})();
