// The sound a page makes for news (a new order on the dashboard, a changed
// order or bill in the portal): a short two-tone chime from the Web Audio
// API, no audio file. Browsers keep audio locked until the page is touched;
// until then the cue is still recorded (and the page says sound is waiting
// for a click). Every cue is observable: `window.__shelfsyncCues` lists
// them and `data-cues` on <body> counts them.

const GAP_S = 0.45; // chimes for orders arriving together play one after another
const MAX_QUEUED_S = 2; // ... but never pile up more than this

export class Cue {
  /** @param {string} storageName localStorage entry keeping the page's sound on/off choice */
  constructor(storageName) {
    this.storageName = storageName;
    this.enabled = localStorage.getItem(storageName) !== 'off';
    this.ctx = null;
    this.nextAt = 0;
    this.listeners = new Set();
    window.__shelfsyncCues = window.__shelfsyncCues ?? [];
    const unlock = () => this.#context()?.resume().then(() => this.changed(), () => {});
    addEventListener('pointerdown', unlock, { capture: true });
    addEventListener('keydown', unlock, { capture: true });
  }

  onChange(fn) { this.listeners.add(fn); fn(); }

  /**
   * Wires a page's sound switch: `button` turns sound on and off and says
   * which (aria-pressed); `hint` shows while the browser still holds audio back.
   */
  bindToggle(button, hint) {
    button.addEventListener('click', () => this.setEnabled(!this.enabled));
    this.onChange(() => {
      button.textContent = this.enabled ? 'Sound on' : 'Sound off';
      button.setAttribute('aria-pressed', String(this.enabled));
      hint.hidden = !this.blocked;
    });
  }
  changed() { for (const fn of this.listeners) fn(); }

  /** True when sound is on but the browser has not let audio start yet. */
  get blocked() { return this.enabled && (!this.ctx || this.ctx.state !== 'running'); }

  setEnabled(on) {
    this.enabled = on;
    localStorage.setItem(this.storageName, on ? 'on' : 'off');
    if (on) this.#context()?.resume().catch(() => {});
    this.changed();
  }

  #context() {
    if (this.ctx) return this.ctx;
    const AC = window.AudioContext ?? window.webkitAudioContext;
    if (!AC) return null;
    this.ctx = new AC();
    this.ctx.addEventListener?.('statechange', () => this.changed());
    return this.ctx;
  }

  /** Records a cue and plays the chime if sound is on and allowed. */
  play(info) {
    const audible = this.enabled && this.#chime();
    const entry = { ...info, at: Date.now(), audible };
    window.__shelfsyncCues.push(entry);
    document.body.dataset.cues = String(window.__shelfsyncCues.length);
    return entry;
  }

  #chime() {
    const ctx = this.#context();
    if (!ctx) return false;
    if (ctx.state !== 'running') { ctx.resume().catch(() => {}); return false; }
    const start = Math.max(ctx.currentTime + 0.01, this.nextAt);
    if (start - ctx.currentTime > MAX_QUEUED_S) return true; // one chime for a burst is enough
    this.nextAt = start + GAP_S;
    for (const [freq, offset] of [[880, 0], [1318.5, 0.13]]) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      const t = start + offset;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.25, t + 0.015);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.28);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t);
      osc.stop(t + 0.3);
    }
    return true;
  }
}
