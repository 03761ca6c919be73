// The session timer: walks the agenda one segment at a time. Each segment
// counts down its planned minutes, then counts the overrun until the pair
// presses "Next segment"; the minutes each one actually took are recorded for
// the measure step. Pause stops the clock. Without JavaScript the agenda is
// still there; the buttons stay hidden.
(function () {
  "use strict";
  var agenda = document.getElementById("agenda");
  var segments = Array.prototype.slice.call(document.querySelectorAll("#agenda .segment"));
  var start = document.getElementById("timer-start");
  var pause = document.getElementById("timer-pause");
  var next = document.getElementById("timer-next");
  var stop = document.getElementById("timer-stop");
  var now = document.getElementById("timer-now");
  if (!agenda || !segments.length || !start || !pause || !next || !stop) return;
  start.hidden = false;
  var ticker = null, current = -1, spent = 0, since = 0, paused = false;

  function seconds() {
    return spent + (paused ? 0 : (Date.now() - since) / 1000);
  }

  function clock(s) {
    var m = Math.floor(s / 60), r = Math.floor(s % 60);
    return m + ":" + (r < 10 ? "0" : "") + r;
  }

  function show() {
    segments.forEach(function (li, i) {
      li.classList.toggle("past", i < current);
      li.classList.toggle("current", i === current);
      var label = li.querySelector(".remaining");
      if (i !== current) { label.textContent = ""; return; }
      var left = Number(li.dataset.minutes) * 60 - seconds();
      label.textContent = left >= 0 ? clock(left) + " left" : clock(-left) + " over";
    });
  }

  // A finished segment's minutes go to the server; a failure only costs the measure.
  function record(i, secs) {
    var body = new URLSearchParams();
    body.set("csrf", agenda.dataset.csrf);
    body.set("segment", segments[i].dataset.name);
    body.set("minutes", String(Math.round(secs / 60)));
    fetch(agenda.dataset.record, { method: "POST", body: body, credentials: "same-origin" }).catch(function () {});
  }

  function enter(i) {
    current = i; spent = 0; since = Date.now(); paused = false;
    pause.textContent = "Pause";
    if (i < segments.length) {
      now.textContent = "Now: " + segments[i].dataset.name;
      segments[i].classList.add("changed");
      setTimeout(function () { segments[i].classList.remove("changed"); }, 1500);
    }
    show();
  }

  function halt() {
    if (ticker !== null) clearInterval(ticker);
    ticker = null; current = -1;
    start.hidden = false; pause.hidden = true; next.hidden = true; stop.hidden = true;
    now.textContent = "";
    show();
  }

  start.addEventListener("click", function () {
    enter(0);
    ticker = setInterval(show, 1000);
    start.hidden = true; pause.hidden = false; next.hidden = false; stop.hidden = false;
    next.focus();
  });
  pause.addEventListener("click", function () {
    if (paused) { since = Date.now(); paused = false; pause.textContent = "Pause"; }
    else { spent = seconds(); paused = true; pause.textContent = "Resume"; }
    show();
  });
  next.addEventListener("click", function () {
    record(current, seconds());
    if (current + 1 < segments.length) { enter(current + 1); }
    else { halt(); now.textContent = "Session done: each part's time is recorded."; start.focus(); }
  });
  stop.addEventListener("click", function () { halt(); start.focus(); });
})();
