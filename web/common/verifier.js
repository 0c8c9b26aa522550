// Every page checks what it shows against the server (SPEC §9): every 30 s
// each of its live feeds compares its cache's digest with the server's for
// the same scope (GET /api/sync/digest) and, when they differ, repairs
// itself from a fresh snapshot of that scope (Feed.verify). A label says
// when the page last verified; a repair is logged to the console with what
// differed. The first round comes 5 s after the page opens. `?verify=SECONDS` in the page's address changes the period (for
// diagnostics and tests).

const DEFAULT_SECONDS = 30;

function periodFromPage() {
  const given = Number(new URL(location.href).searchParams.get('verify'));
  return Number.isFinite(given) && given >= 1 ? given : DEFAULT_SECONDS;
}

const clock = (d) => d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/**
 * What a page calls once: a "Verified …" label placed right after `anchor`
 * (its connection status), and the rounds that fill it.
 */
export function verifyPage(client, anchor) {
  const label = verifiedLabel();
  anchor.after(label);
  verifyEvery(client, label);
  return label;
}

/** A label for the page's header: "Verified 12:03:05". */
export function verifiedLabel() {
  const el = document.createElement('span');
  el.className = 'verified';
  el.dataset.role = 'verified';
  el.dataset.rounds = '0';
  el.dataset.repairs = '0';
  el.hidden = true; // until the first round
  return el;
}

// "products: prod_1 v3 → v4, prod_2 v2 → gone" (the first few).
function describe(topic, differed) {
  const shown = differed.slice(0, 5).map((d) => `${d.id} ${d.had === null ? 'missing' : `v${d.had}`} → ${d.now === null ? 'gone' : `v${d.now}`}`);
  return `${topic}: ${shown.join(', ')}${differed.length > 5 ? ` and ${differed.length - 5} more` : ''}`;
}

/**
 * Verifies every live feed of `client` every period, showing the outcome
 * in `label`. Feeds opened later (a product's history, a partner's
 * catalog) are verified too. Returns a function that stops it.
 * @param {{live: {feeds: Set<any>}}} client the page's client
 * @param {HTMLElement} label from verifiedLabel()
 */
export function verifyEvery(client, label, { seconds = periodFromPage() } = {}) {
  let running = false;
  async function round() {
    if (running) return;
    running = true;
    const feeds = [...client.live.feeds].filter((f) => f.status === 'live');
    const repaired = [];
    let failed = false;
    for (const feed of feeds) {
      try {
        const r = await feed.verify();
        if (r.healed) repaired.push(describe(feed.topic, r.differed || []));
      } catch {
        // Offline or refused (a feed closed meanwhile does not count): next round.
        if (feed.status === 'live') failed = true;
      }
    }
    running = false;
    if (!feeds.length) return;
    const now = new Date();
    label.hidden = false;
    if (failed) {
      label.dataset.state = 'failed';
      label.textContent = `Could not verify at ${clock(now)}`;
      return;
    }
    label.dataset.rounds = String(Number(label.dataset.rounds) + 1);
    label.dataset.verifiedAt = now.toISOString();
    label.dataset.state = repaired.length ? 'repaired' : 'ok';
    if (repaired.length) {
      label.dataset.repairs = String(Number(label.dataset.repairs) + repaired.length);
      console.warn(`shelfsync: repaired what this page showed — ${repaired.join('; ')}`);
      label.textContent = `Repaired ${clock(now)}`;
      label.title = repaired.join('\n');
    } else {
      label.textContent = `Verified ${clock(now)}`;
      label.title = 'What this page shows equals the server';
    }
  }
  // The first round comes early: a page that opened on a stored view that
  // went stale learns it within seconds.
  let timer = setTimeout(function tick() {
    round();
    timer = setTimeout(tick, seconds * 1000);
  }, Math.min(seconds, 5) * 1000);
  return () => clearTimeout(timer);
}
