// The session timer: walks the agenda one segment at a time. Each segment
// counts down its planned minutes, then counts the overrun until the pair
// presses "Next segment". The server keeps the timer (which segment, since
// when, paused or not), so a reload or the partner's device shows the same
// segment and time; "Next segment" records how long the part took for the
// measure step. Without JavaScript the page still shows the segment running
// and its time left as of the page load; the buttons stay hidden.
(function () {
  "use strict";
  var agenda = document.getElementById("agenda");
  var segments = Array.prototype.slice.call(document.querySelectorAll("#agenda .segment"));
  var start = document.getElementById("timer-start");
  var pause = document.getElementById("timer-pause");
  var next = document.getElementById("timer-next");
  var stop = document.getElementById("timer-stop");
  var bar = document.getElementById("timer-bar");
  var now = document.getElementById("timer-now");
  var countdown = document.getElementById("timer-countdown");
  if (!agenda || !agenda.dataset.record || !segments.length || !start || !pause || !next || !stop) return;

  // The timer as the server last said, and when we heard it.
  var state = {
    running: agenda.dataset.running === "true",
    segment: agenda.dataset.segment === "" ? null : Number(agenda.dataset.segment),
    elapsed: Number(agenda.dataset.elapsed) || 0,
    paused: agenda.dataset.paused === "true"
  };
  var heard = Date.now();
  var busy = false;

  function seconds() {
    return state.elapsed + (state.paused ? 0 : (Date.now() - heard) / 1000);
  }

  function clock(s) {
    var m = Math.floor(s / 60), r = Math.floor(s % 60);
    return m + ":" + (r < 10 ? "0" : "") + r;
  }

  function show() {
    var running = state.running && state.segment !== null && state.segment < segments.length;
    start.hidden = running; pause.hidden = !running; next.hidden = !running; stop.hidden = !running;
    pause.textContent = state.paused ? "Resume" : "Pause";
    if (bar) bar.hidden = !running;
    segments.forEach(function (li, i) {
      li.classList.toggle("past", running && i < state.segment);
      li.classList.toggle("current", running && i === state.segment);
      if (running && i === state.segment) li.setAttribute("aria-current", "step");
      else li.removeAttribute("aria-current");
    });
    if (!running) return;
    var li = segments[state.segment];
    var left = Number(li.dataset.minutes) * 60 - seconds();
    now.innerHTML = "";
    now.appendChild(document.createTextNode("Now: "));
    var name = document.createElement("strong");
    name.textContent = li.dataset.name;
    now.appendChild(name);
    countdown.textContent = (left >= 0 ? clock(left) + " left" : clock(-left) + " over") + (state.paused ? " (paused)" : "");
    countdown.classList.toggle("over", left < 0);
  }

  function take(view) {
    var moved = view.segment !== state.segment;
    state = { running: view.running, segment: view.segment, elapsed: view.elapsed_seconds, paused: view.paused };
    heard = Date.now();
    if (moved && state.segment !== null && segments[state.segment]) {
      var li = segments[state.segment];
      li.classList.add("changed");
      setTimeout(function () { li.classList.remove("changed"); }, 1500);
    }
    show();
  }

  function press(action) {
    if (busy) return;
    busy = true;
    var body = new URLSearchParams();
    body.set("csrf", agenda.dataset.csrf);
    body.set("action", action);
    if (state.segment !== null) body.set("segment", String(state.segment));
    fetch(agenda.dataset.record, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (view) { if (view) take(view); })
      .catch(function () {})
      .then(function () { busy = false; });
  }

  // The partner may press on their device: look every quarter minute.
  function refresh() {
    if (busy || document.hidden) return;
    fetch(agenda.dataset.record, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (view) { if (view) take(view); })
      .catch(function () {});
  }

  start.addEventListener("click", function () { press("start"); next.focus(); });
  pause.addEventListener("click", function () { press(state.paused ? "resume" : "pause"); });
  next.addEventListener("click", function () { press("next"); });
  stop.addEventListener("click", function () { press("stop"); start.focus(); });
  show();
  setInterval(show, 1000);
  setInterval(refresh, 15000);
  document.addEventListener("visibilitychange", refresh);
})();
