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
  const t = document.createElement('div');
  t.className = 'toast' + (error ? ' error' : '');
  t.textContent = message;
  box.append(t);
  setTimeout(() => t.remove(), ms);
}
