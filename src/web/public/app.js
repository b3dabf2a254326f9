/* global document, window, HTMLElement */
// Progressive enhancement only: every page works without this file.
document.addEventListener('DOMContentLoaded', () => {
  // Buttons that do something hard to undo ask first (closing a cycle, deactivating a person).
  for (const form of document.querySelectorAll('form[data-confirm]')) {
    form.addEventListener('submit', (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
  // "Select all" for bulk actions on a list.
  for (const box of document.querySelectorAll('input[data-select-all]')) {
    box.addEventListener('change', () => {
      for (const item of document.querySelectorAll(`input[name="${box.dataset.selectAll}"]`)) item.checked = box.checked;
    });
  }
  // Move focus to the first refusal so keyboard and screen-reader users hear it.
  const firstError = document.querySelector('.form-error, [aria-invalid="true"]');
  if (firstError instanceof HTMLElement) { if (!firstError.hasAttribute('tabindex') && !firstError.matches('input, select, textarea')) firstError.tabIndex = -1; firstError.focus(); }
});
