/*
 * Målpil site behaviour. Plain JS, no build step. Loaded with `defer` after htmx 4 and DKFDS,
 * so the DOM is parsed and `htmx` / `DKFDS` exist. Everything lives here because the CSP
 * (script-src 'self', no unsafe-eval) forbids inline scripts and hx-on attributes.
 * htmx 4 event names: htmx:config:request, htmx:after:swap, ... (see docs/htmx4.md).
 */
(function () {
  'use strict';

  var flash = document.getElementById('flash');
  var announcer = document.getElementById('announcer');
  var alertTemplate = document.getElementById('client-alert');

  function firstIn(roots, selector) {
    for (var i = 0; i < roots.length; i++) {
      var r = roots[i];
      if (r.matches && r.matches(selector)) return r;
      var found = r.querySelector && r.querySelector(selector);
      if (found) return found;
    }
    return null;
  }

  function allIn(root, selector) {
    var list = root.querySelectorAll ? Array.prototype.slice.call(root.querySelectorAll(selector)) : [];
    if (root.matches && root.matches(selector)) list.unshift(root);
    return list;
  }

  /* ------------------------------------------------------------------ DKFDS components */

  // DKFDS.init() also builds the header's "more" menu and binds window listeners, so it may
  // run only once. Content swapped in later gets the per-component initialisers instead.
  var COMPONENTS = [
    ['.accordion, .accordion-bordered', 'Accordion'],
    ['.alert.has-close', 'Alert'],
    ['.form-limit', 'CharacterLimit'],
    ['.js-checkbox-toggle-content', 'CheckboxToggleContent'],
    ['.js-dropdown', 'Dropdown'],
    ['[data-module="error-summary"]', 'ErrorSummary'],
    ['.fds-modal', 'Modal'],
    ['.js-radio-toggle-group', 'RadioToggleGroup'],
    ['table.table--selectable', 'TableSelectableRows'],
    ['div.tab-container', 'Tabs'],
    ['.tooltip-wrapper', 'Tooltip']
  ];
  var initialised = new WeakSet(); // morph swaps keep elements; never bind twice

  function markInitialised(root) {
    COMPONENTS.forEach(function (c) { allIn(root, c[0]).forEach(function (el) { initialised.add(el); }); });
  }

  function initComponents(root) {
    if (!window.DKFDS) return;
    COMPONENTS.forEach(function (c) {
      allIn(root, c[0]).forEach(function (el) {
        if (initialised.has(el) || !DKFDS[c[1]]) return;
        initialised.add(el);
        try { new DKFDS[c[1]](el).init(); } catch (e) { console.error('DKFDS ' + c[1], e); }
      });
    });
    // The date picker's events are delegated from document; new markup only needs enhancing.
    if (DKFDS.datePicker && root.querySelector) DKFDS.datePicker.init(root);
  }

  if (window.DKFDS) {
    DKFDS.init();
    markInitialised(document);
  }

  /* ------------------------------------------------------------------ CSRF */

  // Flask-WTF checks X-CSRFToken on every unsafe request. Read the attribute each time so a
  // token rotated by a swapped <body> is picked up.
  document.addEventListener('htmx:config:request', function (evt) {
    var token = document.body.dataset.csrfToken;
    if (token) evt.detail.ctx.request.headers['X-CSRFToken'] = token;
  });

  /* ------------------------------------------------------------------ confirm */

  // data-confirm="text" on a link, button or form. Asked once per user action: the capture
  // listeners run before htmx's own listeners on the element, and an event that was already
  // confirmed is remembered so htmx:config:request doesn't ask again. Cancelling stops the
  // event before htmx or the browser acts on it. (hx-confirm="text" is the htmx-native,
  // equally CSP-safe alternative for htmx elements; don't combine the two.)
  var confirmedEvents = new WeakSet();
  var HX_VERB = /(^| )(data-)?hx-(get|post|put|patch|delete)( |$)/;
  function attrNames(el) { return el.getAttributeNames().join(' '); }

  function confirmOrStop(el, evt) {
    var text = el && el.getAttribute('data-confirm');
    if (!text) return;
    if (window.confirm(text)) {
      confirmedEvents.add(evt);
    } else {
      evt.preventDefault();
      evt.stopImmediatePropagation();
    }
  }

  document.addEventListener('submit', function (evt) {
    var submitter = evt.submitter;
    var el = submitter && submitter.hasAttribute('data-confirm') ? submitter : evt.target;
    confirmOrStop(el, evt);
  }, true);

  document.addEventListener('click', function (evt) {
    var el = evt.target.closest && evt.target.closest('[data-confirm]');
    if (!el || el.tagName === 'FORM') return;
    // A plain submit button's confirmation is asked on the form's submit event instead
    // (an htmx button cancels the click's submit, so it is asked here).
    if (el.form && (el.type === 'submit' || el.type === 'image') && !HX_VERB.test(attrNames(el))) return;
    confirmOrStop(el, evt);
  }, true);

  // Requests htmx starts from other triggers (change, load, delay, ...).
  document.addEventListener('htmx:config:request', function (evt) {
    var ctx = evt.detail.ctx;
    var el = ctx.sourceElement;
    var text = el && el.getAttribute && el.getAttribute('data-confirm');
    if (!text || (ctx.sourceEvent && confirmedEvents.has(ctx.sourceEvent))) return;
    if (!window.confirm(text)) evt.preventDefault();
  });

  /* ------------------------------------------------------------------ announcements */

  var announceTimer;
  function announce(text) {
    if (!announcer || !text) return;
    // Empty first, then fill: a live region only speaks changes, so the same text twice
    // would otherwise be silent.
    announcer.textContent = '';
    clearTimeout(announceTimer);
    announceTimer = setTimeout(function () { announcer.textContent = text; }, 100);
  }

  // Texts for the scripts come from the server, translated like every other interface text:
  // an element (usually the widget itself) carries them as data-text-<key>="… {name} …", and
  // text(el, key, values) takes the nearest one around el (or anywhere on the page) and fills in
  // {placeholders}. No script holds interface words of its own (tests/test_i18n.py).
  function text(el, key, values) {
    var attr = 'data-text-' + key;
    var owner = (el && el.closest && el.closest('[' + attr + ']')) || document.querySelector('[' + attr + ']');
    var template = owner ? owner.getAttribute(attr) : '';
    return template.replace(/\{(\w+)\}/g, function (m, name) {
      return values && values[name] !== undefined ? String(values[name]) : m;
    });
  }

  // The one announcer: other scripts call Maalpil.announce(Maalpil.text(el, 'key', {...})).
  window.Maalpil = { announce: announce, text: text };

  // Server: `HX-Trigger: {"announce": "Målet er gemt"}` (or {"announce": {"message": "..."}}).
  document.addEventListener('announce', function (evt) {
    var d = evt.detail || {};
    announce(typeof d === 'string' ? d : (d.value || d.message));
  });

  // Flash messages rendered with the page sit in a live region already, but screen readers
  // don't read live-region content that exists at load; repeat it once.
  if (flash && flash.textContent.trim()) {
    setTimeout(function () { announce(flash.textContent.replace(/\s+/g, ' ').trim()); }, 500);
  }

  /* ------------------------------------------------------------------ after a swap */

  // Collect every region htmx swapped (main target, OOB, partials) and act once per request
  // when the whole swap is done, so focus moves at most once.
  var swapped = [];
  document.addEventListener('htmx:after:settle', function (evt) {
    (evt.detail.newContent || []).forEach(function (n) { if (n.nodeType === 1) swapped.push(n); });
  });

  document.addEventListener('htmx:after:swap', function (evt) {
    var roots = swapped.filter(function (n) { return n.isConnected; });
    swapped = [];
    if (!roots.length) return;

    var ctx = evt.detail.ctx || {};
    var active = document.activeElement;
    // Errors take focus after a submit, or when the focused element was swapped away; not
    // while the user tabs on from a field that validates itself on change.
    var errorsMayTakeFocus = (ctx.sourceEvent && ctx.sourceEvent.type === 'submit') ||
                             !active || active === document.body || !active.isConnected;

    roots.forEach(initComponents);
    // DKFDS' ErrorSummary focuses itself on init; undo that when errors may not take focus.
    if (!errorsMayTakeFocus && document.activeElement !== active) active.focus();

    // Otherwise keyboard and screen-reader users stay on a button that may no longer exist.
    var target = firstIn(roots, '[data-autofocus], [autofocus]') ||
                 (errorsMayTakeFocus && (firstIn(roots, '[data-module="error-summary"]') ||
                                         firstIn(roots, '[aria-invalid="true"]')));
    if (target && document.activeElement !== target) {
      if (target.tabIndex < 0 && !target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
      target.focus();
    }

    // <p data-announce>12 resultater</p> or <div data-announce="Målet er gemt">.
    var messages = [];
    roots.forEach(function (root) {
      allIn(root, '[data-announce]').forEach(function (el) {
        var text = el.getAttribute('data-announce') || el.textContent.trim();
        if (text) messages.push(text);
      });
    });
    if (messages.length) announce(messages.join(' '));
  });

  // hx-disable disables the pressed button while the request runs, and a disabled element
  // loses focus to <body>. When nothing above took focus, give it to the swapped-in control
  // with the same id (a save button, "Foreslå dagsorden", an agreement's done toggle), so
  // keyboard and screen-reader users are not sent back to the top of the page. Registered
  // after the handler above, so focus it moved (an error summary, a new row) wins.
  var focusedId = null;
  document.addEventListener('htmx:config:request', function () {
    var el = document.activeElement;
    focusedId = el && el !== document.body && el.id ? el.id : null;
  });
  document.addEventListener('htmx:after:swap', function () {
    var id = focusedId;
    focusedId = null;
    var active = document.activeElement;
    if (!id || (active && active !== document.body && active.isConnected)) return;
    var el = document.getElementById(id);
    if (el && !el.disabled) el.focus();
  });

  /* ------------------------------------------------------------------ busy state */

  // aria-busy tells screen readers the region is being replaced; the visible spinner is
  // .htmx-indicator (app.css).
  document.addEventListener('htmx:before:request', function (evt) {
    var t = evt.detail.ctx.target;
    if (t && t.setAttribute) t.setAttribute('aria-busy', 'true');
  });
  document.addEventListener('htmx:finally:request', function (evt) {
    var ctx = evt.detail.ctx;
    var t = ctx && ctx.target;
    if (t && t.removeAttribute) t.removeAttribute('aria-busy');
    // 5xx are not swapped (noSwap in base.html): say so instead of doing nothing.
    if (ctx && ctx.response && ctx.response.status >= 500 && ctx.swap === 'none' && !ctx.hx.redirect && !ctx.hx.refresh) {
      showClientAlert('serverError');
    }
  });

  /* ------------------------------------------------------------------ failures */

  // Shown in #flash (a polite live region, so it is read out). Focus and the form are left
  // alone: nothing was swapped, the user's text is still there and the same button retries.
  function showClientAlert(kind) {
    if (!flash || !alertTemplate) return;
    clearClientAlerts();
    var alert = alertTemplate.content.firstElementChild.cloneNode(true);
    alert.querySelector('.alert-text').textContent = alertTemplate.dataset[kind] || '';
    flash.appendChild(alert);
    var box = flash.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) flash.scrollIntoView({ block: 'nearest' });
  }

  function clearClientAlerts() {
    if (!flash) return;
    allIn(flash, '[data-client-alert]').forEach(function (el) { el.remove(); });
  }

  // A response arrived, so the connection works again: drop the stale warning.
  document.addEventListener('htmx:after:request', function (evt) {
    var ctx = evt.detail.ctx;
    if (ctx && ctx.response && ctx.response.status < 400) clearClientAlerts();
  });

  // htmx:error covers network failures, timeouts and swap errors. Only the first two have
  // no response; a user-aborted request never reaches here (htmx filters AbortError).
  document.addEventListener('htmx:error', function (evt) {
    var ctx = evt.detail.ctx;
    if (!ctx || ctx.response) return;
    var signal = ctx.request && ctx.request.signal;
    showClientAlert(signal && signal.reason === 'timeout' ? 'timeout' : 'offline');
  });

  /* ------------------------------------------------------------------ the session */

  // Typing counts as activity: while a person writes (a sparring note during a long visit), the
  // session is kept alive now and then, within its absolute limit. Nothing typed is stored in
  // the browser: notes are personal data.
  var body = document.body;
  var KEEPALIVE_EVERY_MS = 5 * 60 * 1000;
  var lastKeepAlive = Date.now();
  document.addEventListener('input', function (evt) {
    if (!body.dataset.keepaliveUrl || !evt.target.closest || !evt.target.closest('form')) return;
    if (Date.now() - lastKeepAlive < KEEPALIVE_EVERY_MS) return;
    lastKeepAlive = Date.now();
    fetch(body.dataset.keepaliveUrl, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'X-CSRFToken': body.dataset.csrfToken || '' }
    }).catch(function () { /* offline: the save will say so */ });
  });

  // A save that met an expired session (401, not swapped: the form is still as typed). Offer to
  // sign in again in a new tab; when this tab is looked at again and the session lives, take
  // its new CSRF token, so that pressing Gem again succeeds.
  var sessionTemplate = document.getElementById('session-alert');
  var waitingForSession = false;

  function useToken(token) {
    body.dataset.csrfToken = token;
    allIn(document, 'input[name="csrf_token"]').forEach(function (input) { input.value = token; });
  }

  function checkSession() {
    if (!waitingForSession || !body.dataset.sessionUrl || !sessionTemplate) return;
    fetch(body.dataset.sessionUrl, { credentials: 'same-origin', cache: 'no-store' })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (!state.active || !waitingForSession) return;
        waitingForSession = false;
        useToken(state.csrf);
        lastKeepAlive = Date.now();
        var alert = flash && flash.querySelector('[data-session-alert] .alert-text');
        if (alert) alert.textContent = sessionTemplate.dataset.back;
        announce(sessionTemplate.dataset.back);
      })
      .catch(function () { /* still offline or signed out: ask again on the next focus */ });
  }

  document.addEventListener('session-expired', function () {
    if (!flash || !sessionTemplate) return;
    clearClientAlerts();
    flash.appendChild(sessionTemplate.content.firstElementChild.cloneNode(true));
    waitingForSession = true;
    var box = flash.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) flash.scrollIntoView({ block: 'nearest' });
    var link = flash.querySelector('[data-session-login]');
    if (link) link.focus();
  });
  // The session lives but its token changed (signed in again in another tab): take the new one.
  document.addEventListener('csrf-renew', function () {
    if (!flash || !sessionTemplate) return;
    clearClientAlerts();
    var alert = sessionTemplate.content.firstElementChild.cloneNode(true);
    alert.querySelector('.alert-text').textContent = sessionTemplate.dataset.renewing;
    flash.appendChild(alert);
    waitingForSession = true;
    checkSession();
  });
  window.addEventListener('focus', checkSession);
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') checkSession();
  });
})();
