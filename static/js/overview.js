/*
 * Overview pages (Overblik): the print button of the reports and the marking of the matrix cell
 * whose initiatives are shown. The filters and cells themselves are plain htmx attributes.
 * No inline script anywhere (CSP script-src 'self').
 */
(function () {
  'use strict';

  // The filter forms send only the filters that are set, so the pushed (and shared) URL stays
  // short: /overblik?status=challenged, not every empty <select>. htmx 4 moves the form data
  // of a GET into the URL after this event.
  document.addEventListener('htmx:config:request', function (evt) {
    var ctx = evt.detail.ctx;
    var source = ctx.sourceElement;
    var form = source && source.closest && source.closest('form.overview-filters');
    var body = ctx.request && ctx.request.body;
    if (!form || !body || typeof body.forEach !== 'function') return;
    var empty = [];
    body.forEach(function (value, key) { if (value === '') empty.push(key); });
    empty.forEach(function (key) { body.delete(key); });
  });

  document.addEventListener('click', function (evt) {
    var print = evt.target.closest && evt.target.closest('[data-print]');
    if (print) {
      evt.preventDefault();
      window.print();
      return;
    }
    var cell = evt.target.closest && evt.target.closest('a.matrix-cell');
    if (cell) {
      // Mark the chosen cell for sight and for screen readers; the detail panel below shows it.
      document.querySelectorAll('a.matrix-cell[aria-current]').forEach(function (a) {
        a.removeAttribute('aria-current');
      });
      cell.setAttribute('aria-current', 'true');
    }
  });
})();
