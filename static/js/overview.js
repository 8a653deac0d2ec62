/*
 * Overview pages (Overblik): the print button of the reports, the marking of the matrix cell
 * whose initiatives are shown and closing that panel (button or Escape) back to the cell.
 * The filters and cells themselves are plain htmx attributes.
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

  // Close the cell's detail panel (its "Luk" button or Escape inside it): empty the panel and
  // give focus back to the cell that opened it, so keyboard users continue where they were.
  function closeCell() {
    var panel = document.getElementById('cell-detail');
    if (!panel || !panel.firstElementChild) return false;
    var cell = document.querySelector('a.matrix-cell[aria-current]');
    panel.innerHTML = '';
    if (cell) {
      cell.removeAttribute('aria-current');
      cell.focus();
    }
    return true;
  }

  document.addEventListener('keydown', function (evt) {
    if (evt.key !== 'Escape' || evt.defaultPrevented) return;
    var panel = document.getElementById('cell-detail');
    if (panel && panel.contains(document.activeElement) && closeCell()) evt.preventDefault();
  });

  document.addEventListener('click', function (evt) {
    var print = evt.target.closest && evt.target.closest('[data-print]');
    if (print) {
      evt.preventDefault();
      window.print();
      return;
    }
    if (evt.target.closest && evt.target.closest('[data-close-cell]')) {
      closeCell();
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
