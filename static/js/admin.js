/*
 * Administration: show the school field only for leaders and readers, the school assignments
 * only for consultants. Without JS every field shows and the server ignores what does not apply.
 */
(function () {
  'use strict';

  function sync(root) {
    var role = root.querySelector('select[name="role"]');
    if (!role) return;
    root.querySelectorAll('[data-show-for-roles]').forEach(function (el) {
      var roles = el.getAttribute('data-show-for-roles').split(' ');
      el.hidden = roles.indexOf(role.value) === -1;
    });
  }

  document.addEventListener('change', function (evt) {
    if (evt.target.matches && evt.target.matches('select[name="role"]')) sync(evt.target.form || document);
  });
  // The form is swapped back in after a validation error.
  document.addEventListener('htmx:after:swap', function () { sync(document); });
  sync(document);
})();
