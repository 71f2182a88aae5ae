// Greenwave dashboard. Draws the network once from /api/network, then follows the engine through the frames of
// /api/events (server-sent events; polling /api/frame when the stream is refused). The detail of a signal is polled
// from /api/signals/N once a second while it is open. Plain ES2017, no framework: runs in Chromium and Firefox.
'use strict';

(function () {
  const SVG = 'http://www.w3.org/2000/svg';
  const VEHICLE_SPACING_M = 7.5;
  const STATE_COLOR = { G: '#2ca02c', g: '#8fd18f', y: '#f2c200', Y: '#f2c200', r: '#d62728', R: '#d62728',
    u: '#f2c200', o: '#999', O: '#999', s: '#d62728' };
  const STATE_RANK = { G: 5, g: 4, y: 3, Y: 3, u: 3, o: 2, O: 2, s: 1, r: 0, R: 0 };

  const $ = (id) => document.getElementById(id);
  let net = null;
  let frame = null;
  let frames = 0;
  let selected = -1;
  let selectedLane = -1;
  let detailBusy = false;
  let queueChart = null;
  let kpiChart = null;
  let simulatedClock = true;
  let labelScale = 0;
  const signalEls = [];

  // ---- formatting ----
  function clockText(t) {
    if (!simulatedClock) {
      return new Date(t * 1000).toLocaleTimeString();
    }
    const s = Math.max(0, Math.floor(t));
    const h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, sec = s % 60;
    return String(h).padStart(2, '0') + ':' + String(m).padStart(2, '0') + ':' + String(sec).padStart(2, '0');
  }
  function esc(text) {
    return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  }
  function num(v, digits) {
    if (v === null || v === undefined || Number.isNaN(v)) {
      return '–';
    }
    return Number(v).toLocaleString('en-US', { maximumFractionDigits: digits || 0, minimumFractionDigits: digits || 0 });
  }
  /** Time-axis labels: the engine clock as HH:MM:SS. */
  function timeAxis() {
    return { size: 24, space: 80, incrs: [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400],
      values: (u, splits) => splits.map(clockText) };
  }
  function el(tag, attrs, parent) {
    const e = document.createElementNS(SVG, tag);
    for (const k in attrs) {
      e.setAttribute(k, attrs[k]);
    }
    if (parent) {
      parent.appendChild(e);
    }
    return e;
  }
  function pairs(flat) {
    const out = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      out.push([flat[i], -flat[i + 1]]);
    }
    return out;
  }
  function pointsAttr(pts) {
    return pts.map((p) => p[0].toFixed(2) + ',' + p[1].toFixed(2)).join(' ');
  }
  /** The last `length` metres of a polyline, as a polyline ending at its end. */
  function tail(pts, length) {
    const out = [pts[pts.length - 1]];
    let left = length;
    for (let i = pts.length - 1; i > 0 && left > 0; i--) {
      const a = pts[i], b = pts[i - 1];
      const d = Math.hypot(b[0] - a[0], b[1] - a[1]);
      if (d >= left) {
        const f = left / d;
        out.push([a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f]);
        left = 0;
      } else {
        out.push(b);
        left -= d;
      }
    }
    return out;
  }
  function polylineLength(pts) {
    let s = 0;
    for (let i = 1; i < pts.length; i++) {
      s += Math.hypot(pts[i][0] - pts[i - 1][0], pts[i][1] - pts[i - 1][1]);
    }
    return s;
  }

  // ---- network map ----
  function drawNetwork() {
    const svg = $('map');
    const b = net.bounds;
    const pad = 40;
    svg.setAttribute('viewBox', [b[0] - pad, -b[3] - pad, b[2] - b[0] + 2 * pad, b[3] - b[1] + 2 * pad].join(' '));
    svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
    const lanes = el('g', { class: 'lanes' }, svg);
    for (const j of net.junctions) {
      if (j.shape.length >= 6) {
        el('polygon', { class: 'junction', points: pointsAttr(pairs(j.shape)) }, lanes);
      }
    }
    for (const l of net.lanes) {
      el('polyline', { class: 'lane', points: pointsAttr(pairs(l.shape)), 'stroke-width': 3.2 }, lanes);
    }
    const signals = el('g', { class: 'signals' }, svg);
    net.signals.forEach((s, i) => {
      const g = el('g', { class: 'signal', 'data-index': i, 'data-id': s.id }, signals);
      const queues = [];
      const approaches = [];
      const byEdge = {};
      s.incoming.forEach((lane, l) => {
        const pts = pairs(lane.shape);
        const q = el('polyline', { class: 'queue', points: '', 'stroke-width': 3.2 }, g);
        queues.push({ el: q, pts: pts, length: polylineLength(pts) });
        let a = byEdge[lane.approach];
        if (!a) {
          const end = pts[pts.length - 1], prev = pts[Math.max(0, pts.length - 2)];
          const d = Math.hypot(end[0] - prev[0], end[1] - prev[1]) || 1;
          a = { id: lane.approach, lanes: [], end: end, dir: [(end[0] - prev[0]) / d, (end[1] - prev[1]) / d] };
          a.el = el('circle', { class: 'head', r: 3, fill: '#999' }, g);
          a.title = el('title', {}, a.el);
          byEdge[lane.approach] = a;
          approaches.push(a);
        }
        a.lanes.push(l);
      });
      const hit = el('circle', { class: 'signal-hit', cx: s.x, cy: -s.y, r: 34 }, g);
      el('title', {}, hit).textContent = s.id;
      hit.addEventListener('click', () => openDetail(i));
      // The label: the signal's id and, below it, its state; placed by layoutLabels.
      const tag = el('g', { class: 'signal-tag' }, g);
      const label = el('text', { class: 'signal-label', x: 0, y: 0 }, tag);
      label.textContent = s.id;
      const sub = el('text', { class: 'signal-sub', x: 0, y: 0 }, tag);
      signalEls.push({ g: g, queues: queues, approaches: approaches, tag: tag, label: label, sub: sub, subWidth: 0 });
    });
    scaleMap();
    window.addEventListener('resize', scaleMap);
  }

  /** The widest state line a signal's label may carry, to reserve room for it whatever the state. */
  function widestSub(sig) {
    return 'all-red P' + Math.max(0, sig.greenPhases.length - 1) + ' · 8888 veh';
  }

  /**
   * Places every signal's label (id over state) next to its signal where it overlaps no other label, no other signal
   * and stays inside the map: the first free place of eight around the signal, near then farther out. A label with
   * no free place loses its state line (class "crowded"), then its id as well ("hidden"); the signal's tooltip and
   * hovering it show them. Works in user units (metres); pixel sizes are scaled by mPerPx.
   */
  function layoutLabels(mPerPx) {
    const svg = $('map');
    const vb = svg.viewBox.baseVal;
    const r = svg.getBoundingClientRect();
    const vw = r.width * mPerPx, vh = r.height * mPerPx;
    const view = { x0: vb.x + vb.width / 2 - vw / 2, y0: vb.y + vb.height / 2 - vh / 2 };
    view.x1 = view.x0 + vw;
    view.y1 = view.y0 + vh;
    const gap = 3 * mPerPx;
    const signalR = 10 * mPerPx;
    const placed = [];
    const overlaps = (a, b) => a.x0 < b.x1 + gap && b.x0 < a.x1 + gap && a.y0 < b.y1 + gap && b.y0 < a.y1 + gap;
    const signalBoxes = net.signals.map((sig) => ({ x0: sig.x - signalR, x1: sig.x + signalR,
      y0: -sig.y - signalR, y1: -sig.y + signalR }));
    const labelBox = (s) => {
      s.tag.removeAttribute('transform');
      const a = s.label.getBBox();
      return { x0: a.x, y0: a.y, x1: a.x + a.width, y1: a.y + a.height };
    };
    const fullBox = (s) => {
      const a = labelBox(s);
      const b = s.sub.getBBox();
      const w = Math.max(b.width, s.subWidth);
      return { x0: Math.min(a.x0, b.x), y0: a.y0, x1: Math.max(a.x1, b.x + w), y1: Math.max(a.y1, b.y + b.height) };
    };
    const tryPlace = (s, i, box) => {
      const sig = net.signals[i];
      const cx = sig.x, cy = -sig.y, w = box.x1 - box.x0, h = box.y1 - box.y0;
      for (const d of [14 * mPerPx, 30 * mPerPx]) {
        const spots = [[cx + d, cy - d - h], [cx - d - w, cy - d - h], [cx + d, cy + d], [cx - d - w, cy + d],
          [cx + d, cy - h / 2], [cx - d - w, cy - h / 2], [cx - w / 2, cy - d - h], [cx - w / 2, cy + d]];
        for (const [x, y] of spots) {
          const c = { x0: x, y0: y, x1: x + w, y1: y + h };
          if (c.x0 < view.x0 || c.x1 > view.x1 || c.y0 < view.y0 || c.y1 > view.y1) {
            continue;
          }
          if (placed.some((p) => overlaps(p, c)) || signalBoxes.some((b, k) => k !== i && overlaps(b, c))) {
            continue;
          }
          placed.push(c);
          s.tag.setAttribute('transform', 'translate(' + (x - box.x0).toFixed(2) + ',' + (y - box.y0).toFixed(2) + ')');
          return true;
        }
      }
      return false;
    };
    const order = signalEls.map((s, i) => i);
    order.forEach((i) => signalEls[i].g.classList.remove('crowded', 'hidden-label'));
    const withoutSub = order.filter((i) => !tryPlace(signalEls[i], i, fullBox(signalEls[i])));
    withoutSub.forEach((i) => {
      const s = signalEls[i];
      s.g.classList.add('crowded');
      if (!tryPlace(s, i, labelBox(s))) {
        s.g.classList.add('hidden-label');
        s.tag.setAttribute('transform', 'translate(' + (net.signals[i].x + 14 * mPerPx).toFixed(2) + ','
          + (-net.signals[i].y - 14 * mPerPx).toFixed(2) + ')');
      }
    });
    document.body.dataset.labelsHidden = svg.querySelectorAll('.signal.hidden-label').length;
    document.body.dataset.labelsCrowded = svg.querySelectorAll('.signal.crowded').length;
  }

  /** Keeps strokes and labels a readable size in screen pixels, whatever the network's extent in metres. */
  function scaleMap() {
    const svg = $('map');
    const vb = svg.viewBox.baseVal;
    const r = svg.getBoundingClientRect();
    if (!vb || r.width === 0 || r.height === 0) {
      return;
    }
    const mPerPx = Math.max(vb.width / r.width, vb.height / r.height);
    signalEls.forEach((s) => s.g.classList.remove('crowded', 'hidden-label'));
    svg.querySelectorAll('.lane').forEach((e) => e.setAttribute('stroke-width', Math.max(3.2, 3 * mPerPx)));
    signalEls.forEach((s, i) => {
      const sig = net.signals[i];
      s.queues.forEach((q) => q.el.setAttribute('stroke-width', Math.max(3.2, 6 * mPerPx)));
      // A signal head per approach: a little upstream of the stop line, on the right of the road.
      s.approaches.forEach((a) => {
        const back = 12 * mPerPx, side = 9 * mPerPx;
        a.el.setAttribute('cx', a.end[0] - a.dir[0] * back - a.dir[1] * side);
        a.el.setAttribute('cy', a.end[1] - a.dir[1] * back + a.dir[0] * side);
        a.el.setAttribute('r', 4.5 * mPerPx);
        a.el.setAttribute('stroke-width', 1 * mPerPx);
      });
      s.g.querySelector('.signal-hit').setAttribute('r', Math.max(25, 16 * mPerPx));
      s.label.setAttribute('font-size', 14 * mPerPx);
      s.sub.setAttribute('font-size', 11 * mPerPx);
      s.sub.setAttribute('y', 13 * mPerPx);
      // Room for the widest state line, measured in this font size.
      const shown = s.sub.textContent;
      s.sub.textContent = widestSub(sig);
      s.subWidth = s.sub.getComputedTextLength();
      s.sub.textContent = shown;
    });
    labelScale = mPerPx;
    layoutLabels(mPerPx);
  }

  function laneState(sig, shown, lane) {
    let best = null;
    sig.links.forEach((l, k) => {
      if (l === lane) {
        const c = shown.charAt(k);
        if (best === null || (STATE_RANK[c] || 0) > (STATE_RANK[best] || 0)) {
          best = c;
        }
      }
    });
    return best;
  }

  function updateMap() {
    let relayout = false;
    frame.signals.forEach((f, i) => {
      const s = signalEls[i];
      const sig = net.signals[i];
      if (!s) {
        return;
      }
      let total = 0;
      s.queues.forEach((q, l) => {
        const veh = f.queueVeh[l] || 0;
        total += veh;
        const len = Math.min(q.length, veh * VEHICLE_SPACING_M);
        q.el.setAttribute('points', len > 0.5 ? pointsAttr(tail(q.pts, len)) : '');
        q.el.classList.toggle('spilled', !!f.spilledBack[l]);
      });
      s.approaches.forEach((a) => {
        let best = null;
        if (f.data && !f.deviceProgram) {
          a.lanes.forEach((l) => {
            const c = laneState(sig, f.shown, l);
            if (c !== null && (best === null || (STATE_RANK[c] || 0) > (STATE_RANK[best] || 0))) {
              best = c;
            }
          });
        }
        a.el.setAttribute('fill', best ? STATE_COLOR[best] || '#999' : '#999');
        let q = 0;
        a.lanes.forEach((l) => { q += f.queueVeh[l] || 0; });
        a.title.textContent = sig.id + ', approach ' + a.id + ': ' + (best || '-') + ', ' + num(q, 1)
          + ' veh queued (estimate)';
      });
      s.sub.textContent = !f.data ? 'no data'
        : (f.deviceProgram ? 'device ' + f.deviceProgram : f.interval + ' P' + f.phase) + ' · ' + num(total, 0) + ' veh';
      if (labelScale > 0 && s.sub.getComputedTextLength() > s.subWidth + 0.5 * labelScale) {
        // A state line wider than the room reserved (a long device program name): make room and place again.
        s.subWidth = s.sub.getComputedTextLength();
        relayout = true;
      }
      s.g.setAttribute('data-interval', f.data ? f.interval : 'no-data');
      s.g.setAttribute('data-queue', total.toFixed(1));
      s.g.classList.toggle('selected', i === selected);
      s.g.classList.toggle('no-data', !f.data);
    });
    if (relayout) {
      layoutLabels(labelScale);
    }
  }

  // ---- overview, KPIs, health ----
  function drawOverview() {
    const body = document.querySelector('#signals-table tbody');
    body.innerHTML = '';
    net.signals.forEach((s, i) => {
      const tr = document.createElement('tr');
      tr.dataset.index = i;
      tr.innerHTML = '<td></td><td></td><td class="num"></td><td class="num"></td><td class="num"></td><td class="num"></td>';
      tr.firstChild.textContent = s.id;
      tr.addEventListener('click', () => openDetail(i));
      body.appendChild(tr);
    });
  }

  function updateOverview() {
    const body = document.querySelector('#signals-table tbody');
    frame.signals.forEach((f, i) => {
      const tds = body.children[i].children;
      let q = 0, faults = 0;
      f.queueVeh.forEach((v) => { q += v; });
      f.detectorFaults.forEach((v) => { faults += v ? 1 : 0; });
      tds[0].textContent = net.signals[i].id;
      if (!f.data) {
        // Nothing from the field yet: what the engine would command is no evidence of what the signal shows.
        tds[1].innerHTML = '<span class="pill no-data" title="no detector reading or controller status yet">'
          + 'no data</span>';
        tds[2].textContent = '–';
        tds[3].textContent = '–';
        tds[4].textContent = '–';
        tds[5].textContent = '–';
        return;
      }
      tds[1].innerHTML = '<span class="pill ' + f.interval + '">' + f.interval + '</span>';
      tds[2].textContent = f.deviceProgram ? 'device' : f.phase;
      tds[3].textContent = num(f.phaseElapsedS, 0) + ' s';
      tds[4].textContent = num(q, 1);
      tds[5].textContent = faults;
    });
  }

  function updateKpis() {
    const k = frame.kpi;
    $('kpi-window').textContent = Math.round(k.windowS / 60) + ' min';
    $('kpi-throughput').textContent = num(k.throughputVehPerH);
    $('kpi-delay').textContent = num(k.delaySPerVeh, 1);
    $('kpi-stops').textContent = num(k.stopsPerVeh, 2);
    $('kpi-stops-unit').textContent = 'per veh · ' + num(k.stops) + ' in all';
    $('kpi-spill').textContent = num(k.spillBacks);
    $('kpi-spill-unit').textContent = 'lanes now: ' + k.spilledLanesNow;
    $('kpi-queue').textContent = num(k.queueVehNow, 0);
    const s = k.series;
    const data = [s.t, s.throughputVehPerH, s.queueVeh, s.delaySPerVeh];
    const box = $('kpi-chart');
    if (!kpiChart) {
      kpiChart = new uPlot({
        width: Math.max(200, box.clientWidth), height: 130, legend: { live: false },
        scales: { x: { time: false }, veh: { range: (u, min, max) => [0, Math.max(10, max * 1.1)] },
          s: { range: (u, min, max) => [0, Math.max(10, max * 1.1)] } },
        series: [{},
          { label: 'veh/h', stroke: '#1f77b4', width: 2, scale: 'veh' },
          { label: 'queue veh', stroke: '#ff7f0e', width: 1.5, scale: 's' },
          { label: 'delay s/veh', stroke: '#9467bd', width: 1.5, scale: 's' }],
        axes: [timeAxis(), { scale: 'veh', size: 44, values: (u, splits) => splits.map((v) => (v >= 1000 ? v / 1000 + 'k' : v)) },
          { scale: 's', side: 1, size: 34, grid: { show: false } }],
      }, data, box);
    } else {
      kpiChart.setData(data);
    }
  }

  function tile(id, value, unit, bad) {
    $(id).textContent = value;
    if (unit !== undefined) {
      $(id + '-unit').textContent = unit;
    }
    $(id).parentElement.classList.toggle('bad', !!bad);
  }

  function updateHealth() {
    const h = frame.health;
    if (h.broker !== undefined) {
      tile('h-broker', h.broker, (h.field || 'mqtt').toUpperCase() + ' gateway', h.broker !== 'connected');
      $('h-rate-label').textContent = 'Messages/s';
      tile('h-rate', num(h.messagesPerS, 1), 'MQTT in; readings ' + num(h.eventsPerEngineS, 1) + '/s');
      const reasons = Object.keys(h.rejects || {}).filter((r) => h.rejects[r] > 0)
        .map((r) => r + ' ' + h.rejects[r]).join(', ');
      tile('h-rejects', num(h.rejectsTotal), reasons || 'none, by reason', h.rejectsTotal > 0);
      $('h-rejects').parentElement.title = reasons;
    } else {
      tile('h-broker', 'in process', 'simulated run: gateway not shown');
      $('h-rate-label').textContent = 'Detector readings/s';
      tile('h-rate', num(h.eventsPerEngineS, 1), 'per engine second');
      tile('h-rejects', '–', 'no MQTT gateway to count');
    }
    const f = h.detectorFaults || { 'stop-line': 0, advance: 0, area: 0 };
    const nf = f['stop-line'] + f.advance + f.area;
    tile('h-faults', nf === undefined || Number.isNaN(nf) ? '–' : nf,
      'stop-line ' + f['stop-line'] + ', advance ' + f.advance + ', area ' + f.area, nf > 0);
    tile('h-p99', num(h.decisionP99Us, 1), 'µs, last minute (p50 ' + num(h.decisionP50Us, 1) + ')');
    $('h-drops').textContent = num(h.queueFullDrops) + ' / ' + num(h.errors);
    $('h-drops').parentElement.classList.toggle('bad', h.queueFullDrops > 0 || h.errors > 0);
  }

  function onFrame(f) {
    frame = f;
    frames++;
    document.body.dataset.frames = frames;
    simulatedClock = f.clock === 'simulated';
    $('engine-clock').textContent = clockText(f.engineTimeS);
    $('engine-clock').dataset.t = f.engineTimeS;
    $('status').textContent = f.status;
    $('status').className = 'pill ' + f.status;
    $('run').textContent = f.run;
    if (!net || f.signals.length !== net.signals.length) {
      return;
    }
    updateMap();
    updateOverview();
    updateKpis();
    updateHealth();
  }

  // ---- signal detail ----
  function openDetail(i) {
    if (selected !== i) {
      selectedLane = -1;
      const sel = $('d-lane');
      sel.innerHTML = '<option value="-1">all incoming lanes</option>';
      net.signals[i].incoming.forEach((l, k) => {
        const o = document.createElement('option');
        o.value = k;
        o.textContent = l.id;
        sel.appendChild(o);
      });
    }
    selected = i;
    $('overview').hidden = true;
    $('detail').hidden = false;
    $('detail').dataset.signal = net.signals[i].id;
    $('detail').dataset.index = i;
    $('d-id').textContent = net.signals[i].id;
    if (frame) {
      updateMap();
    }
    refreshDetail();
  }

  function closeDetail() {
    selected = -1;
    $('detail').hidden = true;
    delete $('detail').dataset.signal;
    delete $('detail').dataset.index;
    $('overview').hidden = false;
    if (frame) {
      updateMap();
    }
  }

  function refreshDetail() {
    if (selected < 0 || detailBusy) {
      return;
    }
    detailBusy = true;
    const i = selected;
    fetch('/api/signals/' + i + '?lane=' + selectedLane)
      .then((r) => (r.ok ? r.json() : null))
      .then((d) => {
        if (d && i === selected) {
          renderDetail(d);
        }
      })
      .catch(() => {})
      .finally(() => { detailBusy = false; });
  }

  function phaseOf(d, state) {
    const p = d.greenPhases.indexOf(state);
    if (p >= 0) {
      return { cls: 'p-green', text: 'P' + p };
    }
    if (/[yYu]/.test(state)) {
      return { cls: 'p-yellow', text: 'yellow' };
    }
    if (/[Gg]/.test(state)) {
      return { cls: 'p-green', text: 'green' };
    }
    return { cls: 'p-red', text: 'all red' };
  }

  function renderDetail(d) {
    const s = d.signal;
    $('d-interval').textContent = s.data ? s.interval : 'no data';
    $('d-interval').className = 'pill ' + (s.data ? s.interval : 'no-data');
    $('d-phase').textContent = !s.data ? '–' : s.deviceProgram ? 'device program ' + s.deviceProgram
      : s.phase + ' of ' + d.greenPhases.length + (s.targetPhase !== s.phase ? ' → ' + s.targetPhase : '');
    $('d-elapsed').textContent = s.data ? num(s.phaseElapsedS, 1) : '–';
    $('d-links').innerHTML = s.data ? s.shown.split('').map((c, k) => '<i class="s-' + c + '" title="link ' + k + ': '
      + c + '"></i>').join('') : '';
    const wd = $('d-watchdog');
    wd.hidden = !s.watchdogTrips;
    wd.textContent = s.watchdogTrips ? (s.watchdogSuspended ? 'Watchdog: on its own program now. ' : 'Watchdog: ')
      + s.watchdogTrips + ' trip(s); last ' + s.watchdogReason : '';
    const plan = $('d-plan');
    plan.innerHTML = '';
    if (!d.plan) {
      $('d-plan-note').textContent = '';
      plan.innerHTML = '<span class="plan-empty">No timing plans reach the dashboard in this view.</span>';
    } else if (d.plan.deviceProgram) {
      $('d-plan-note').textContent = '';
      plan.innerHTML = '<span class="plan-empty">The field device runs its own program ' + d.plan.deviceProgram
        + '; the engine only watches.</span>';
    } else {
      $('d-plan-note').textContent = 'plan #' + d.plan.sequence;
      let total = 0;
      d.plan.entries.forEach((e) => { total += Math.max(e[1], 1); });
      d.plan.entries.forEach((e) => {
        const p = phaseOf(d, e[0]);
        const div = document.createElement('div');
        div.className = p.cls;
        div.style.flex = String(Math.max(e[1], 1) / total);
        div.textContent = p.text + ' ' + num(e[1], 0) + ' s';
        div.title = e[0] + ' for ' + e[1] + ' s';
        plan.appendChild(div);
      });
    }
    renderQueueChart(d);
    renderPrediction(d.prediction);
    const body = document.querySelector('#d-measures tbody');
    body.innerHTML = '';
    d.lanes.forEach((l) => {
      const tr = document.createElement('tr');
      const aog = l.arrivals > 0 ? Math.round(100 * l.arrivalsOnGreen / l.arrivals) + '%' : '–';
      tr.innerHTML = '<td>' + l.id + '</td><td class="num">' + num(l.queueVeh, 1) + '</td><td class="num">' + l.arrivals
        + '</td><td class="num">' + aog + '</td><td class="num">' + l.greens + '</td><td class="num">'
        + l.splitFailures + '</td>';
      body.appendChild(tr);
    });
    renderPcd(d.pcd);
  }

  // The intersection's and approaches' predicted total queue (vehicles) and delay, each with its band when the
  // forecaster's model calibrated one: "7.2 (4.1–10.8)".
  function renderPrediction(p) {
    const body = document.querySelector('#d-pred tbody');
    body.innerHTML = '';
    if (!p) {
      $('d-pred-note').textContent = '';
      return;
    }
    $('d-pred-note').textContent = p.bands ? 'vehicles queued (delay: vehicle-seconds over the next 60 s), 10–90 % band below each'
      : 'vehicles queued; no band: the forecaster has no calibrated model (--queue-model)';
    const cell = (v, lo, hi) => {
      const band = lo !== null && hi !== null
        ? ' <span class="band" title="10–90 % band">(' + num(lo, 1) + '–' + num(hi, 1) + ')</span>' : '';
      return '<td class="num">' + num(v, 1) + band + '</td>';
    };
    const at = (s) => p.horizonsS.indexOf(s);
    p.groups.forEach((g) => {
      const tr = document.createElement('tr');
      tr.className = g.id === 'all' ? 'pred-total' : '';
      let html = '<td>' + (g.id === 'all' ? 'intersection' : esc(g.id)) + '</td><td class="num">'
        + num(g.nowVeh, 1) + '</td>';
      [15, 30, 60].forEach((s) => { const k = at(s); html += cell(g.queueVeh[k], g.lowVeh[k], g.highVeh[k]); });
      const dband = g.delayLowVehS !== null && g.delayHighVehS !== null
        ? ' <span class="band" title="10–90 % band">(' + num(g.delayLowVehS, 0) + '–' + num(g.delayHighVehS, 0)
          + ')</span>' : '';
      html += '<td class="num">' + num(g.delayVehS, 0) + dband + '</td>';
      tr.innerHTML = html;
      body.appendChild(tr);
    });
  }

  function renderQueueChart(d) {
    const q = d.queue;
    const n = q.t.length;
    const x = q.t.slice();
    const est = q.estimated.slice();
    const pred = q.predicted.slice();
    const fc = new Array(n).fill(null);
    if (n > 0) {
      fc[n - 1] = est[n - 1];
      const t0 = q.t[n - 1];
      for (let h = 1; h < q.forecast.length; h++) {
        x.push(t0 + h);
        est.push(null);
        pred.push(null);
        fc.push(q.forecast[h]);
      }
    }
    const data = [x, est, pred, fc];
    const box = $('d-queue-chart');
    if (!queueChart) {
      queueChart = new uPlot({
        width: Math.max(200, box.clientWidth), height: 150, legend: { live: false },
        scales: { x: { time: false }, y: { range: (u, min, max) => [0, Math.max(4, max * 1.1)] } },
        series: [{},
          { label: 'estimated', stroke: '#1f77b4', width: 1.5 },
          { label: 'predicted ' + d.predictionLeadS + ' s ahead', stroke: '#ff7f0e', width: 1, dash: [5, 4] },
          { label: 'forecast', stroke: '#9467bd', width: 1.5, dash: [2, 2] }],
        axes: [timeAxis(), { label: 'vehicles', size: 44 }],
      }, data, box);
    } else {
      queueChart.setData(data);
    }
  }

  function renderPcd(p) {
    const c = $('d-pcd');
    const dpr = window.devicePixelRatio || 1;
    const w = c.clientWidth || 420, h = c.clientHeight || 190;
    c.width = w * dpr;
    c.height = h * dpr;
    const g = c.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    g.font = '10px system-ui, sans-serif';
    if (!p) {
      return;
    }
    $('d-pcd-lane').textContent = 'lane ' + p.lane + ', ' + p.arrivals.length + ' arrivals, ' + p.cycles.length + ' cycles';
    const left = 34, bottom = 18, top = 6, right = 6;
    let t0 = Infinity, t1 = -Infinity, ymax = 60;
    p.cycles.forEach((cy) => { t0 = Math.min(t0, cy[0]); t1 = Math.max(t1, cy[0] + cy[2]); ymax = Math.max(ymax, cy[2]); });
    p.arrivals.forEach((a) => { t0 = Math.min(t0, a[0]); t1 = Math.max(t1, a[0]); ymax = Math.max(ymax, a[1]); });
    if (!(t1 > t0)) {
      g.fillStyle = '#68778a';
      g.fillText('No cycles yet.', left + 8, h / 2);
      return;
    }
    ymax = Math.min(ymax, 300);
    const X = (t) => left + (t - t0) / (t1 - t0) * (w - left - right);
    const Y = (s) => h - bottom - Math.min(s, ymax) / ymax * (h - bottom - top);
    p.cycles.forEach((cy) => {
      const x0 = X(cy[0]), x1 = Math.max(X(cy[0] + cy[2]), x0 + 1);
      g.fillStyle = 'rgba(214,39,40,0.16)';
      g.fillRect(x0, Y(cy[1]), x1 - x0, Y(0) - Y(cy[1]));
      g.fillStyle = 'rgba(44,160,44,0.35)';
      g.fillRect(x0, Y(cy[2]), x1 - x0, Y(cy[1]) - Y(cy[2]));
    });
    g.fillStyle = '#1d2430';
    p.arrivals.forEach((a) => { g.fillRect(X(a[0]) - 1, Y(a[1]) - 1, 2, 2); });
    g.strokeStyle = '#889';
    g.beginPath();
    g.moveTo(left, top);
    g.lineTo(left, h - bottom);
    g.lineTo(w - right, h - bottom);
    g.stroke();
    g.fillStyle = '#445';
    for (let s = 0; s <= ymax; s += ymax > 150 ? 60 : 30) {
      g.fillText(String(s), 4, Y(s) + 3);
    }
    g.fillText(clockText(t0), left, h - 4);
    const endText = clockText(t1);
    g.fillText(endText, w - right - g.measureText(endText).width, h - 4);
  }

  // ---- wiring ----
  function poll() {
    fetch('/api/frame').then((r) => r.json()).then(onFrame).catch(() => {
      $('status').textContent = 'lost';
      $('status').className = 'pill lost';
    });
  }

  function follow() {
    if (!window.EventSource) {
      setInterval(poll, 1000);
      return;
    }
    const es = new EventSource('/api/events');
    let opened = false;
    let fallback = null;
    es.addEventListener('open', () => { opened = true; });
    es.addEventListener('frame', (e) => onFrame(JSON.parse(e.data)));
    es.addEventListener('error', () => {
      if (!opened && fallback === null) {
        // The stream was refused (too many open): poll instead.
        es.close();
        fallback = setInterval(poll, 1000);
      } else {
        $('status').textContent = 'lost';
        $('status').className = 'pill lost';
      }
    });
  }

  $('d-close').addEventListener('click', closeDetail);
  $('d-lane').addEventListener('change', (e) => {
    selectedLane = Number(e.target.value);
    refreshDetail();
  });
  // Charts follow their box: the window's size, and the side panel's scroll bar coming and going.
  function fitCharts() {
    if (queueChart && queueChart.width !== Math.max(200, $('d-queue-chart').clientWidth)) {
      queueChart.setSize({ width: Math.max(200, $('d-queue-chart').clientWidth), height: 150 });
    }
    if (kpiChart && kpiChart.width !== Math.max(200, $('kpi-chart').clientWidth)) {
      kpiChart.setSize({ width: Math.max(200, $('kpi-chart').clientWidth), height: 130 });
    }
  }
  window.addEventListener('resize', fitCharts);
  if (window.ResizeObserver) {
    const boxes = new ResizeObserver(fitCharts);
    boxes.observe($('d-queue-chart'));
    boxes.observe($('kpi-chart'));
  }
  setInterval(refreshDetail, 1000);

  fetch('/api/network').then((r) => r.json()).then((n) => {
    net = n;
    $('title').textContent = '· ' + n.title;
    drawNetwork();
    drawOverview();
    poll();
    follow();
  });
}());
