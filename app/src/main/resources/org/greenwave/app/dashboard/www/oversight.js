// Greenwave dashboard: operators' oversight. On a signal's detail: the override in force (who set it, until when),
// the operator's commands (modes and actions, for the operator role), and why the engine decided as it did. In the
// side panel: the alerts, acknowledged by operators. Actions go through greenwave.post (session.js: session and
// CSRF token); the server records each in the audit log.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const gw = window.greenwave = window.greenwave || {};
  let signal = -1;
  let phases = 0;
  let whyBusy = false;

  function canOperate() {
    return typeof gw.can === 'function' && gw.can('operator');
  }

  function post(url, fields) {
    if (typeof gw.post === 'function') {
      return gw.post(url, fields);
    }
    return Promise.reject(new Error('actions need a logged-in session'));
  }

  function message(text, bad) {
    const m = $('o-msg');
    m.textContent = text;
    m.className = 'o-msg' + (bad ? ' bad' : '');
  }

  function text(parent, tag, value, cls) {
    const e = document.createElement(tag);
    e.textContent = value;
    if (cls) {
      e.className = cls;
    }
    parent.appendChild(e);
    return e;
  }

  // ---- the override in force and the commands ----
  function command(fields) {
    fields.durationS = $('o-duration').value;
    fields.note = $('o-note').value;
    message('sending…', false);
    return post('/api/signals/' + signal + '/command', fields).then((r) => {
      message('sent: ' + r.command + ' (recorded in the audit log)', false);
      setTimeout(refreshWhy, 400);
    }, (e) => message('refused: ' + e.message, true));
  }

  function renderOverride(o) {
    const box = $('d-override');
    box.dataset.kind = o ? o.kind : 'adaptive';
    if (!o) {
      box.textContent = 'Adaptive control: the engine decides.';
      return;
    }
    const t = Number($('engine-clock').dataset.t || 0);
    const left = Math.max(0, Math.round(o.expiresAtS - t));
    box.textContent = o.describe + (o.flashing ? ' (flashing)' : '') + ' — set by ' + o.setBy
        + (o.note ? ' (“' + o.note + '”)' : '') + '; adaptive control resumes in ' + left + ' s';
  }

  function setUpControls(phaseStates) {
    const sel = $('o-phase');
    sel.innerHTML = '';
    phaseStates.forEach((s, p) => {
      const o = document.createElement('option');
      o.value = p;
      o.textContent = p + ': ' + s;
      sel.appendChild(o);
    });
    phases = phaseStates.length;
    $('o-greens').placeholder = Array(phases).fill('20').join(',');
    $('o-controls').hidden = !canOperate();
    $('o-readonly').hidden = canOperate();
  }

  // ---- why ----
  function renderWhy(w) {
    renderOverride(w.override);
    $('d-why-text').textContent = w.text;
    const tbody = document.querySelector('#d-why-phases tbody');
    tbody.innerHTML = '';
    const alt = document.querySelector('#d-why-alt tbody');
    alt.innerHTML = '';
    $('d-why-schedule').textContent = '';
    if (!w.explained) {
      return;
    }
    w.phases.forEach((p) => {
      const tr = document.createElement('tr');
      if (p.phase === w.proposal) {
        tr.className = 'chosen';
      }
      text(tr, 'td', p.phase + ' ' + p.state);
      text(tr, 'td', p.queueVeh, 'num');
      text(tr, 'td', p.arrivingVeh, 'num');
      text(tr, 'td', p.clusters.map((c) => c.veh + '@' + c.fromS + '–' + c.toS + 's').join(' ') || '–');
      tbody.appendChild(tr);
    });
    $('d-why-schedule').textContent = (w.schedule.map((s) => 'phase ' + s.phase + ' ' + s.startS + '–' + s.endS
        + ' s (' + s.veh + ' veh)').join(' → ') || 'nothing planned') + '; delay ' + w.delayVehS + ' veh·s';
    const tr0 = document.createElement('tr');
    tr0.className = 'chosen';
    text(tr0, 'td', 'chosen: phase ' + (w.schedule.length ? w.schedule[0].phase : w.proposal));
    text(tr0, 'td', w.delayVehS, 'num');
    text(tr0, 'td', '', 'num');
    alt.appendChild(tr0);
    w.alternatives.forEach((a) => {
      const tr = document.createElement('tr');
      text(tr, 'td', 'starting with phase ' + a.firstPhase + (a.heldBack ? ' (held back: turn rule)' : ''));
      text(tr, 'td', a.delayVehS, 'num');
      text(tr, 'td', (a.extraVehS >= 0 ? '+' : '') + a.extraVehS, 'num');
      alt.appendChild(tr);
    });
  }

  function refreshWhy() {
    if (signal < 0 || whyBusy) {
      return;
    }
    whyBusy = true;
    fetch('/api/signals/' + signal + '/why', {credentials: 'same-origin', cache: 'no-store'})
        .then((r) => r.ok ? r.json() : null).then((w) => {
          if (w) {
            renderWhy(w);
          }
        }).catch(() => {}).finally(() => { whyBusy = false; });
  }

  function watchDetail() {
    const d = $('detail');
    const sync = () => {
      const i = d.hidden || d.dataset.index === undefined ? -1 : Number(d.dataset.index);
      if (i !== signal) {
        signal = i;
        message('', false);
        if (i >= 0) {
          fetch('/api/network', {credentials: 'same-origin'}).then((r) => r.json()).then((n) => {
            setUpControls(n.signals[i].greenPhases || []);
          }).catch(() => {});
          refreshWhy();
        }
      }
    };
    new MutationObserver(sync).observe(d, {attributes: true, attributeFilter: ['hidden', 'data-index']});
    sync();
  }

  // ---- alerts ----
  function renderAlerts(a) {
    $('alerts-count').textContent = a.unacknowledged ? a.unacknowledged + ' to acknowledge' : 'none to acknowledge';
    $('alerts-count').className = 'pill' + (a.unacknowledged ? ' alert' : '');
    const tbody = document.querySelector('#alerts-table tbody');
    tbody.innerHTML = '';
    a.alerts.forEach((x) => {
      const tr = document.createElement('tr');
      tr.dataset.kind = x.kind;
      tr.dataset.id = x.id;
      if (!x.active) {
        tr.className = 'cleared';
      }
      text(tr, 'td', x.kind);
      text(tr, 'td', x.signal || '–');
      const msg = text(tr, 'td', x.message, 'alert-msg');
      msg.title = 'raised ' + x.raisedAt + (x.clearedAt ? ', cleared ' + x.clearedAt : '');
      const ack = document.createElement('td');
      if (x.acknowledgedBy) {
        ack.textContent = '✓ ' + x.acknowledgedBy;
      } else if (canOperate()) {
        const b = text(ack, 'button', 'Acknowledge', 'ack');
        b.type = 'button';
        b.addEventListener('click', () => post('/api/alerts/' + x.id + '/ack', {})
            .then(refreshAlerts, (e) => alert('Not acknowledged: ' + e.message)));
      }
      tr.appendChild(ack);
      tbody.appendChild(tr);
    });
  }

  function refreshAlerts() {
    return fetch('/api/alerts', {credentials: 'same-origin', cache: 'no-store'}).then((r) => r.ok ? r.json() : null)
        .then((a) => {
          if (a) {
            renderAlerts(a);
          }
        }).catch(() => {});
  }

  function wire() {
    $('o-mode-apply').addEventListener('click', () => {
      const mode = $('o-mode').value;
      const f = {mode: mode};
      if (mode === 'fixed') {
        f.greensS = $('o-greens').value || $('o-greens').placeholder;
      }
      command(f);
    });
    $('o-hold').addEventListener('click', () => command({action: 'hold'}));
    $('o-freeze').addEventListener('click', () => command({action: 'freeze'}));
    $('o-advance').addEventListener('click', () => command({action: 'advance', phase: $('o-phase').value}));
    $('o-mode').addEventListener('change', () => { $('o-greens-row').hidden = $('o-mode').value !== 'fixed'; });
    watchDetail();
    const session = gw.session || Promise.resolve();
    session.then(() => {
      if (signal >= 0) {
        $('o-controls').hidden = !canOperate();
        $('o-readonly').hidden = canOperate();
      }
      refreshAlerts();
    }, () => {});
    setInterval(refreshAlerts, 2000);
    setInterval(refreshWhy, 2000);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', wire);
  } else {
    wire();
  }
}());
