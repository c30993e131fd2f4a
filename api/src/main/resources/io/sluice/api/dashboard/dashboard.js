// The Sluice dashboard: one EventSource on /api/v1/events (a tick a second) drives every panel;
// actions are plain fetch calls to the JSON API.
'use strict';

const HISTORY_POINTS = 60;
const COLORS = ['#1f6feb', '#e8590c', '#2f9e44', '#ae3ec9', '#f59f00', '#0c8599', '#e03131', '#5c7cfa'];
const FIXED_COLORS = { publishers: '#e8590c', viewers: '#1f6feb', asked: '#ae3ec9', answered: '#2f9e44' };
const history = new Map();      // liveId -> [bits per second, ...] (oldest first)
const viewerHistory = new Map(); // liveId -> [viewers, ...]
const lossHistory = new Map();  // 'publishers' | 'viewers' -> [worst loss over 2 s, ...]
const retxHistory = new Map();  // 'asked' | 'answered' -> [packets per second, ...]
const lastRetx = new Map();     // liveId -> [asked, answered] at the previous tick
let lastRetxMs = 0;
const colorOf = new Map();      // liveId -> color, stable while the page lives
let last = null;

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else if (k.startsWith('data-')) e.setAttribute(k, v); else e[k] = v;
  }
  for (const c of children) if (c != null) e.append(c instanceof Node ? c : String(c));
  return e;
}

function bits(bps) {
  if (bps >= 1e9) return (bps / 1e9).toFixed(2) + ' Gbit/s';
  if (bps >= 1e6) return (bps / 1e6).toFixed(2) + ' Mbit/s';
  if (bps >= 1e3) return (bps / 1e3).toFixed(0) + ' kbit/s';
  return bps + ' bit/s';
}
function shortBits(bps) {
  if (bps >= 1e6) return (bps / 1e6).toFixed(1) + 'M';
  if (bps >= 1e3) return (bps / 1e3).toFixed(0) + 'k';
  return String(bps);
}
function bytes(n) {
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + ' ' + u[i];
}
function duration(ms) {
  const s = Math.floor(ms / 1000);
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
  return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
}
function pct(x) { return (x * 100).toFixed(x > 0 && x < 0.001 ? 2 : 1) + '%'; }
function ms(x) { return x == null ? '–' : x.toFixed(1) + ' ms'; }
function colorFor(id) {
  if (!colorOf.has(id)) colorOf.set(id, COLORS[colorOf.size % COLORS.length]);
  return colorOf.get(id);
}

function toast(text, error) {
  const t = $('toast');
  t.textContent = text;
  t.className = 'toast' + (error ? ' error' : '');
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, 4000);
}

async function call(method, path, body) {
  const headers = {};
  const token = localStorage.getItem('sluice.token');
  if (token) headers['Authorization'] = 'Bearer ' + token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  const data = text ? JSON.parse(text) : null;
  if (!r.ok) throw new Error((data && data.detail) || r.statusText);
  return data;
}

// ---------------------------------------------------------------------------------------------
// Rendering

function render(ev) {
  last = ev;
  const n = ev.node;
  $('node-line').textContent = 'node ' + location.host + ' · ' + n.version + ' · up ' + duration(n.uptimeMs);
  $('c-streams').textContent = n.streams;
  $('c-readers').textContent = n.readers;
  $('c-sessions').textContent = n.sessions;
  $('c-in').textContent = bits(n.bitrateIn);
  $('c-out').textContent = bits(n.bitrateOut);
  const worst = ev.sessions.reduce((m, s) => Math.max(m, s.loss.last10s), 0);
  $('c-loss').textContent = pct(worst);
  $('c-loss').classList.toggle('bad', worst >= 0.01);

  for (const s of ev.streams) {
    record(history, s.liveId, s.bitrate.last1s);
    record(viewerHistory, s.liveId, s.readers);
  }
  for (const map of [history, viewerHistory]) {
    for (const id of [...map.keys()]) {
      if (!ev.streams.some((s) => s.liveId === id)) map.delete(id);
    }
  }
  const worstOf = (role) => ev.sessions.filter((s) => s.role === role).reduce((m, s) => Math.max(m, s.loss.last2s), 0);
  record(lossHistory, 'publishers', worstOf('publisher'));
  record(lossHistory, 'viewers', worstOf('reader'));
  recordRetransmissions(ev);
  renderStreams(ev.streams, ev.sessions);
  renderSessions(ev.sessions);
  drawCharts();
}

function record(map, id, value) {
  const h = map.get(id) || [];
  h.push(value);
  while (h.length > HISTORY_POINTS) h.shift();
  map.set(id, h);
}

// Retransmissions asked for (by viewers, and of native pushers) and answered, per second since the last
// tick; a stream seen for the first time, or gone, adds nothing.
function recordRetransmissions(ev) {
  let asked = 0, answered = 0;
  const seen = new Map();
  for (const s of ev.streams) {
    const now = [s.retransmissions.requested + s.publisherRetransmissions.requested,
      s.retransmissions.sent + s.publisherRetransmissions.sent];
    const before = lastRetx.get(s.liveId) || now;
    asked += Math.max(0, now[0] - before[0]);
    answered += Math.max(0, now[1] - before[1]);
    seen.set(s.liveId, now);
  }
  lastRetx.clear();
  for (const [id, v] of seen) lastRetx.set(id, v);
  const seconds = lastRetxMs ? Math.max(0.5, (ev.timeMs - lastRetxMs) / 1000) : 1;
  lastRetxMs = ev.timeMs;
  record(retxHistory, 'asked', asked / seconds);
  record(retxHistory, 'answered', answered / seconds);
}

function retx(r) {
  return r.requested + ' · ' + r.sent;
}

function renderStreams(streams, sessions) {
  const body = $('streams').tBodies[0];
  body.replaceChildren(...streams.map((s) => {
    const tracks = s.tracks.map((t) => t.media + ' ' + t.codec).join(', ');
    const lossIn = sessions.find((x) => x.role === 'publisher' && x.path === s.liveId);
    const stop = actionButton('stop', 'stream:' + s.liveId, 'Stop', 'Confirm stop', () => stopStream(s.liveId));
    stop.setAttribute('data-live-id', s.liveId);
    return el('tr', { 'data-live-id': s.liveId },
      el('td', { class: 'name' }, el('span', { class: 'swatch', style: 'background:' + colorFor(s.liveId) }), s.liveId,
        s.state !== 'live' ? el('span', { class: 'sub' }, ' (' + s.state + ')') : null),
      el('td', {}, s.publisher, el('div', { class: 'sub' }, s.protocol + '/' + s.transport + (s.ssrc != null ? ' · ssrc ' + s.ssrc.toString(16) : ''))),
      el('td', {}, tracks || '–'),
      el('td', { class: 'num', 'data-field': 'bitrate', 'data-bps': String(s.bitrate.last1s) },
        bits(s.bitrate.last1s), el('div', { class: 'sub' }, shortBits(s.bitrate.last3s) + ' · ' + shortBits(s.bitrate.last10s))),
      el('td', { class: 'num', 'data-field': 'readers', title: s.nativeReaders + ' native' }, s.readers),
      el('td', { class: 'num' }, lossIn ? pct(lossIn.loss.last10s) : '–'),
      el('td', { class: 'num', 'data-field': 'retransmissions' }, retx(s.retransmissions),
        s.protocol === 'native' ? el('div', { class: 'sub' }, 'of pusher ' + retx(s.publisherRetransmissions)) : null),
      el('td', { class: 'num' }, ms(s.delayMs)),
      el('td', { class: 'num' }, duration(s.uptimeMs)),
      el('td', { class: 'num' }, stop));
  }));
  $('streams-empty').hidden = streams.length > 0;
}

function renderSessions(sessions) {
  const body = $('sessions').tBodies[0];
  body.replaceChildren(...sessions.map((s) => {
    const kick = actionButton('kick', 'session:' + s.id, 'Kick', 'Confirm kick', () => kickSession(s.id));
    kick.setAttribute('data-session-id', s.id);
    const loss = [s.loss.last2s, s.loss.last10s, s.loss.last60s].map(pct).join(' · ');
    return el('tr', { 'data-session-id': s.id },
      el('td', {}, el('code', {}, s.id.slice(0, 8))),
      el('td', {}, el('span', { class: 'badge ' + s.role }, s.role)),
      el('td', {}, s.path),
      el('td', {}, s.address, el('div', { class: 'sub' }, s.protocol + '/' + s.transport)),
      el('td', {}, s.state),
      el('td', { class: 'num' }, bytes(s.bytes), el('div', { class: 'sub' }, s.packets + ' packets')),
      el('td', { class: 'num' + (s.loss.last10s >= 0.01 ? ' bad' : '') }, loss),
      el('td', { class: 'num' }, ms(s.jitterMs)),
      el('td', { class: 'num' }, ms(s.rttMs)),
      el('td', { class: 'num' + (s.drops > 0 ? ' bad' : '') }, s.drops),
      el('td', { class: 'num' }, retx(s.retransmissions)),
      el('td', { class: 'num' }, kick));
  }));
  $('sessions-empty').hidden = sessions.length > 0;
}

// ---------------------------------------------------------------------------------------------
// The charts: one line per series, the last minute, drawn on a canvas at the screen's pixel density.

const CHARTS = [
  { canvas: 'chart', legend: 'legend', series: history, format: bits, min: 1e6, left: 86,
    empty: 'No stream is being published' },
  { canvas: 'chart-viewers', legend: 'legend-viewers', series: viewerHistory, format: (v) => String(Math.round(v)),
    min: 4, left: 40, empty: 'No stream is being published' },
  { canvas: 'chart-loss', legend: 'legend-loss', series: lossHistory, format: pct, min: 0.01, left: 52, fixed: true },
  { canvas: 'chart-retx', legend: 'legend-retx', series: retxHistory, format: (v) => v.toFixed(v < 10 && v % 1 ? 1 : 0) + '/s',
    min: 10, left: 52, fixed: true },
];

function drawCharts() {
  for (const c of CHARTS) drawChart(c);
}

function drawChart(chart) {
  const canvas = $(chart.canvas);
  const history = chart.series;
  const format = chart.format;
  const lineColor = (id) => (chart.fixed ? FIXED_COLORS[id] : colorFor(id));
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth, h = canvas.clientHeight;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const g = canvas.getContext('2d');
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, w, h);
  const left = chart.left, right = 12, top = 10, bottom = 24;
  const pw = w - left - right, ph = h - top - bottom;
  let max = 0;
  for (const series of history.values()) for (const v of series) max = Math.max(max, v);
  const scale = niceMax(Math.max(max, chart.min));
  g.font = '11px system-ui, sans-serif';
  g.fillStyle = '#667085';
  g.strokeStyle = '#eef1f5';
  g.lineWidth = 1;
  g.textAlign = 'right';
  g.textBaseline = 'middle';
  for (let i = 0; i <= 4; i++) {
    const y = top + ph - (ph * i) / 4;
    g.beginPath(); g.moveTo(left, y + 0.5); g.lineTo(left + pw, y + 0.5); g.stroke();
    g.fillText(format((scale * i) / 4), left - 8, y);
  }
  g.textAlign = 'center';
  g.textBaseline = 'top';
  for (const s of [60, 45, 30, 15, 0]) {
    g.fillText(s === 0 ? 'now' : '-' + s + ' s', left + pw - (pw * s) / HISTORY_POINTS, top + ph + 6);
  }
  const legend = [];
  for (const [id, series] of history) {
    g.strokeStyle = lineColor(id);
    g.lineWidth = 2;
    g.lineJoin = 'round';
    g.beginPath();
    series.forEach((v, i) => {
      const x = left + pw - (pw * (series.length - 1 - i)) / HISTORY_POINTS;
      const y = top + ph - (ph * v) / scale;
      if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
    });
    g.stroke();
    legend.push(el('span', {}, el('i', { style: 'background:' + lineColor(id) }), id + ' ' + format(series[series.length - 1] || 0)));
  }
  if (history.size === 0) {
    g.fillStyle = '#98a2b3';
    g.textAlign = 'center';
    g.textBaseline = 'middle';
    g.font = '13px system-ui, sans-serif';
    g.fillText(chart.empty, left + pw / 2, top + ph / 2);
  }
  $(chart.legend).replaceChildren(...legend);
}

function niceMax(v) {
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

// ---------------------------------------------------------------------------------------------
// Actions

// A destructive action takes two clicks: the first arms the button for a few seconds. The tables are
// redrawn every second, so the armed and running states live here, not in the buttons.
const CONFIRM_MS = 4000;
const armed = new Map();        // action key -> time the arming runs out
const running = new Set();      // action keys whose call is on its way

function actionButton(kind, key, label, confirmLabel, action) {
  const b = el('button', { class: 'danger ' + kind, type: 'button', textContent: label });
  const isArmed = () => (armed.get(key) || 0) > Date.now();
  if (running.has(key)) {
    b.disabled = true;
  } else if (isArmed()) {
    b.classList.add('confirm');
    b.textContent = confirmLabel;
  }
  b.addEventListener('click', async () => {
    if (running.has(key)) return;
    if (!isArmed()) {
      armed.set(key, Date.now() + CONFIRM_MS);
      b.classList.add('confirm');
      b.textContent = confirmLabel;
      return;
    }
    armed.delete(key);
    running.add(key);
    b.disabled = true;
    try { await action(); } finally { running.delete(key); }
  });
  return b;
}

async function stopStream(liveId) {
  try {
    await call('DELETE', '/api/v1/streams/' + encodeURIComponent(liveId));
    toast('Stopped ' + liveId);
  } catch (e) {
    toast('Could not stop ' + liveId + ': ' + e.message, true);
  }
}

async function kickSession(id) {
  try {
    await call('DELETE', '/api/v1/sessions/' + encodeURIComponent(id));
    toast('Kicked session ' + id.slice(0, 8));
  } catch (e) {
    toast('Could not kick: ' + e.message, true);
  }
}

$('key-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const liveId = $('live-id').value.trim();
  try {
    const key = await call('POST', '/api/v1/streams', { liveId });
    $('key-publish').textContent = key.publishUrl;
    $('key-play').textContent = key.playUrl;
    $('key-result').hidden = false;
    toast('Key ready for ' + key.liveId);
  } catch (err) {
    toast('Could not create the key: ' + err.message, true);
  }
});

$('token').value = localStorage.getItem('sluice.token') || '';
$('token').addEventListener('change', (e) => {
  if (e.target.value) localStorage.setItem('sluice.token', e.target.value.trim());
  else localStorage.removeItem('sluice.token');
});

// ---------------------------------------------------------------------------------------------
// The film library: it changes rarely, so it is read every few seconds rather than sent every tick.

const FILMS_EVERY_MS = 5000;

async function refreshFilms() {
  try {
    const r = await fetch('/api/v1/films');
    if (!r.ok) return;
    const films = await r.json();
    $('films-empty').hidden = films.length > 0;
    $('films').tBodies[0].replaceChildren(...films.map((f) => el('tr', { 'data-fid': f.fid },
      el('td', { class: 'name' }, f.title, el('div', { class: 'sub' }, f.fid)),
      el('td', {}, f.codecs.join(', ') || '–'),
      el('td', { class: 'num' }, duration(f.durationSeconds * 1000)),
      el('td', { class: 'num' }, bytes(f.sizeBytes)),
      el('td', { class: 'num' }, f.viewers),
      el('td', {}, el('code', {}, f.playUrl)))));
  } catch (err) {
    // The feed's own indicator shows a lost connection; the table keeps its last content.
  }
}

// ---------------------------------------------------------------------------------------------
// The feed

function connect() {
  const feed = $('feed');
  const source = new EventSource('/api/v1/events');
  source.addEventListener('tick', (m) => {
    feed.className = 'feed live';
    $('feed-text').textContent = 'live';
    render(JSON.parse(m.data));
  });
  source.onerror = () => {
    feed.className = 'feed down';
    $('feed-text').textContent = 'reconnecting';
  };
}
// ---------------------------------------------------------------------------------------------
// Nodes and rooms: this node alone, or the whole cluster when the node runs with --cluster.

const CLUSTER_EVERY_MS = 2000;

async function readJson(path) {
  const r = await fetch(path);
  if (!r.ok) throw new Error(r.statusText);
  return r.json();
}

async function refreshCluster() {
  try {
    const [nodes, rooms] = await Promise.all([readJson('/api/v1/nodes'), readJson('/api/v1/rooms')]);
    renderNodes(nodes);
    renderRooms(rooms);
  } catch (err) {
    // As for films: the feed's indicator tells of a lost connection.
  }
}

function nodeName(id) {
  return id.length > 12 ? id.slice(0, 8) : id;
}

function renderNodes(nodes) {
  const clustered = nodes.length > 1 || (nodes.length === 1 && nodes[0].node !== 'local');
  $('nodes-hint').textContent = clustered ? 'the cluster: ' + nodes.length + (nodes.length === 1 ? ' node' : ' nodes') : 'this node (no cluster)';
  $('nodes').tBodies[0].replaceChildren(...nodes.map((n) => {
    const heap = n.self && last ? ' · heap ' + bytes(last.node.heapUsedBytes) + ' / ' + bytes(last.node.heapMaxBytes) : '';
    return el('tr', { 'data-node': n.node },
      el('td', { class: 'name', title: n.node }, n.self ? location.host : nodeName(n.node),
        n.self ? el('span', { class: 'badge self' }, 'this node') : null,
        el('div', { class: 'sub' }, n.rtsp + heap)),
      el('td', { class: 'num' }, n.sessions),
      el('td', { class: 'num' }, n.seats),
      el('td', { class: 'num' }, bits(n.bitrateOutBps)),
      el('td', { class: 'num' }, pct(n.cpu)),
      el('td', { class: 'num' + (n.load >= 0.9 ? ' bad' : '') }, pct(n.load),
        el('div', { class: 'sub' }, 'of ' + n.capacityViewers + (n.capacityBps ? ' · ' + bits(n.capacityBps) : ''))),
      el('td', { class: 'num' }, n.rooms),
      el('td', { class: 'num' }, n.films));
  }));
}

function renderRooms(rooms) {
  $('rooms-empty').hidden = rooms.length > 0;
  $('rooms').tBodies[0].replaceChildren(...rooms.map((r) => el('tr', { 'data-room': r.room },
    el('td', { class: 'name' }, r.room.slice(r.room.indexOf('/') + 1), el('div', { class: 'sub' }, r.kind === 'film' ? 'film' : 'live stream')),
    el('td', { class: 'num', 'data-field': 'viewers' }, r.viewers),
    el('td', {}, ...r.nodes.map((h) => el('div', { class: 'room-node' },
      h.node === 'local' ? 'this node' : nodeName(h.node),
      el('span', { class: 'sub' }, ' ' + h.viewers + (h.viewers === 1 ? ' viewer' : ' viewers') + (h.seats ? ', ' + h.seats + ' seated' : '')),
      h.origin ? el('span', { class: 'badge origin' }, 'origin') : null))))));
}

window.addEventListener('resize', () => { if (last) drawCharts(); });
connect();
refreshFilms();
setInterval(refreshFilms, FILMS_EVERY_MS);
refreshCluster();
setInterval(refreshCluster, CLUSTER_EVERY_MS);
