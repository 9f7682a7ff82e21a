// Client of the quiesce HTML timeline: draws lanes, slices, instants and counters as SVG; zoom, pan, a pinned detail panel. No libraries.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("quiesce-data").textContent);
  var m = data.model, colors = data.colors, L = data.layout;
  var svg = document.getElementById("tl-svg"), plot = document.getElementById("plot"), tip = document.getElementById("tip");
  var NS = "http://www.w3.org/2000/svg";
  var rpmColors = data.rpmColors || [];
  // Rows: the system, then each device in lane order, its runtime-PM sub-lane right under it (html.ts labels them so).
  var laneOf = {}, rpmRowOf = {}, nLanes = 1;
  var rpmLanes = m.rpmLanes || [];
  m.lanes.forEach(function (d) {
    laneOf[d] = nLanes++;
    if (rpmLanes.indexOf(d) >= 0) rpmRowOf[d] = nLanes++;
  });
  var height = L.axis + nLanes * L.lane + m.counters.length * L.counter + 2;
  var full = fitRange(m.start, m.end);
  var view = { t0: full.t0, t1: full.t1 };
  var W = 800;
  var detail = document.getElementById("detail");
  /** Index into m.slices of the slice whose details are pinned, or -1. */
  var pinned = -1;
  /** Failed device slices in time order: n / p step through them. */
  var failures = [];
  m.slices.forEach(function (s, i) { if (s.failed && s.device >= 0) failures.push(i); });
  failures.sort(function (a, b) { return m.slices[a].start - m.slices[b].start; });

  function fitRange(a, b) {
    var span = Math.max(b - a, 1), pad = span * 0.03;
    return { t0: a - pad, t1: b + pad };
  }
  function name(d) { return d < 0 ? "system" : m.devices[d] ? m.devices[d].name : "device " + d; }
  function stage(s) { return s === 3 ? "platform sleep" : (m.stageNames[s] || "stage " + s); }
  function status(s) { return m.statusNames[s] || "status " + s; }
  // formatDuration / formatCurrent: host-sim/units.ts, inlined by html.ts (one format with the shell).
  function fmt(us) { return formatDuration(us); }
  function X(t) { return (t - view.t0) / (view.t1 - view.t0) * W; }
  function laneY(lane) { return L.axis + lane * L.lane; }
  function counterY(i) { return L.axis + nLanes * L.lane + i * L.counter; }
  function el(tag, attrs, parent, text) {
    var e = document.createElementNS(NS, tag);
    for (var k in attrs) if (attrs[k] !== undefined && attrs[k] !== null) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    (parent || svg).appendChild(e);
    return e;
  }
  function visible(a, b) { return b >= view.t0 && a <= view.t1; }

  function tickStep() {
    var raw = (view.t1 - view.t0) / Math.max(W / 110, 1);
    var p = Math.pow(10, Math.floor(Math.log10(raw)));
    var n = raw / p;
    return (n < 1.5 ? 1 : n < 3.5 ? 2 : n < 7.5 ? 5 : 10) * p;
  }
  function tickLabel(t, step) {
    if (step >= 1e5) return (t / 1e6).toFixed(Math.max(0, -Math.floor(Math.log10(step / 1e6)))) + " s";
    if (step >= 100) return (t / 1e3).toFixed(Math.max(0, -Math.floor(Math.log10(step / 1e3)))) + " ms";
    return t.toFixed(Math.max(0, -Math.floor(Math.log10(step)))) + " us";
  }

  function drawGrid() {
    for (var i = 0; i < nLanes; i++) {
      if (i % 2 === 1) el("rect", { x: 0, y: laneY(i), width: W, height: L.lane, fill: "#fafbfd" });
      el("line", { x1: 0, x2: W, y1: laneY(i + 1) - 0.5, y2: laneY(i + 1) - 0.5, stroke: "#f0f2f5" });
    }
    m.attempts.forEach(function (a) {
      var end = a.end < 0 ? m.end : a.end;
      if (!visible(a.start, end)) return;
      var bad = a.outcome > 0 || a.failStage >= 0;
      el("rect", { x: X(a.start), y: L.axis, width: Math.max(X(end) - X(a.start), 1), height: nLanes * L.lane,
        fill: bad ? "rgba(211,47,47,0.05)" : "rgba(46,125,50,0.04)", "class": "attempt-band", "data-attempt": a.index + 1 });
    });
    var g = el("g", { "class": "axis" });
    var step = tickStep();
    el("rect", { x: 0, y: 0, width: W, height: L.axis, fill: "#fff" }, g);
    for (var t = Math.ceil(view.t0 / step) * step; t <= view.t1; t += step) {
      var x = X(t);
      el("line", { x1: x, x2: x, y1: L.axis - 6, y2: height, stroke: "#eceef2" }, g);
      el("text", { x: x + 3, y: L.axis - 9 }, g, tickLabel(t, step));
    }
    el("line", { x1: 0, x2: W, y1: L.axis - 0.5, y2: L.axis - 0.5, stroke: "#d5d9e0" }, g);
  }

  function sliceTip(s) {
    var lines = [name(s.device) + " \u2014 " + stage(s.stage) + (s.rollback ? " (rollback)" : ""),
      fmt(s.start) + " \u2192 " + fmt(s.end) + "  (" + fmt(s.end - s.start) + ")",
      "status " + status(s.status) + (s.pending ? ", answered PENDING" : "") + (s.open ? ", still open when the trace ends" : "")];
    if (s.attempt >= 0) lines.push("attempt " + (s.attempt + 1));
    return lines.join("\n");
  }

  /** The value a counter held at time t (step function), or null without that counter. */
  function counterAt(name, t) {
    var c = null;
    m.counters.forEach(function (k) { if (k.name === name) c = k; });
    if (c === null || c.times.length === 0 || t < c.times[0]) return null;
    var v = c.values[0];
    for (var i = 0; i < c.times.length && c.times[i] <= t; i++) v = c.values[i];
    return v;
  }

  /** Pins slice i in the detail panel (-1 hides it): what a click on a slice or n / p shows. */
  function pin(i) {
    pinned = i;
    if (i < 0) { detail.hidden = true; render(); return; }
    var s = m.slices[i], dev = s.device >= 0 ? m.devices[s.device] : null;
    var budget = dev && dev.budgetUs && s.stage >= 0 ? dev.budgetUs[s.stage] : null;
    var parked = counterAt("parked requests", s.start);
    var rows = [
      ["device", name(s.device)],
      ["stage", stage(s.stage) + (s.rollback ? " (rollback)" : "")],
      ["status", status(s.status) + (s.failed ? " \u2716 failed" : "") + (s.pending ? ", answered PENDING" : "") + (s.open ? ", still open when the trace ends" : "")],
      ["start", fmt(s.start)],
      ["duration", fmt(s.end - s.start)],
      ["budget", budget ? fmt(budget) + " (" + Math.round((s.end - s.start) / budget * 100) + "% used)" : "-"],
      ["parked requests", parked === null ? "-" : String(parked)],
      ["attempt", s.attempt >= 0 ? String(s.attempt + 1) : "-"],
    ];
    while (detail.firstChild) detail.removeChild(detail.firstChild);
    var head = document.createElement("div");
    head.className = "detail-head" + (s.failed ? " bad" : "");
    head.textContent = name(s.device) + " \u2014 " + stage(s.stage);
    var close = document.createElement("button");
    close.textContent = "\u00d7";
    close.title = "unpin (Esc)";
    close.onclick = function () { pin(-1); };
    head.appendChild(close);
    detail.appendChild(head);
    var table = document.createElement("table");
    rows.forEach(function (r) {
      var tr = document.createElement("tr"), th = document.createElement("th"), td = document.createElement("td");
      th.textContent = r[0];
      td.textContent = r[1];
      td.setAttribute("data-field", r[0]);
      tr.appendChild(th);
      tr.appendChild(td);
      table.appendChild(tr);
    });
    detail.appendChild(table);
    detail.hidden = false;
    detail.setAttribute("data-slice", i);
    render();
  }

  /** n / p: the next or previous failed slice, brought into view and pinned. */
  function stepFailure(dir) {
    if (failures.length === 0) return;
    var k = failures.indexOf(pinned);
    k = k < 0 ? (dir > 0 ? 0 : failures.length - 1) : (k + dir + failures.length) % failures.length;
    var s = m.slices[failures[k]];
    var a = s.attempt >= 0 ? m.attempts[s.attempt] : null;
    if (a) showAttempt(a.index); else show(s.start, s.end);
    pin(failures[k]);
  }

  function drawSlices() {
    var markers = [];
    m.slices.forEach(function (s, index) {
      if (!visible(s.start, s.end)) return;
      var lane = s.device < 0 ? 0 : laneOf[s.device];
      var x0 = X(s.start), x1 = X(s.end);
      var x = Math.max(x0, -2), w = Math.max(Math.min(x1, W + 2) - x, 2.5);
      var y = laneY(lane) + 3, h = L.lane - 6;
      var r = el("rect", { x: x, y: y, width: w, height: h, rx: 2, fill: colors[s.stage] || "#999",
        "fill-opacity": s.rollback ? 0.55 : 1, "class": "slice" + (s.failed ? " failed" : "") + (s.rollback ? " rollback" : "") + (index === pinned ? " pinned" : ""),
        "data-device": name(s.device), "data-stage": m.stageNames[s.stage], "data-status": status(s.status) });
      r.__tip = sliceTip(s);
      r.__slice = index;
      if (s.rollback) el("rect", { x: x, y: y, width: w, height: h, fill: "url(#hatch)", "pointer-events": "none" });
      var label = s.device < 0 && s.stage === 3 ? "sleep" : m.stageNames[s.stage];
      if (w > label.length * 6.4 + 8) el("text", { x: x + 4, y: y + h / 2 + 4 }, undefined, label);
      if (s.failed && s.device >= 0) markers.push({ x: x + w, lane: lane, device: name(s.device), stage: m.stageNames[s.stage], text: "\u2716 " + m.stageNames[s.stage] + ": " + status(s.status) });
    });
    return markers;
  }

  /** Runtime-PM state spans in each device's sub-lane, coloured by state, named with the console's `rpm` words. */
  function drawRpm() {
    (m.rpm || []).forEach(function (s) {
      var row = rpmRowOf[s.device];
      if (row === undefined || !visible(s.start, s.end)) return;
      var x0 = X(s.start), x1 = X(s.end);
      var x = Math.max(x0, -2), w = Math.max(Math.min(x1, W + 2) - x, 1);
      var y = laneY(row) + 5, h = L.lane - 10;
      var r = el("rect", { x: x, y: y, width: w, height: h, fill: rpmColors[s.state] || "#ccc", "fill-opacity": s.inferred ? 0.5 : 1,
        "class": "rpm-span", "data-device": name(s.device), "data-state": s.name });
      r.__tip = name(s.device) + " runtime pm: " + s.name + (s.inferred ? " (before the first record: inferred)" : "") + "\n" +
        fmt(s.start) + " \u2192 " + fmt(s.end) + "  (" + fmt(s.end - s.start) + ")" + (s.open ? ", still so when the trace ends" : "");
      if (w > s.name.length * 6.4 + 8) el("text", { x: x + 4, y: y + h / 2 + 4, "class": "rpm-text" }, undefined, s.name);
    });
  }

  function drawInstants(markers) {
    var labels = [];
    m.instants.forEach(function (i) {
      if (i.time < view.t0 || i.time > view.t1) return;
      var x = X(i.time), lane = i.device >= 0 && laneOf[i.device] !== undefined ? laneOf[i.device] : 0, y = laneY(lane);
      var e = null;
      var rpmKind = i.kind === "rpm-fail" || i.kind === "rpm-bad-put";
      if (rpmKind && rpmRowOf[i.device] !== undefined) { lane = rpmRowOf[i.device]; y = laneY(lane); }
      if (rpmKind) {
        // A failed runtime hook (red) or a put without a get (orange), on the device's runtime-PM row.
        e = el("circle", { cx: x, cy: y + L.lane / 2, r: 4, fill: i.kind === "rpm-fail" ? "#d32f2f" : "#ef6c00", "class": "instant rpm-mark", "data-kind": i.kind });
        if (i.kind === "rpm-fail") markers.push({ x: x + 4, lane: lane, device: name(i.device), stage: "runtime pm", text: "\u2716 " + i.label.slice(name(i.device).length + 1) });
      } else if (i.kind === "wake" || i.kind === "sleep-exit") {
        el("line", { x1: x, x2: x, y1: L.axis, y2: L.axis + nLanes * L.lane, "class": "wake-line" });
        labels.push({ x: x, text: "\u26a1 " + i.label });
        e = el("circle", { cx: x, cy: y + L.lane / 2, r: 4.5, fill: "#1565c0", "class": "instant wake", "data-kind": i.kind });
      } else if (i.kind === "irq-latch" || i.kind === "irq-deliver") {
        // Small and faint: a console session delivers many UART IRQs that would otherwise hide the slices.
        var c = y + L.lane / 2;
        e = el("path", { d: "M" + (x - 3) + "," + (c + 3) + "L" + x + "," + (c - 4) + "L" + (x + 3) + "," + (c + 3) + "Z",
          fill: i.kind === "irq-latch" ? "#fff" : "#6d28d9", stroke: "#6d28d9", "fill-opacity": 0.7, "stroke-opacity": 0.7,
          "class": "instant irq", "data-kind": i.kind });
      } else if (i.kind === "rollback") {
        var cy = y + L.lane / 2;
        e = el("path", { d: "M" + x + "," + (cy - 6) + "L" + (x + 6) + "," + cy + "L" + x + "," + (cy + 6) + "L" + (x - 6) + "," + cy + "Z",
          fill: "#d32f2f", "class": "instant rollback", "data-kind": i.kind });
        var covered = markers.some(function (k) { return k.device === name(i.device); });
        if (!covered && i.device >= 0) markers.push({ x: x + 6, lane: lane, device: name(i.device), stage: m.stageNames[i.stage], text: "\u2716 " + status(i.status) + " at " + m.stageNames[i.stage] });
      } else if (i.kind === "timeout" || i.kind === "resume-fail" || i.kind === "late" || i.kind === "busy") {
        e = el("circle", { cx: x, cy: y + L.lane / 2, r: 3.5, fill: i.kind === "late" ? "#9ca3af" : "#d32f2f", "class": "instant", "data-kind": i.kind });
      } else if (i.kind === "governor") {
        // A governor decision: a flag at the top of the system lane, green when it chose a sleep, with its words.
        var sleep = i.label.indexOf("stay awake") < 0;
        e = el("path", { d: "M" + x + "," + (y + 3) + "L" + x + "," + (y + L.lane - 3) + "M" + x + "," + (y + 3) + "L" + (x + 8) + "," + (y + 7) + "L" + x + "," + (y + 11) + "Z",
          fill: sleep ? "#2e7d32" : "#9ca3af", stroke: sleep ? "#2e7d32" : "#6b7280", "stroke-width": 1.5, "class": "instant governor", "data-kind": i.kind });
        labels.push({ x: x, text: "\u25c6 " + i.label, governor: true });
      } else if (i.kind === "release") {
        e = el("line", { x1: x, x2: x, y1: y + 5, y2: y + L.lane - 5, stroke: "#9ca3af", "stroke-width": 1.5, "class": "instant release" });
      }
      if (e !== null) e.__tip = fmt(i.time) + "\n" + i.label;
    });
    var lastX = -1e9;
    labels.forEach(function (l) {
      if (l.x - lastX < 150) return;
      lastX = l.x;
      var g = el("g", { "class": l.governor ? "wake-label governor-label" : "wake-label" });
      var t = el("text", { x: l.x + 5, y: L.axis - 9 + 0 }, g, l.text);
      var w = t.getComputedTextLength ? t.getComputedTextLength() : l.text.length * 6.5;
      // Kept inside the plot (a decision near the right edge would be cut): the label ends at the edge instead.
      var lx = Math.max(Math.min(l.x + 2, W - w - 9), 0);
      t.setAttribute("x", lx + 3);
      g.insertBefore(el("rect", { x: lx, y: L.axis - 21, width: w + 7, height: 15, rx: 3 }, g), t);
    });
  }

  function drawMarkers(markers) {
    markers.forEach(function (k) {
      var g = el("g", { "class": "fail-marker", "data-device": k.device, "data-stage": k.stage });
      var y = laneY(k.lane);
      var t = el("text", { x: 0, y: y + L.lane / 2 + 4 }, g, k.text + "  (" + k.device + ")");
      var w = t.getComputedTextLength ? t.getComputedTextLength() : k.text.length * 6.5;
      // Right of the failed slice, kept inside the plot so the label is never cut.
      var x = Math.min(Math.max(k.x + 5, 2), W - w - 14);
      t.setAttribute("x", x + 5);
      g.insertBefore(el("rect", { x: x, y: y + 3, width: w + 10, height: L.lane - 6, rx: 3 }, g), t);
    });
  }

  function drawCounters() {
    m.counters.forEach(function (c, i) {
      var top = counterY(i), h = L.counter - 18, base = top + L.counter - 4;
      el("line", { x1: 0, x2: W, y1: top + 0.5, y2: top + 0.5, stroke: "#e3e6ec" });
      var max = 0;
      c.values.forEach(function (v) { if (v > max) max = v; });
      if (c.times.length === 0) return;
      var yOf = function (v) { return base - (max > 0 ? v / max * h : 0); };
      var d = "M" + X(c.times[0]) + "," + base, line = "";
      for (var k = 0; k < c.times.length; k++) {
        var x0 = X(c.times[k]), x1 = X(k + 1 < c.times.length ? c.times[k + 1] : m.end), y = yOf(c.values[k]);
        d += "L" + x0 + "," + y + "L" + x1 + "," + y;
        line += (k === 0 ? "M" : "L") + x0 + "," + y + "L" + x1 + "," + y;
      }
      d += "L" + X(m.end) + "," + base + "Z";
      el("path", { d: d, fill: "rgba(77,157,224,0.16)" });
      el("path", { d: line, fill: "none", stroke: "#2b6cb0", "stroke-width": 1.3 });
      el("text", { x: W - 6, y: top + 12, "text-anchor": "end", fill: "#6b7280" }, undefined,
        "max " + (c.unit === "uA" ? formatCurrent(max) : (Math.round(max * 10) / 10) + (c.unit ? " " + c.unit : "")));
    });
  }

  function render() {
    W = Math.max(plot.clientWidth, 200);
    svg.setAttribute("width", W);
    svg.setAttribute("height", height);
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var defs = el("defs", {});
    var p = el("pattern", { id: "hatch", width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" }, defs);
    el("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "rgba(255,255,255,0.75)", "stroke-width": 2 }, p);
    drawGrid();
    drawRpm();
    var markers = drawSlices();
    drawInstants(markers);
    drawCounters();
    drawMarkers(markers);
    document.getElementById("range").textContent = fmt(view.t0) + " \u2013 " + fmt(view.t1) + "  (span " + fmt(view.t1 - view.t0) + ")";
  }

  function zoomAt(factor, frac) {
    var span = view.t1 - view.t0, anchor = view.t0 + frac * span;
    var next = Math.min(Math.max(span * factor, 0.5), (full.t1 - full.t0) * 4);
    view.t0 = anchor - frac * next;
    view.t1 = view.t0 + next;
    render();
  }
  function show(a, b) { var r = fitRange(a, b); view.t0 = r.t0; view.t1 = r.t1; render(); }
  function showAttempt(i) { var a = m.attempts[i]; if (a) show(a.start, a.end < 0 ? m.end : a.end); }
  function firstFailure() {
    for (var i = 0; i < m.attempts.length; i++) if (m.attempts[i].failStage >= 0 || m.attempts[i].outcome > 0) return i;
    return -1;
  }

  plot.addEventListener("wheel", function (e) {
    e.preventDefault();
    var rect = plot.getBoundingClientRect();
    zoomAt(Math.exp(e.deltaY * 0.0015), (e.clientX - rect.left) / W);
  }, { passive: false });
  var drag = null;
  plot.addEventListener("mousedown", function (e) { drag = { x: e.clientX, t0: view.t0, t1: view.t1, target: e.target }; plot.classList.add("dragging"); });
  window.addEventListener("mouseup", function (e) {
    // A click (no drag) on a slice pins its details; on empty plot it unpins.
    if (drag !== null && Math.abs(e.clientX - drag.x) < 3) {
      var i = drag.target && drag.target.__slice;
      if (typeof i === "number") pin(i); else if (plot.contains(drag.target)) pin(-1);
    }
    drag = null;
    plot.classList.remove("dragging");
  });
  window.addEventListener("mousemove", function (e) {
    if (drag !== null) {
      var dt = (e.clientX - drag.x) / W * (drag.t1 - drag.t0);
      if (Math.abs(e.clientX - drag.x) < 3) return;
      view.t0 = drag.t0 - dt;
      view.t1 = drag.t1 - dt;
      render();
      return;
    }
    var t = e.target && e.target.__tip;
    if (t) {
      tip.hidden = false;
      tip.textContent = t;
      tip.style.left = Math.min(e.clientX + 14, window.innerWidth - 390) + "px";
      tip.style.top = (e.clientY + 14) + "px";
    } else tip.hidden = true;
  });
  document.getElementById("zoom-in").onclick = function () { zoomAt(1 / 1.6, 0.5); };
  document.getElementById("zoom-out").onclick = function () { zoomAt(1.6, 0.5); };
  document.getElementById("zoom-fit").onclick = function () { view.t0 = full.t0; view.t1 = full.t1; render(); };
  var fb = document.getElementById("zoom-failure");
  if (fb) fb.onclick = function () { showAttempt(firstFailure()); };
  Array.prototype.forEach.call(document.querySelectorAll("button.attempt, a.zoom-attempt"), function (b) {
    b.addEventListener("click", function (e) { e.preventDefault(); showAttempt(Number(b.getAttribute("data-attempt"))); });
  });
  window.addEventListener("keydown", function (e) {
    if (e.key === "+" || e.key === "=") zoomAt(1 / 1.6, 0.5);
    else if (e.key === "-") zoomAt(1.6, 0.5);
    else if (e.key === "0") { view.t0 = full.t0; view.t1 = full.t1; render(); }
    else if (e.key === "f") showAttempt(firstFailure());
    else if (e.key === "n") stepFailure(1);
    else if (e.key === "p") stepFailure(-1);
    else if (e.key === "Escape") pin(-1);
  });
  window.addEventListener("resize", render);
  // Start on the first failed attempt when there is one: that is what the page is usually opened for.
  var ff = firstFailure();
  if (ff >= 0) showAttempt(ff); else render();
  window.quiesceTimeline = { render: render, show: show, showAttempt: showAttempt, pin: pin, view: view };
})();
