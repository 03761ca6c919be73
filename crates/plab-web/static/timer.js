// The session timer: counts down each agenda segment in turn. Without
// JavaScript the agenda is still there; the buttons stay hidden.
(function () {
  "use strict";
  var segments = Array.prototype.slice.call(document.querySelectorAll("#agenda .segment"));
  var start = document.getElementById("timer-start");
  var stop = document.getElementById("timer-stop");
  if (!segments.length || !start || !stop) return;
  start.hidden = false;
  var ticker = null;

  function clear() {
    segments.forEach(function (li) {
      li.classList.remove("current", "past");
      li.querySelector(".remaining").textContent = "";
    });
  }

  function tick(startedAt) {
    var elapsed = (Date.now() - startedAt) / 1000;
    var offset = 0;
    segments.forEach(function (li) {
      var length = Number(li.dataset.minutes) * 60;
      var remaining = offset + length - elapsed;
      var label = li.querySelector(".remaining");
      li.classList.toggle("past", remaining <= 0);
      li.classList.toggle("current", remaining > 0 && elapsed >= offset);
      if (remaining > 0 && elapsed >= offset) {
        var m = Math.floor(remaining / 60), s = Math.floor(remaining % 60);
        label.textContent = m + ":" + (s < 10 ? "0" : "") + s + " left";
      } else {
        label.textContent = "";
      }
      offset += length;
    });
    if (elapsed >= offset) halt();
  }

  function halt() {
    if (ticker !== null) clearInterval(ticker);
    ticker = null;
    start.hidden = false;
    stop.hidden = true;
  }

  start.addEventListener("click", function () {
    clear();
    var startedAt = Date.now();
    tick(startedAt);
    ticker = setInterval(function () { tick(startedAt); }, 1000);
    start.hidden = true;
    stop.hidden = false;
    stop.focus();
  });
  stop.addEventListener("click", function () { halt(); clear(); start.focus(); });
})();
