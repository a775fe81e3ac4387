// comity's page: a map of one state's relations as of a day, a pair's timeline with its sources and quotes,
// the number of partners over time, recent events, and an article reader.
// No library and no network but this server. Every text that comes from the record is set with
// textContent (never innerHTML), so a quote holding markup stays text.
"use strict";

const SVGNS = "http://www.w3.org/2000/svg";
const DAY = 86400000;
const START = Date.UTC(1800, 0, 1);
const STATUS = {
  self: "the chosen state",
  relations: "relations",
  none: "no relations",
  severed: "severed",
  suspended: "suspended",
  one_sided: "listed by one side only",
  not_foreign: "not foreign to each other",
  unknown: "not counted",
};

// Event types where the pair has no direction (the others: a acts, b is the target).
const SYMMETRIC = new Set(["establish", "restore", "sever", "suspend", "upgrade", "downgrade"]);

const app = {
  state: null, // {code, name}
  date: isoDay(Date.now()),
  among: "all",
  names: new Map(), // code -> name
  shapes: new Map(), // code -> <path> or <circle>
  statuses: {},
  history: null,
  pair: null,
  seq: 0,
};

// -- small helpers ---------------------------------------------------------------------------------
function $(id) {
  return document.getElementById(id);
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function svg(tag, attrs) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  return node;
}

function isoDay(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

function dayIndex(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return Math.round((Date.UTC(y, m - 1, d) - START) / DAY);
}

function fromIndex(i) {
  return isoDay(START + i * DAY);
}

function nameOf(code) {
  return app.names.get(code) || code;
}

function safeUrl(url) {
  try {
    const u = new URL(url, location.href);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}

async function api(path, options) {
  const res = await fetch(path, options);
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = { detail: res.statusText };
  }
  if (!res.ok) {
    const err = new Error((body && body.detail) || res.statusText);
    err.status = res.status;
    err.body = body;
    throw err;
  }
  return body;
}

function debounce(fn, ms) {
  let t = null;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}

// -- the URL keeps the view: #state=KOR&date=2024-02-15&among=un ------------------------------------
function readHash() {
  const p = new URLSearchParams(location.hash.slice(1));
  return { state: p.get("state"), date: p.get("date"), among: p.get("among") };
}

function writeHash() {
  if (!app.state) return;
  const p = new URLSearchParams({ state: app.state.code, date: app.date, among: app.among });
  history.replaceState(null, "", "#" + p.toString());
}

// -- the map ------------------------------------------------------------------------------------------
async function loadMap() {
  const world = await api("/static/world.json");
  const map = $("map");
  map.setAttribute("viewBox", world.viewBox.join(" "));
  const sea = svg("rect", { x: 0, y: 0, width: world.viewBox[2], height: world.viewBox[3], class: "sea" });
  map.append(sea);
  const land = svg("g", { class: "land" });
  const dots = svg("g", { class: "dots" });
  for (const c of world.countries) {
    const nodes = [];
    if (c.d) nodes.push(svg("path", { d: c.d }));
    if (c.small) nodes.push(svg("circle", { cx: c.c[0], cy: c.c[1], r: 5, class: "dot" }));
    const known = app.names.has(c.id);
    for (const node of nodes) {
      node.dataset.code = c.id;
      node.dataset.status = "unknown";
      node.classList.add("country");
      const title = svg("title", {});
      title.textContent = known ? nameOf(c.id) : c.name;
      node.append(title);
      (node.tagName === "circle" ? dots : land).append(node);
    }
    // One focus stop per state (the shape, or its dot when it has no shape).
    const main = nodes[0];
    if (main && known) {
      main.setAttribute("tabindex", "0");
      main.setAttribute("role", "button");
      main.setAttribute("aria-label", nameOf(c.id));
    }
    app.shapes.set(c.id, [...(app.shapes.get(c.id) || []), ...nodes]);
  }
  map.append(land, dots);
  map.addEventListener("click", (e) => {
    const code = e.target.closest(".country")?.dataset.code;
    if (code && app.names.has(code)) openPair(code);
  });
  map.addEventListener("keydown", (e) => {
    const code = e.target.closest?.(".country")?.dataset.code;
    if (code && (e.key === "Enter" || e.key === " ")) {
      e.preventDefault();
      openPair(code);
    }
  });
}

function buildLegend() {
  const ul = $("legend");
  for (const [k, label] of Object.entries(STATUS)) {
    ul.append(el("li", { "data-status": k }, el("span", { class: "swatch", "aria-hidden": "true" }), label));
  }
}

async function refreshMap() {
  if (!app.state) return;
  const seq = ++app.seq;
  const { code } = app.state;
  const q = new URLSearchParams({ as_of: app.date, among: app.among });
  let data;
  try {
    data = await api(`/api/states/${encodeURIComponent(code)}/map?${q}`);
  } catch (err) {
    $("summary").textContent = "Cannot read the record: " + err.message;
    return;
  }
  if (seq !== app.seq) return; // a newer date was asked for meanwhile
  app.statuses = data.status;
  for (const [c, nodes] of app.shapes) {
    const st = data.status[c] || "unknown";
    for (const n of nodes) {
      n.dataset.status = st;
      n.querySelector("title").textContent = `${nameOf(c)}: ${STATUS[st]}`;
      if (n.hasAttribute("tabindex")) n.setAttribute("aria-label", `${nameOf(c)}: ${STATUS[st]}`);
    }
  }
  const n = data.counts.relations || 0;
  $("map-state").textContent = data.name;
  $("map-date").textContent = data.as_of;
  $("summary").textContent =
    `${data.name} has relations with ${n} ${app.among === "un" ? "UN member " : ""}state${n === 1 ? "" : "s"}` +
    ` on ${data.as_of}` +
    (data.counts.severed ? `; severed with ${data.counts.severed}` : "") +
    (data.counts.suspended ? `; suspended with ${data.counts.suspended}` : "") +
    ".";
  $("map").dataset.asOf = data.as_of;
  $("map").dataset.state = data.state;
  $("map").dataset.among = data.among;
  drawChartMarker();
  if (app.pair) refreshPairStatus();
}

const refreshSoon = debounce(refreshMap, 60);

// -- choosing a state, a date, a count ------------------------------------------------------------------
async function pickState(text) {
  const help = $("state-help");
  help.textContent = "";
  let s;
  try {
    s = await api(`/api/states/${encodeURIComponent(text.trim())}`);
  } catch (err) {
    help.textContent = err.message;
    const sug = (err.body && err.body.suggestions) || [];
    for (const x of sug) {
      help.append(" ", el("button", { type: "button", class: "link", onclick: () => choose(x.code) }, x.name));
    }
    return;
  }
  await choose(s.code, s.name);
}

async function choose(code, name) {
  app.state = { code, name: name || nameOf(code) };
  $("state").value = app.state.name;
  $("state-help").textContent = "";
  document.title = `comity: ${app.state.name}`;
  app.pair = null;
  $("pair-help").hidden = false;
  $("pair-body").replaceChildren();
  $("pair-title").textContent = "Pair timeline";
  writeHash();
  await Promise.all([refreshMap(), loadHistory(), loadFeed()]);
}

function setDate(iso, { fromSlider = false } = {}) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return;
  app.date = iso;
  $("date").value = iso;
  if (!fromSlider) $("slider").value = String(dayIndex(iso));
  $("slider").setAttribute("aria-valuetext", iso);
  writeHash();
  refreshSoon();
}

function wireControls() {
  const today = isoDay(Date.now());
  const slider = $("slider");
  slider.max = String(dayIndex(today));
  $("date").max = today;
  $("pick").addEventListener("submit", (e) => {
    e.preventDefault();
    pickState($("state").value);
  });
  $("date").addEventListener("change", () => setDate($("date").value));
  slider.addEventListener("input", () => setDate(fromIndex(Number(slider.value)), { fromSlider: true }));
  slider.addEventListener("keydown", (e) => {
    const steps = { PageUp: 365, PageDown: -365 };
    let delta = steps[e.key];
    if (delta === undefined && e.shiftKey && (e.key === "ArrowRight" || e.key === "ArrowUp")) delta = 30;
    if (delta === undefined && e.shiftKey && (e.key === "ArrowLeft" || e.key === "ArrowDown")) delta = -30;
    if (delta === undefined) return;
    e.preventDefault();
    const v = Math.min(Number(slider.max), Math.max(0, Number(slider.value) + delta));
    slider.value = String(v);
    setDate(fromIndex(v), { fromSlider: true });
  });
  for (const r of document.querySelectorAll('input[name="among"]')) {
    r.addEventListener("change", () => {
      app.among = r.value;
      writeHash();
      refreshMap();
    });
  }
  $("pair-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = $("partner").value.trim();
    if (!text) return;
    try {
      const s = await api(`/api/states/${encodeURIComponent(text)}`);
      openPair(s.code);
    } catch (err) {
      $("pair-body").replaceChildren(el("p", { class: "error", text: err.message }));
    }
  });
  $("article-form").addEventListener("submit", (e) => {
    e.preventDefault();
    readArticle();
  });
}

// -- a pair's timeline -------------------------------------------------------------------------------------
function dateLabel(e) {
  if (e.date) return e.date;
  if (e.happened_by) return `by ${e.happened_by}`;
  return "undated";
}

function sourceItem(s) {
  const url = s.url ? safeUrl(s.url) : null;
  const title = url ? el("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, s.title) : s.title;
  const meta = [s.kind, s.outlet, s.published].filter(Boolean).join(", ");
  return el("li", {}, title, meta ? el("span", { class: "meta" }, ` (${meta})`) : null);
}

async function openPair(code) {
  if (!app.state) return;
  if (code === app.state.code) {
    $("pair-body").replaceChildren(el("p", { text: `${app.state.name} is the chosen state.` }));
    return;
  }
  const a = encodeURIComponent(app.state.code);
  const b = encodeURIComponent(code);
  let t;
  try {
    t = await api(`/api/pairs/${a}/${b}/timeline`);
  } catch (err) {
    $("pair-body").replaceChildren(el("p", { class: "error", text: err.message }));
    return;
  }
  app.pair = t;
  $("pair-help").hidden = true;
  $("pair-title").textContent = `${t.a_name} – ${t.b_name}`;
  const body = $("pair-body");
  body.replaceChildren();
  body.dataset.pair = `${t.a}-${t.b}`;
  body.append(el("p", { id: "pair-status", class: "status-line", "aria-live": "polite" }));
  if (t.not_foreign) body.append(el("p", { class: "note", text: t.not_foreign }));
  if (t.periods.length) {
    body.append(
      el("h3", { text: "Periods" }),
      el(
        "ul",
        { class: "periods" },
        ...t.periods.map((p) =>
          el("li", { "data-status": p.status }, el("span", { class: "swatch", "aria-hidden": "true" }),
            `${p.status} from ${p.start || "an unknown date"}${p.end ? ` to ${p.end}` : ""}`),
        ),
      ),
    );
  }
  body.append(el("h3", { text: `Events (${t.events.length})` }));
  if (!t.events.length) body.append(el("p", { text: "The record holds no event for this pair." }));
  const list = el("ol", { class: "events" });
  for (const e of t.events) {
    const who = `${nameOf(e.a)} ${SYMMETRIC.has(e.type) ? "–" : "→"} ${nameOf(e.b)}`;
    const head = el(
      "div",
      { class: "event-head" },
      el("time", { text: dateLabel(e) }),
      " ",
      el("strong", { text: e.type.replace(/_/g, " ") }),
      e.modality !== "asserted" ? el("span", { class: "modality", text: ` (${e.modality})` }) : null,
      el("span", { class: "meta", text: ` ${who}, ${e.n_sources} source${e.n_sources === 1 ? "" : "s"}` }),
    );
    const item = el("li", { class: "event", "data-type": e.type }, head);
    if (e.disputed_dates) {
      const readings = (Array.isArray(e.disputed_dates) ? e.disputed_dates : [])
        .map((d) => `${d.date}${d.claims !== undefined ? ` (${d.claims})` : ""}`)
        .join(", ");
      item.append(el("p", { class: "note", text: `Sources disagree on the date: ${readings}` }));
    }
    for (const ev of e.evidence) {
      if (!ev.quote) continue;
      item.append(
        el("blockquote", { class: "quote" }, el("p", { text: ev.quote }), el("cite", { text: ev.source })),
      );
    }
    if (e.sources.length) item.append(el("ul", { class: "sources" }, ...e.sources.map(sourceItem)));
    list.append(item);
  }
  body.append(list);
  await refreshPairStatus();
  $("pair").focus({ preventScroll: true });
  $("pair").scrollIntoView({ block: "nearest" });
}

async function refreshPairStatus() {
  const t = app.pair;
  const line = $("pair-status");
  if (!t || !line) return;
  const q = new URLSearchParams({ as_of: app.date });
  try {
    const s = await api(`/api/pairs/${encodeURIComponent(t.a)}/${encodeURIComponent(t.b)}?${q}`);
    line.dataset.status = s.status;
    line.textContent =
      `On ${s.as_of}: ${s.status}${s.since ? ` since ${s.since}` : ""}` + (s.note ? ` (${s.note})` : "");
  } catch (err) {
    line.textContent = err.message;
  }
}

// -- partners over time ---------------------------------------------------------------------------------------
async function loadHistory() {
  const chart = $("chart");
  chart.replaceChildren();
  app.history = null;
  try {
    app.history = await api(`/api/states/${encodeURIComponent(app.state.code)}/history`);
  } catch (err) {
    return;
  }
  drawChart();
}

const CH = { w: 640, h: 200, l: 40, r: 10, t: 10, b: 24 };

function chartX(iso) {
  const pts = app.history.points;
  const x0 = dayIndex(pts[0].date);
  const x1 = Math.max(dayIndex(pts[pts.length - 1].date), x0 + 1);
  return CH.l + ((dayIndex(iso) - x0) / (x1 - x0)) * (CH.w - CH.l - CH.r);
}

function drawChart() {
  const chart = $("chart");
  const pts = app.history.points;
  chart.setAttribute("viewBox", `0 0 ${CH.w} ${CH.h}`);
  chart.replaceChildren();
  const max = Math.max(1, ...pts.map((p) => p.all));
  const y = (v) => CH.t + (1 - v / max) * (CH.h - CH.t - CH.b);
  chart.append(svg("line", { x1: CH.l, x2: CH.w - CH.r, y1: y(0), y2: y(0), class: "axis" }));
  const tick = max <= 10 ? 1 : [2, 5, 10, 20, 25, 50, 100].find((t) => max / t <= 5) || 100;
  for (let v = 0; v <= max; v += tick) {
    const t = svg("text", { x: CH.l - 6, y: y(v) + 4, class: "tick", "text-anchor": "end" });
    t.textContent = String(v);
    chart.append(t);
  }
  const first = Number(pts[0].date.slice(0, 4));
  const last = Number(pts[pts.length - 1].date.slice(0, 4));
  const step = Math.max(1, Math.ceil((last - first) / 6 / 10) * 10);
  for (let yr = Math.ceil(first / step) * step; yr <= last; yr += step) {
    const t = svg("text", { x: chartX(`${yr}-06-30`), y: CH.h - 6, class: "tick", "text-anchor": "middle" });
    t.textContent = String(yr);
    chart.append(t);
  }
  for (const key of ["all", "un"]) {
    const d = pts.map((p, i) => `${i ? "L" : "M"}${chartX(p.date).toFixed(1)} ${y(p[key]).toFixed(1)}`).join("");
    chart.append(svg("path", { d, class: `series ${key}` }));
  }
  const marker = svg("line", { id: "chart-marker", y1: CH.t, y2: y(0), class: "marker" });
  chart.append(marker);
  chart.onclick = (e) => {
    const box = chart.getBoundingClientRect();
    const x = ((e.clientX - box.left) / box.width) * CH.w;
    const x0 = dayIndex(pts[0].date);
    const x1 = dayIndex(pts[pts.length - 1].date);
    const i = Math.round(x0 + ((x - CH.l) / (CH.w - CH.l - CH.r)) * (x1 - x0));
    setDate(fromIndex(Math.min(Math.max(i, 0), dayIndex(isoDay(Date.now())))));
  };
  const lastPoint = pts[pts.length - 1];
  chart.setAttribute(
    "aria-label",
    `Number of partners of ${app.history.name} by year: ${lastPoint.all} today (${lastPoint.un} UN members)`,
  );
  drawChartMarker();
}

function drawChartMarker() {
  const m = $("chart-marker");
  if (!m || !app.history) return;
  const x = chartX(app.date);
  const inside = x >= CH.l && x <= CH.w - CH.r;
  m.setAttribute("x1", x.toFixed(1));
  m.setAttribute("x2", x.toFixed(1));
  m.style.display = inside ? "" : "none";
}

// -- recent events ----------------------------------------------------------------------------------------------
async function loadFeed() {
  const feed = $("feed");
  feed.replaceChildren();
  let rows;
  try {
    rows = await api(`/api/events?state=${encodeURIComponent(app.state.code)}&limit=15`);
  } catch (err) {
    feed.append(el("li", { class: "error", text: err.message }));
    return;
  }
  if (!rows.length) feed.append(el("li", { text: "No events recorded." }));
  for (const r of rows) {
    const other = r.a === app.state.code ? r.b : r.a;
    feed.append(
      el(
        "li",
        {},
        el("time", { text: r.date || "undated" }),
        " ",
        el("button", { type: "button", class: "link", onclick: () => openPair(other) },
          `${r.type.replace(/_/g, " ")}: ${r.a_name} – ${r.b_name}`),
        r.modality !== "asserted" ? el("span", { class: "modality", text: ` (${r.modality})` }) : null,
        el("span", { class: "meta", text: ` ${r.n_sources} source${r.n_sources === 1 ? "" : "s"}` }),
      ),
    );
  }
}

// -- an article: its events and the verdicts on its claims -----------------------------------------------------
function claimItem(c) {
  const item = el(
    "li",
    { class: "verdict", "data-verdict": c.verdict, "data-kind": c.kind },
    el("strong", { class: "verdict-label", text: c.verdict }),
    el("span", { class: "meta", text: ` ${c.kind}${c.where === "title" ? ", in the title" : ""}` }),
    el("blockquote", { class: "quote" }, el("p", { text: c.text })),
    el("p", { class: "explanation", text: c.explanation }),
  );
  for (const f of c.evidence || []) {
    const srcs = (f.sources || []).map(sourceItem);
    item.append(el("div", { class: "fact" }, el("span", { text: f.fact }), srcs.length ? el("ul", { class: "sources" }, ...srcs) : null));
  }
  return item;
}

async function readArticle() {
  const out = $("article-out");
  const body = {
    text: $("article-text").value,
    published: $("article-date").value || null,
    title: $("article-title-in").value || null,
  };
  if (!body.text.trim()) return;
  out.replaceChildren(el("p", { class: "help", text: "Reading…" }));
  out.dataset.state = "busy";
  const post = (path) =>
    api(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then(
      (v) => ({ ok: true, v }),
      (e) => ({ ok: false, e }),
    );
  const [ex, ck] = await Promise.all([post("/api/extract"), post("/api/check")]);
  out.replaceChildren();
  const events = el("section", { id: "article-events" }, el("h3", { text: "Events in the article" }));
  if (!ex.ok) {
    events.append(el("p", { class: "error", text: ex.e.message }));
  } else if (!ex.v.assertions.length) {
    events.append(el("p", { text: "No event between states found." }));
  } else {
    const table = el("table", {},
      el("thead", {}, el("tr", {}, ...["Event", "Pair", "Date", "Modality", "Evidence"].map((h) => el("th", { scope: "col", text: h })))));
    const tb = el("tbody");
    for (const a of ex.v.assertions) {
      tb.append(el("tr", { "data-type": a.type },
        el("td", { text: a.type.replace(/_/g, " ") }),
        el("td", { text: `${a.a_name} – ${a.b_name}` }),
        el("td", { text: a.date || a.date_text || "undated" }),
        el("td", { text: a.modality }),
        el("td", {}, el("q", { text: a.evidence }))));
    }
    table.append(tb);
    events.append(table);
  }
  const verdicts = el("section", { id: "article-verdicts" }, el("h3", { text: "Claims checked against the record" }));
  if (!ck.ok) {
    verdicts.append(el("p", { class: "error", text: ck.e.message }));
  } else {
    const sum = Object.entries(ck.v.summary).filter(([, n]) => n).map(([k, n]) => `${n} ${k}`).join(", ");
    verdicts.append(el("p", { class: "help", text: `Read as of ${ck.v.as_of} (${ck.v.as_of_from})${sum ? ": " + sum : ""}.` }));
    if (!ck.v.claims.length) verdicts.append(el("p", { text: "No claim about diplomatic relations found." }));
    else verdicts.append(el("ol", { class: "verdicts" }, ...ck.v.claims.map(claimItem)));
    for (const n of ck.v.notes) verdicts.append(el("p", { class: "note", text: n }));
  }
  out.append(events, verdicts);
  out.dataset.state = "done";
}

// -- start --------------------------------------------------------------------------------------------------------
async function start() {
  buildLegend();
  wireControls();
  const states = await api("/api/states");
  const list = $("state-list");
  for (const s of states) {
    app.names.set(s.code, s.name);
    list.append(el("option", { value: s.name }, s.code));
  }
  await loadMap();
  const h = readHash();
  if (h.among === "un" || h.among === "all") {
    app.among = h.among;
    for (const r of document.querySelectorAll('input[name="among"]')) r.checked = r.value === app.among;
  }
  setDate(h.date && /^\d{4}-\d{2}-\d{2}$/.test(h.date) ? h.date : app.date);
  const initial = h.state || (app.names.has("KOR") ? "KOR" : null);
  if (initial) await pickState(initial);
  document.body.dataset.ready = "1";
}

start().catch((err) => {
  document.body.dataset.ready = "error";
  $("summary").textContent = "The page could not start: " + err.message;
});
