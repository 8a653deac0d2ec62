/*
 * Note and meeting forms: warn before leaving with unsaved text. Saving is explicit; when a
 * save fails (offline, timeout) htmx swaps nothing, app.js shows the alert and the text stays
 * in the form, still marked unsaved, so closing the tab by mistake asks first.
 * Forms are tracked by id because a 422/409 or an added row swaps in a new <form> element
 * that still holds unsaved input.
 */
(function () {
  'use strict';

  var dirty = new Set();

  function guardedForm(el) {
    return el && el.closest ? el.closest('form[data-unsaved-guard]') : null;
  }

  function markDirty(evt) {
    var form = guardedForm(evt.target);
    if (form && form.id) dirty.add(form.id);
  }
  document.addEventListener('input', markDirty);
  document.addEventListener('change', markDirty);

  // A plain (non-htmx) submit navigates away on purpose.
  document.addEventListener('submit', function (evt) {
    var form = evt.target;
    if (form.matches && form.matches('form[data-unsaved-guard]') && !form.hasAttribute('hx-post')) {
      dirty.delete(form.id);
    }
  });

  // Only a successful save (the form's own submit, not "Tilføj aftale" / "Foreslå dagsorden")
  // clears the mark; 4xx answers keep it, the input is still unsaved.
  document.addEventListener('htmx:after:request', function (evt) {
    var ctx = evt.detail.ctx || {};
    var source = ctx.sourceElement;
    var form = guardedForm(source);
    var status = ctx.response && ctx.response.status;
    if (!form || !status || source !== form) return;
    var submitter = ctx.request && ctx.request.submitter;
    if (status < 300 && !(submitter && submitter.name)) dirty.delete(form.id);
  });

  window.addEventListener('beforeunload', function (evt) {
    if (!dirty.size) return;
    for (var id of dirty) {
      if (document.getElementById(id)) {
        evt.preventDefault();
        evt.returnValue = '';
        return;
      }
    }
  });
})();
