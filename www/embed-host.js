// For pages that embed Backprop Lab panels in iframes: sizes each frame to its content.
// Usage: <script src=".../www/embed-host.js" defer></script> anywhere on the page.
(function () {
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "backprop-lab:height" || typeof data.height !== "number") return;
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i += 1) {
      if (frames[i].contentWindow === event.source) {
        frames[i].style.height = Math.max(100, Math.min(20000, Math.ceil(data.height))) + "px";
      }
    }
  });
})();
