// For pages that embed Backprop Lab panels in iframes: sizes each frame to its content.
// Usage: <script src=".../www/embed-host.js" defer></script> anywhere on the page.
// A height is taken only
//  - from an origin the host page allows: by default this script's own origin, or the
//    origins listed in the script's data-origins attribute (space-separated);
//  - by the frame whose window sent it, whose link opens a panel embedded (panel= and
//    embed=1);
//  - when the message names that same panel and page: a frame that has navigated to another
//    page of the site, or another panel, is not resized.
(function () {
  var script = document.currentScript;
  var allowed = [];
  var listed = script && script.getAttribute("data-origins");
  if (listed) {
    allowed = listed.split(/\s+/).filter(Boolean);
  } else if (script && script.src) {
    try {
      allowed = [new URL(script.src, window.location.href).origin];
    } catch (error) {
      allowed = [];
    }
  }

  function panelOf(frame, data) {
    var url;
    try {
      url = new URL(frame.src, window.location.href);
    } catch (error) {
      return false;
    }
    if (url.searchParams.get("embed") !== "1") return false;
    return url.searchParams.get("panel") === data.panel && url.pathname === data.path;
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "backprop-lab:height" || typeof data.height !== "number" || !isFinite(data.height)) return;
    if (typeof data.panel !== "string" || typeof data.path !== "string") return;
    if (allowed.indexOf(event.origin) < 0) return;
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i += 1) {
      if (frames[i].contentWindow === event.source && panelOf(frames[i], data)) {
        frames[i].style.height = Math.max(100, Math.min(20000, Math.ceil(data.height))) + "px";
      }
    }
  });
})();
