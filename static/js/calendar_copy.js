// "Copy the address" on the calendar page: shown only where the browser can copy for us.
(function () {
  var button = document.getElementById("copy-feed");
  var input = document.getElementById("feed-url");
  var status = document.getElementById("copy-status");
  if (!button || !input || !navigator.clipboard) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(input.value).then(function () {
      status.textContent = "Address copied.";
    }, function () {
      input.select();
      status.textContent = "Select the address and copy it.";
    });
  });
})();
