/*
 * Strategy pages (Min skole): the Learning Pipeline picker. Plain JS, loaded with `defer` after
 * htmx and app.js. Without it the pages still work: the picker's "Søg" button posts the form and
 * the server re-renders it with the matches as checkboxes.
 */
(function () {
  'use strict';

  // Buttons only needed without JavaScript (marked data-nojs) are hidden by schools.css.
  document.documentElement.classList.add('js-schools');

  // Texts are the page's (data-text-* on the picker, translated on the server); app.js announces.
  function say(el, key, values) {
    if (window.Maalpil) Maalpil.announce(Maalpil.text(el, key, values));
  }

  // The count above the matches follows what is left to pick (a picked match moves to the chips).
  function refreshCount(picker) {
    var count = picker.querySelector('[data-match-count]');
    if (!count) return;
    var n = picker.querySelectorAll('[data-pick]').length;
    count.textContent = Maalpil.text(count, n === 1 ? 'count-one' : 'count-other', { num: n });
  }

  function refreshEmpty(picker) {
    var empty = picker.querySelector('[data-picker-empty]');
    var chosen = picker.querySelector('[data-picker-chosen]');
    if (empty && chosen) empty.hidden = chosen.children.length > 0;
  }

  function labelText(box) {
    var label = box.id && document.querySelector('label[for="' + box.id + '"]');
    return label ? label.textContent.replace(/\s+/g, ' ').trim() : '';
  }

  // Ticking a search result moves it to the chosen list (a chip); unticking a chip removes it.
  document.addEventListener('change', function (evt) {
    var box = evt.target;
    if (!box.matches || box.type !== 'checkbox') return;
    var picker = box.closest('[data-picker]');
    if (!picker) return;
    var chosen = picker.querySelector('[data-picker-chosen]');
    var search = picker.querySelector('[data-picker-search]');
    var item = box.closest('li');

    if (box.hasAttribute('data-pick') && box.checked) {
      var already = chosen.querySelector('input[value="' + box.value + '"]');
      if (already) { item.remove(); return; }
      box.removeAttribute('data-pick');
      item.className = 'picker-chip';
      var label = document.querySelector('label[for="' + box.id + '"]');
      if (label && box.dataset.levelName && !label.querySelector('.picker-level')) {
        var level = document.createElement('span');
        level.className = 'picker-level';
        level.textContent = box.dataset.levelName;
        label.appendChild(document.createTextNode(' '));
        label.appendChild(level);
      }
      var list = item.parentNode;
      chosen.appendChild(item);
      // A level whose last match was picked keeps no empty heading behind.
      if (list && list !== chosen && !list.children.length) {
        var heading = list.previousElementSibling;
        if (heading && heading.classList.contains('picker-level-heading')) heading.remove();
        list.remove();
      }
      box.focus();
      // The level that owns the initiative is usually the level of what it exercises.
      var owner = box.form && box.form.querySelector('select[name$="owner_level"]');
      if (owner && !owner.value && box.dataset.levelId) owner.value = box.dataset.levelId;
      refreshEmpty(picker);
      refreshCount(picker);
      say(picker, 'picked', { name: labelText(box) });
    } else if (!box.checked && chosen.contains(box)) {
      var removed = labelText(box);
      item.remove();
      refreshEmpty(picker);
      if (search) search.focus();
      say(picker, 'removed', { name: removed });
    }
  });

  // Enter in the search field searches now instead of saving the whole form.
  document.addEventListener('keydown', function (evt) {
    var input = evt.target;
    if (evt.key !== 'Enter' || !input.matches || !input.matches('[data-picker-search]')) return;
    evt.preventDefault();
    input.dispatchEvent(new CustomEvent('picker-search', { bubbles: true }));
  });

  // Min skole: moving and archiving goals and initiatives are shown only when the leader asks
  // (schools.css hides .arrange-control inside [data-arrange-area] until it is .is-arranging).
  document.addEventListener('click', function (evt) {
    var button = evt.target.closest && evt.target.closest('[data-arrange-toggle]');
    if (!button) return;
    var area = button.closest('[data-arrange-area]');
    if (!area) return;
    var on = !area.classList.contains('is-arranging');
    area.classList.toggle('is-arranging', on);
    button.setAttribute('aria-pressed', on ? 'true' : 'false');
    say(button, on ? 'arrange-on' : 'arrange-off');
  });
})();
