// For pages that embed Backprop Lab panels in iframes: sizes each frame to its content.
// Usage: <script src=".../www/embed-host.js" defer></script> anywhere on the page.
// A frame is resized only if it shows a Backprop Lab panel (its link has panel= and embed=1)
// and only by a message from that frame's own window and origin.
(function () {
  function isPanelFrame(frame, origin) {
    var url;
    try {
      url = new URL(frame.src, window.location.href);
    } catch (error) {
      return false;
    }
    var sameOrigin = url.origin === origin || (url.protocol === "file:" && origin === "null");
    return sameOrigin && url.searchParams.get("embed") === "1" && url.searchParams.has("panel");
  }
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "backprop-lab:height" || typeof data.height !== "number" || !isFinite(data.height)) return;
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i += 1) {
      if (frames[i].contentWindow === event.source && isPanelFrame(frames[i], event.origin)) {
        frames[i].style.height = Math.max(100, Math.min(20000, Math.ceil(data.height))) + "px";
      }
    }
  });
})();
