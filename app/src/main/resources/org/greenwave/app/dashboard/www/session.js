// Greenwave dashboard: the session (who is logged in, their role, the CSRF token every POST carries), log-out, and
// the audit log panel. Loaded before dashboard.js; other scripts post actions through greenwave.post().
(function () {
  'use strict';
  const gw = window.greenwave = window.greenwave || {};
  const $ = (id) => document.getElementById(id);

  function toLogin() {
    window.location.assign('/login');
  }

  /** Resolves to {user, role, csrf, login, https} once the session is known. */
  gw.session = fetch('/api/session', {credentials: 'same-origin', cache: 'no-store'}).then((r) => {
    if (r.status === 401) {
      toLogin();
      throw new Error('not logged in');
    }
    return r.json();
  }).then((s) => {
    gw.user = s.user;
    gw.role = s.role;
    gw.csrf = s.csrf;
    const user = $('user');
    if (user) {
      user.textContent = s.user + ' (' + s.role + ')';
      user.hidden = false;
    }
    const form = $('logout');
    if (form) {
      form.elements.csrf.value = s.csrf;
      form.hidden = !s.login;
    }
    document.body.dataset.role = s.role;
    return s;
  });

  /** Whether the logged-in user's role covers {@code role} ('viewer', 'operator' or 'admin'). */
  gw.can = function (role) {
    const order = ['viewer', 'operator', 'admin'];
    return order.indexOf(gw.role) >= order.indexOf(role);
  };

  /**
   * POSTs {@code fields} (an object) as a form to {@code url} with the session's CSRF token; resolves to the JSON
   * answer, rejects with an Error carrying the server's message (and .status) when refused.
   */
  gw.post = function (url, fields) {
    return gw.session.then(() => fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {'X-CSRF-Token': gw.csrf, 'Content-Type': 'application/x-www-form-urlencoded'},
      body: new URLSearchParams(fields || {}).toString(),
    })).then((r) => r.text().then((t) => {
      let j = {};
      try { j = t ? JSON.parse(t) : {}; } catch (e) { j = {error: t}; }
      if (r.status === 401) {
        toLogin();
      }
      if (!r.ok) {
        const err = new Error(j.error || ('HTTP ' + r.status));
        err.status = r.status;
        throw err;
      }
      gw.refreshAudit();
      return j;
    }));
  };

  function two(n) {
    return (n < 10 ? '0' : '') + n;
  }

  /** Reloads the audit panel now (it also reloads every 5 s). */
  gw.refreshAudit = function () {
    const body = document.querySelector('#audit-table tbody');
    if (!body) {
      return Promise.resolve();
    }
    return fetch('/api/audit?n=30', {credentials: 'same-origin', cache: 'no-store'}).then((r) => {
      if (r.status === 401) {
        toLogin();
        throw new Error('not logged in');
      }
      return r.json();
    }).then((a) => {
      $('audit-count').textContent = a.lines + ' entries' + (a.file ? ', ' + a.file : ', kept in memory only');
      $('audit-count').title = 'newest hash ' + a.head;
      body.textContent = '';
      for (const e of a.entries) {
        const tr = document.createElement('tr');
        tr.dataset.action = e.action;
        const t = new Date(e.time);
        const cells = [two(t.getHours()) + ':' + two(t.getMinutes()) + ':' + two(t.getSeconds()), e.actor, e.action,
          e.target, e.detail];
        cells.forEach((c, i) => {
          const td = document.createElement('td');
          td.textContent = c;
          if (i === 0) {
            td.title = e.time + ' (line ' + e.seq + ')';
          }
          tr.appendChild(td);
        });
        body.appendChild(tr);
      }
    }).catch(() => {});
  };

  document.addEventListener('DOMContentLoaded', () => {
    gw.session.then(() => gw.refreshAudit());
    setInterval(gw.refreshAudit, 5000);
  });
})();
