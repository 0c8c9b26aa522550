// Short messages at the bottom of the page, read out by screen readers.

let box = null;

export function toast(message, { error = false, ms = 3500 } = {}) {
  if (!box) {
    box = document.createElement('div');
    box.className = 'toasts';
    box.setAttribute('role', 'status');
    box.setAttribute('aria-live', 'polite');
    document.body.append(box);
  }
  // A message already showing is shown once, for the longer time.
  for (const same of box.querySelectorAll('.toast')) if (same.textContent === message) same.remove();
  const t = document.createElement('div');
  t.className = 'toast' + (error ? ' error' : '');
  t.textContent = message;
  box.append(t);
  // At most three at once: the oldest go first.
  while (box.children.length > 3) box.firstElementChild.remove();
  setTimeout(() => t.remove(), ms);
}
