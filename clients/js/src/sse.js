// Server-Sent Events without a dependency: a text/event-stream parser and a
// reader over fetch (Node has no EventSource; fetch also lets us send the
// token as a header and see HTTP errors and heartbeats). A real EventSource
// can be used instead where one exists.

/** Incremental text/event-stream parser (the WHATWG event stream format). */
export class SseParser {
  /**
   * @param {(ev: {event: string, data: string, id: string | null}) => void} onEvent
   * @param {() => void} [onComment] heartbeats are comments
   */
  constructor(onEvent, onComment = () => {}) {
    this.onEvent = onEvent;
    this.onComment = onComment;
    this.buf = '';
    this.data = [];
    this.event = '';
    this.id = null; // id of the event being read (null: none given)
    this.afterCR = false;
  }

  feed(text) {
    this.buf += text;
    let start = 0;
    for (let i = 0; i < this.buf.length; i++) {
      const ch = this.buf[i];
      if (ch === '\n' && this.afterCR) { this.afterCR = false; start = i + 1; continue; }
      this.afterCR = false;
      if (ch === '\r' || ch === '\n') {
        this.line(this.buf.slice(start, i));
        this.afterCR = ch === '\r';
        start = i + 1;
      }
    }
    this.buf = this.buf.slice(start);
  }

  line(l) {
    if (l === '') {
      if (this.data.length > 0) this.onEvent({ event: this.event || 'message', data: this.data.join('\n'), id: this.id });
      this.data = [];
      this.event = '';
      this.id = null;
      return;
    }
    if (l[0] === ':') { this.onComment(); return; }
    const c = l.indexOf(':');
    const field = c < 0 ? l : l.slice(0, c);
    let value = c < 0 ? '' : l.slice(c + 1);
    if (value[0] === ' ') value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.id = value;
  }
}

/**
 * Opens one event stream. Calls `onEvent(name, data, id)` per event
 * (data parsed as JSON when it is JSON), `onActivity()` for every byte of
 * life (events and heartbeats), then exactly once `onEnd(info)`:
 * `{problem}` when the server refused with an HTTP error, `{error}` on a
 * network failure, `{}` when the stream simply ended.
 *
 * @param {object} o
 * @param {string} o.url
 * @param {string} [o.token] sent as Authorization (fetch) or access_token (EventSource)
 * @param {typeof fetch} [o.fetch]
 * @param {any} [o.EventSource] an EventSource constructor; preferred over fetch when given
 * @param {string[]} o.events event names to listen for (EventSource needs them named)
 * @param {(name: string, data: any, id: string | null) => void} o.onEvent
 * @param {() => void} [o.onActivity]
 * @param {(info: {problem?: object, error?: unknown}) => void} o.onEnd
 * @returns {{close(): void}}
 */
export function openEventStream(o) {
  return o.EventSource ? viaEventSource(o) : viaFetch(o);
}

function parse(data) {
  try { return JSON.parse(data); } catch { return data; }
}

function viaFetch({ url, token, fetch: fetchImpl = globalThis.fetch, onEvent, onActivity = () => {}, onEnd }) {
  const ac = new AbortController();
  let ended = false;
  const end = (info) => { if (!ended) { ended = true; onEnd(info); } };
  (async () => {
    const headers = { Accept: 'text/event-stream' };
    if (token) headers.Authorization = `Bearer ${token}`;
    const res = await fetchImpl(url, { headers, signal: ac.signal, cache: 'no-store' });
    if (res.status !== 200) {
      const text = await res.text().catch(() => '');
      const body = parse(text);
      end({ problem: body && typeof body === 'object' ? { ...body, status: body.status ?? res.status } : { status: res.status, code: `http_${res.status}`, detail: text.slice(0, 300) } });
      return;
    }
    onActivity();
    const parser = new SseParser((ev) => { onActivity(); onEvent(ev.event, parse(ev.data), ev.id); }, onActivity);
    const reader = res.body.getReader();
    const dec = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      parser.feed(dec.decode(value, { stream: true }));
      if (ended) break;
    }
    end({});
  })().catch((error) => end(ac.signal.aborted ? {} : { error }));
  return {
    close() { ended = true; ac.abort(); },
  };
}

function viaEventSource({ url, token, EventSource, events, onEvent, onActivity = () => {}, onEnd }) {
  const u = new URL(url);
  if (token) u.searchParams.set('access_token', token);
  const es = new EventSource(u.toString());
  let ended = false;
  const end = (info) => {
    if (ended) return;
    ended = true;
    es.close(); // we reconnect ourselves, from our own cursor
    onEnd(info);
  };
  es.onopen = () => onActivity();
  for (const name of events) {
    es.addEventListener(name, (e) => {
      // `error` is also the name of EventSource's own failure event, which has no data.
      if (name === 'error' && e.data === undefined) return;
      onActivity();
      onEvent(name, parse(e.data), e.lastEventId || null);
    });
  }
  es.addEventListener('error', (e) => { if (e.data === undefined) end({ error: new Error('event stream failed') }); });
  return { close() { ended = true; es.close(); } };
}
