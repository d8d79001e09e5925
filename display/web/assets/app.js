// numsense exhibit screen: reads /lang.json, then follows /api/stream (Server-Sent
// Events: info, estimate, silhouette, preview) and draws. Plain JavaScript, no
// libraries; every visible word comes from the language file.
"use strict";

(function () {
  const SVGNS = "http://www.w3.org/2000/svg";
  const $ = (id) => document.getElementById(id);
  let T = {};
  let info = null;
  let last = null;
  let bars = [];
  let curves = [];
  let lineParts = null;

  // t returns the string for key with {name} replaced from args.
  function t(key, args) {
    let s = T[key];
    if (s === undefined) s = key;
    if (args) for (const k in args) s = s.split("{" + k + "}").join(String(args[k]));
    return s;
  }

  function el(name, attrs, parent, text) {
    const e = document.createElementNS(SVGNS, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  // The log number line runs from 1 to LMAX.
  const LMIN = 1, LMAX = 50;
  function lx(v, x0, x1) {
    v = Math.min(Math.max(v, LMIN), LMAX);
    return x0 + (x1 - x0) * Math.log(v / LMIN) / Math.log(LMAX / LMIN);
  }

  function buildLine() {
    const svg = $("line");
    svg.textContent = "";
    const x0 = 30, x1 = 970, y = 80;
    el("line", { x1: x0, y1: y, x2: x1, y2: y, class: "axis" }, svg);
    for (const v of [1, 2, 3, 5, 10, 20, 30, 50]) {
      const x = lx(v, x0, x1);
      el("line", { x1: x, y1: y - 8, x2: x, y2: y + 8, class: "axis" }, svg);
      el("text", { x: x, y: y + 42, class: "tick" }, svg, String(v));
    }
    const band = el("rect", { x: x0, y: y - 22, width: 0, height: 44, rx: 8, class: "band" }, svg);
    const mark = el("line", { x1: x0, y1: y - 30, x2: x0, y2: y + 30, class: "mark" }, svg);
    const lbl = el("text", { x: x0, y: y - 38, class: "marklbl" }, svg, "");
    const truth = el("path", { d: "", class: "truthmark" }, svg);
    lineParts = { svg, x0, x1, y, band, mark, lbl, truth };
  }

  function drawLine(e) {
    const p = lineParts;
    const show = (e.state === "estimating" || e.state === "unstable") && e.value > 0;
    p.band.style.display = p.mark.style.display = p.lbl.style.display = show ? "" : "none";
    if (show) {
      const a = lx(e.lo, p.x0, p.x1), b = lx(e.hi, p.x0, p.x1), m = lx(e.value, p.x0, p.x1);
      p.band.setAttribute("x", a);
      p.band.setAttribute("width", Math.max(b - a, 2));
      p.mark.setAttribute("x1", m);
      p.mark.setAttribute("x2", m);
      p.lbl.setAttribute("x", Math.min(Math.max(m, p.x0 + 20), p.x1 - 20));
      p.lbl.textContent = String(e.shown);
    }
    if (e.true_count !== null && e.true_count > 0) {
      const x = lx(e.true_count, p.x0, p.x1), y = p.y + 12;
      p.truth.setAttribute("d", `M${x} ${y} l-12 20 h24 z`);
      p.truth.style.display = "";
    } else {
      p.truth.style.display = "none";
    }
  }

  // groupLabel is the short label under a bar.
  function groupLabel(g) {
    return t("class." + g.shape, { n: g.pn });
  }

  // chartHeight sizes a chart's viewBox (1000 wide) to the box the layout gives it,
  // so that bars and curves fill a wide panel; on a narrow screen the chart keeps
  // its own proportions.
  const narrow = window.matchMedia("(max-width: 800px), (orientation: portrait) and (max-width: 1100px)");
  function chartBox(svg) {
    let w = 1000, h = 330;
    if (!narrow.matches) {
      const r = svg.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) {
        h = Math.max(240, Math.min(600, 1000 * r.height / r.width));
        w = Math.max(1000, h * r.width / r.height);
      }
    }
    svg.setAttribute("viewBox", `0 0 ${w.toFixed(0)} ${h.toFixed(0)}`);
    return [w, h];
  }

  function buildUnits() {
    const svg = $("bars");
    svg.textContent = "";
    bars = [];
    const gs = info.groups;
    $("unitsub").textContent = t("units_sub." + info.grouping);
    const [W, H] = chartBox(svg);
    const x0 = 20, x1 = W - 20, top = 20, base = H - 40;
    el("line", { x1: x0, y1: base, x2: x1, y2: base, class: "axis" }, svg);
    const n = Math.max(gs.length, 1), step = (x1 - x0) / n, w = Math.max(step * 0.72, 2);
    const fs = Math.min(24, step * 0.8);
    gs.forEach((g, i) => {
      const x = x0 + i * step + (step - w) / 2;
      const r = el("rect", { x: x, y: base, width: w, height: 0, rx: 3, class: "bar " + g.shape }, svg);
      el("text", { x: x + w / 2, y: base + 34, class: "lbl", "font-size": fs }, svg, groupLabel(g));
      bars.push({ r, top, base });
    });
    const lg = $("legend");
    lg.textContent = "";
    if (info.grouping === "classes") {
      for (const s of ["decreasing", "tuned", "increasing"]) {
        if (!gs.some((g) => g.shape === s)) continue;
        const item = document.createElement("span");
        const sw = document.createElement("i");
        sw.className = s;
        item.appendChild(sw);
        item.appendChild(document.createTextNode(t("legend." + s)));
        lg.appendChild(item);
      }
    }
  }

  function drawUnits(e) {
    const act = info.grouping === "classes" ? e.class_activity : e.activity;
    bars.forEach((b, i) => {
      const a = Math.min(Math.max((act && act[i]) || 0, 0), 1);
      const h = (b.base - b.top) * a;
      b.r.setAttribute("y", b.base - h);
      b.r.setAttribute("height", h);
    });
  }

  function hasCurves() {
    return info.grouping === "classes" && info.groups.some((g) => g.curve && g.curve.length);
  }

  function buildCurves() {
    const svg = $("curves");
    svg.textContent = "";
    curves = [];
    const has = hasCurves();
    svg.style.display = has ? "" : "none";
    $("curvesub").hidden = !has;
    $("curvesnone").hidden = has;
    if (!has) return;
    const [W, H] = chartBox(svg);
    const x0 = 40, x1 = W - 30, top = 20, base = H - 75, nums = info.numerosities;
    const cx = (v) => x0 + (x1 - x0) * Math.log(v) / Math.log(nums[nums.length - 1] || 30);
    el("line", { x1: x0, y1: base, x2: x1, y2: base, class: "axis" }, svg);
    for (const v of [1, 2, 4, 8, 16, 30]) {
      if (v > nums[nums.length - 1]) continue;
      el("text", { x: cx(v), y: base + 34, class: "tick" }, svg, String(v));
    }
    el("text", { x: (x0 + x1) / 2, y: base + 66, class: "lbl" }, svg, t("axis_number"));
    info.groups.forEach((g) => {
      if (!g.curve || g.curve.length !== nums.length) { curves.push(null); return; }
      let lo = Math.min(...g.curve), hi = Math.max(...g.curve);
      const span = hi - lo > 1e-6 ? hi - lo : 1;
      const pts = g.curve.map((v, i) => `${cx(nums[i]).toFixed(1)},${(base - (base - top) * (v - lo) / span).toFixed(1)}`);
      const pl = el("polyline", { points: pts.join(" "), class: "curve " + g.shape }, svg);
      pl.style.opacity = 0.15;
      curves.push(pl);
    });
    const now = el("line", { x1: x0, y1: top, x2: x0, y2: base, class: "now" }, svg);
    curves.now = now;
    curves.cx = cx;
  }

  function drawCurves(e) {
    if (!curves.length) return;
    const act = e.class_activity || [];
    let hi = 0;
    for (const a of act) hi = Math.max(hi, a);
    curves.forEach((c, i) => {
      if (!c) return;
      const a = hi > 0 ? (act[i] || 0) / hi : 0;
      c.style.opacity = (0.12 + 0.88 * a * a).toFixed(3);
    });
    const show = (e.state === "estimating" || e.state === "unstable") && e.value > 0;
    curves.now.style.display = show ? "" : "none";
    if (show) {
      const x = curves.cx(Math.max(e.value, 1));
      curves.now.setAttribute("x1", x);
      curves.now.setAttribute("x2", x);
    }
  }

  function setState(s) {
    const st = $("state");
    st.dataset.state = s;
    st.textContent = t("state." + s);
  }

  function onEstimate(e) {
    last = e;
    setState(e.state);
    const num = $("shown");
    const active = e.state === "estimating" || e.state === "unstable";
    num.classList.toggle("unstable", e.state === "unstable");
    num.classList.toggle("quiet", !active);
    if ((active || e.state === "stopped") && e.shown > 0) {
      num.textContent = String(e.shown);
      $("head").textContent = t(e.state === "stopped" ? "state.stopped" : e.state === "unstable" ? "settling_about" : "i_see_about");
      $("between").textContent = t("between", { lo: Math.floor(e.lo), hi: Math.ceil(e.hi) });
      const note = document.createElement("span");
      note.className = "note";
      note.textContent = t("interval_note");
      $("between").appendChild(note);
    } else {
      num.textContent = e.state === "empty" ? "0" : "–";
      $("head").textContent = t("state." + e.state);
      $("between").textContent = "";
    }
    $("msg").textContent = active ? "" : t("msg." + e.state);
    const truth = $("truth");
    truth.hidden = e.true_count === null || e.true_count === undefined;
    if (!truth.hidden) $("truecount").textContent = String(e.true_count);
    num.dataset.n = e.n;
    drawLine(e);
    if (info) { drawUnits(e); drawCurves(e); }
  }

  function onInfo(i) {
    info = i;
    $("camfig").style.display = "";
    $("camph").textContent = t(i.preview ? "waiting_picture" : "preview_off");
    if (!i.preview) $("preview").removeAttribute("src");
    $("footer").textContent = t("footer", { units: i.units, decoder: i.decoder || "?", source: i.source || "?" });
    document.querySelector("main").classList.toggle("nocurves", !hasCurves()); // before the charts measure their boxes
    buildUnits();
    buildCurves();
    if (last) onEstimate(last);
  }

  function offline() {
    setState("offline");
    $("msg").textContent = t("msg.offline");
  }

  let es = null;
  function connect() {
    if (es) es.close();
    es = new EventSource("/api/stream");
    es.addEventListener("info", (m) => onInfo(JSON.parse(m.data)));
    es.addEventListener("estimate", (m) => onEstimate(JSON.parse(m.data)));
    es.addEventListener("silhouette", (m) => { $("silhouette").src = m.data; });
    es.addEventListener("preview", (m) => { $("preview").src = m.data; });
    es.onerror = () => {
      offline();
      // EventSource retries by itself unless the server refused (a 503 when full,
      // or the exhibit gone): then start over after a pause.
      if (es.readyState === EventSource.CLOSED) setTimeout(connect, 3000);
    };
  }

  function applyStatic() {
    document.documentElement.lang = T.lang || "en";
    document.title = t("title");
    for (const n of document.querySelectorAll("[data-t]")) n.textContent = t(n.dataset.t);
  }

  let resizeTimer = 0;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { if (info) onInfo(info); }, 200);
  });

  function start() {
    if (/[?&]kiosk\b/.test(location.search)) document.body.classList.add("kiosk");
    buildLine();
    fetch("/lang.json").then((r) => r.json()).then((j) => { T = j; }).catch(() => {}).then(() => {
      applyStatic();
      offline();
      connect();
    });
  }
  start();
})();
