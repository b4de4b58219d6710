// Sharing's little behaviour: "Copy link" copies the share link next to it. Delegated from the
// document, so that a link shown later by htmx (the Share dialog's result) needs no wiring.
(function () {
  "use strict";
  if (window.playgroundSharing) return; // the script may be on a page twice
  window.playgroundSharing = true;

  function say(button, words) {
    var status = button.parentElement && button.parentElement.querySelector(".copy-status");
    if (status) status.textContent = words;
  }

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element && event.target.closest("[data-copy]");
    if (!button) return;
    var input = document.getElementById(button.dataset.copy);
    if (!input) return;
    input.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(
        function () { say(button, "Copied."); },
        function () { say(button, "Selected: press Ctrl+C or ⌘+C to copy."); }
      );
    } else {
      say(button, "Selected: press Ctrl+C or ⌘+C to copy.");
    }
  });
})();
