/*
 * The header's search field as a combobox (WAI-ARIA APG "list autocomplete"): htmx fetches the
 * suggestions (base.html), this file only adds the keyboard and the ARIA state.
 *   ArrowDown / ArrowUp  move through the suggestions (aria-activedescendant), wrapping around
 *   Enter                opens the highlighted suggestion; with none highlighted the form submits
 *                        to the full results page
 *   Escape               closes the suggestions (a second Escape empties the field)
 * Suggestions also close when focus leaves the search box or the user clicks elsewhere.
 */
(function () {
  'use strict';

  var box = document.querySelector('[data-search-box]');
  if (!box) return;
  var input = box.querySelector('input[role="combobox"]');
  var holder = box.querySelector('#search-suggestions');
  var active = -1;

  function options() {
    return Array.prototype.slice.call(holder.querySelectorAll('[role="option"]'));
  }

  function setActive(index) {
    var list = options();
    active = list.length ? (index + list.length) % list.length : -1;
    list.forEach(function (option, i) {
      var on = i === active;
      option.setAttribute('aria-selected', on ? 'true' : 'false');
      option.classList.toggle('is-active', on);
    });
    if (active >= 0) {
      input.setAttribute('aria-activedescendant', list[active].id);
      list[active].scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  function isOpen() {
    return input.getAttribute('aria-expanded') === 'true';
  }

  function sync() {
    var listbox = holder.querySelector('[role="listbox"]');
    if (listbox) {
      input.setAttribute('aria-controls', listbox.id);
      input.setAttribute('aria-expanded', 'true');
    } else {
      input.removeAttribute('aria-controls');
      input.setAttribute('aria-expanded', 'false');
    }
    setActive(-1);
  }

  function close() {
    holder.replaceChildren();
    sync();
  }

  // A newer keystroke wins: the form's hx-sync="this:replace" aborts the older request, and an
  // answer for a query that is no longer in the field is not shown.
  document.addEventListener('htmx:before:swap', function (evt) {
    var ctx = evt.detail.ctx;
    if (!ctx || ctx.target !== holder) return;
    var asked = new URL(ctx.request.action, window.location.href).searchParams.get('q') || '';
    if (asked.trim() !== input.value.trim() || document.activeElement !== input) evt.preventDefault();
  });

  document.addEventListener('htmx:after:swap', function (evt) {
    var ctx = evt.detail.ctx;
    if (ctx && ctx.target === holder) sync();
  });

  input.addEventListener('keydown', function (evt) {
    if (evt.key === 'ArrowDown' || evt.key === 'ArrowUp') {
      if (!options().length) return;
      evt.preventDefault();
      setActive(active < 0 && evt.key === 'ArrowUp' ? -1 : active + (evt.key === 'ArrowDown' ? 1 : -1));
    } else if (evt.key === 'Enter') {
      var list = options();
      if (active >= 0 && list[active]) {
        evt.preventDefault();
        window.location.assign(list[active].href);
      }
    } else if (evt.key === 'Escape') {
      if (isOpen()) {
        evt.preventDefault();
        close();
      } else if (input.value) {
        evt.preventDefault();
        input.value = '';
      }
    }
  });

  // Pointer users: hovering a suggestion makes it the active one.
  holder.addEventListener('mousemove', function (evt) {
    var option = evt.target.closest && evt.target.closest('[role="option"]');
    if (option) setActive(options().indexOf(option));
  });

  box.addEventListener('focusout', function (evt) {
    if (!evt.relatedTarget || !box.contains(evt.relatedTarget)) close();
  });

  sync();
})();
