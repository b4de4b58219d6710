// The compare page's own behaviour: the address of a session once its first prompt is sent,
// metrics and the tokens-over-time chart while the lanes stream (estimates from what arrives;
// the server's final figures replace them when an answer ends), and synchronised scrolling.
// Handlers are delegated from the document, so that lanes and answers swapped in need no wiring.
(function () {
  "use strict";

  var CHART_WIDTH = 320;
  var CHART_HEIGHT = 120;
  var CHARS_PER_TOKEN = 4; // a rough estimate, shown with "≈" until the real count arrives

  var sentAt = null;
  var live = {}; // lane id -> {answerId, first, samples: [[ms, tokens]], last}
  var streamingBefore = 0;

  function byId(id) {
    return document.getElementById(id);
  }

  function lanes() {
    return Array.prototype.slice.call(document.querySelectorAll("section.lane"));
  }

  function lastAnswer(lane) {
    var answers = lane.querySelectorAll("article.message-assistant");
    return answers.length ? answers[answers.length - 1] : null;
  }

  function cell(laneId, metric) {
    return document.querySelector(
      '#compare-metrics td[data-lane="' + laneId + '"][data-metric="' + metric + '"]'
    );
  }

  function show(laneId, metric, text) {
    var target = cell(laneId, metric);
    if (target) target.textContent = text;
  }

  function streamedChars(answer) {
    var count = 0;
    answer.querySelectorAll(".thinking-body, .text-body, .tool-input").forEach(function (body) {
      count += body.textContent.length;
    });
    return count;
  }

  // --- live metrics while answers stream ----------------------------------------------------

  function measure() {
    var now = performance.now();
    var start = sentAt === null ? now : sentAt;
    var streaming = 0;
    lanes().forEach(function (lane) {
      var laneId = lane.dataset.lane;
      var answer = lastAnswer(lane);
      if (!answer || !answer.classList.contains("state-streaming")) return;
      streaming += 1;
      var state = live[laneId];
      if (!state || state.answerId !== answer.id) {
        state = live[laneId] = { answerId: answer.id, first: null, samples: [[0, 0]] };
      }
      var tokens = Math.round(streamedChars(answer) / CHARS_PER_TOKEN);
      if (tokens > 0 && state.first === null) state.first = now;
      var elapsed = now - start;
      state.samples.push([elapsed, tokens]);
      if (state.first !== null) show(laneId, "first_token", "≈" + Math.round(state.first - start) + " ms");
      show(laneId, "total", Math.round(elapsed) + " ms…");
      show(laneId, "tokens", "≈" + tokens);
      var writing = (now - (state.first || now)) / 1000;
      if (writing > 0.05) show(laneId, "rate", "≈" + (tokens / writing).toFixed(1));
      show(laneId, "stop_reason", "streaming");
    });
    drawLive();
    if (streaming < streamingBefore) {
      // An answer ended: the server's figures (and its chart line) replace the estimates.
      document.body.dispatchEvent(new CustomEvent("compare-answers-ended"));
    }
    streamingBefore = streaming;
  }

  function drawLive() {
    var longest = 1;
    var most = 1;
    Object.keys(live).forEach(function (laneId) {
      live[laneId].samples.forEach(function (sample) {
        longest = Math.max(longest, sample[0]);
        most = Math.max(most, sample[1]);
      });
    });
    Object.keys(live).forEach(function (laneId) {
      var lane = byId("lane-" + laneId);
      var answer = lane && lastAnswer(lane);
      if (!answer || !answer.classList.contains("state-streaming")) return;
      var line = document.querySelector('#compare-chart polyline[data-lane="' + laneId + '"]');
      if (!line) return;
      var points = live[laneId].samples.map(function (sample) {
        var x = (sample[0] * CHART_WIDTH) / longest;
        var y = CHART_HEIGHT - (sample[1] * CHART_HEIGHT) / most;
        return x.toFixed(1) + "," + y.toFixed(1);
      });
      line.setAttribute("points", points.join(" "));
    });
  }

  document.addEventListener("submit", function (event) {
    if (event.target && event.target.id === "compose") {
      var submitter = event.submitter;
      if (!submitter || submitter.value !== "stop_all") sentAt = performance.now();
    }
  }, true);

  // --- after each websocket message ---------------------------------------------------------

  var atBottom = {};

  document.addEventListener("htmx:wsBeforeMessage", function () {
    document.querySelectorAll(".lane-scroll").forEach(function (scroll) {
      atBottom[scroll.parentElement.id] =
        scroll.scrollHeight - scroll.scrollTop - scroll.clientHeight < 60;
    });
  });

  document.addEventListener("htmx:wsAfterMessage", function () {
    var url = byId("compare-url");
    var path = url && url.dataset.url;
    if (path && path !== window.location.pathname) window.history.replaceState(null, "", path);
    document.querySelectorAll(".lane-scroll").forEach(function (scroll) {
      if (atBottom[scroll.parentElement.id] !== false) scroll.scrollTop = scroll.scrollHeight;
    });
    measure();
  });

  // A finished answer arrives by an ordinary request (its rendered markdown), not the socket.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.target;
    if (target instanceof Element && target.closest(".lane")) measure();
  });

  // --- synchronised scrolling ----------------------------------------------------------------

  var syncing = false;

  document.addEventListener("scroll", function (event) {
    var source = event.target;
    var toggle = byId("sync-scroll");
    if (syncing || !toggle || !toggle.checked) return;
    if (!(source instanceof Element) || !source.classList.contains("lane-scroll")) return;
    var range = source.scrollHeight - source.clientHeight;
    var ratio = range > 0 ? source.scrollTop / range : 0;
    syncing = true;
    document.querySelectorAll(".lane-scroll").forEach(function (other) {
      if (other !== source) other.scrollTop = ratio * (other.scrollHeight - other.clientHeight);
    });
    window.requestAnimationFrame(function () {
      syncing = false;
    });
  }, true);

  // --- the prompt survives the reloads that lane changes make -----------------------------
  // Adding, removing or duplicating a lane reloads the page (its settings are saved first); the
  // prompt typed and not sent yet is kept in this tab's session storage across that reload. An
  // accepted send empties the box, so nothing already sent comes back.

  function draftKey() {
    return "playground-compare-prompt:" + window.location.pathname;
  }

  window.addEventListener("pagehide", function () {
    var box = byId("id_message");
    if (!box || !window.sessionStorage) return;
    if (box.value) window.sessionStorage.setItem(draftKey(), box.value);
    else window.sessionStorage.removeItem(draftKey());
  });

  function restoreDraft() {
    var box = byId("id_message");
    var draft = window.sessionStorage && window.sessionStorage.getItem(draftKey());
    if (box && draft && !box.value) box.value = draft;
  }

  document.addEventListener("DOMContentLoaded", function () {
    restoreDraft();
    streamingBefore = lanes().filter(function (lane) {
      var answer = lastAnswer(lane);
      return answer && answer.classList.contains("state-streaming");
    }).length;
  });
})();
