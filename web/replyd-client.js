// @ts-check
/**
 * replyd-client.js: a dependency-free browser client for replyd's WebSocket
 * protocol (docs/protocol.md). One ES module, no build step:
 *
 *   import { ReplydClient } from '/replyd-client.js';
 *   const client = new ReplydClient({ token: 'SHOP_TOKEN' });
 *   client.addEventListener('statechange', (e) => console.log(e.detail.state));
 *   client.connect();
 *   const answer = await client.suggest('怎么还不发货', order);
 *   await client.feedback(answer.suggestions[0].suggestion_id, 'accepted');
 *
 * What it does for the caller:
 * - connects to /ws with the token in the query string (browsers cannot set
 *   an Authorization header on a WebSocket);
 * - reconnects after a drop with capped exponential backoff and jitter; the
 *   backoff starts over only once a connection has stayed up for a while;
 * - matches answers to requests by `id` and settles one promise per request;
 * - keeps each conversation's history (the buyer messages asked about, the
 *   replies the agent sent, with the template of a suggestion sent) and
 *   sends its most recent turns with every `suggest` of that conversation,
 *   within the protocol's limits (20 turns, 16 KiB: the oldest are dropped);
 * - gives every request a timeout;
 * - requests made while disconnected wait in a queue and are sent once the
 *   connection is back (or are refused at once with `whileDisconnected:
 *   'reject'`); their timeout runs while they wait;
 * - feedback is kept until the server acknowledges it (or refuses it), and
 *   sent again after every reconnect: each carries a random `key`, so the
 *   server stores it once however often it arrives. An agent's click is
 *   never lost to a dropped connection or a server restart;
 * - `suggest`, `trigger` and `explain` requests in flight when the
 *   connection drops are sent again after the reconnect (running one twice
 *   is harmless), within their timeout; other requests (`request()`) fail with
 *   `connection_lost`;
 * - when the server says it is `going_away` (a restart), new requests wait
 *   for the next connection, the client tells the server it has sent its
 *   last frame (`done_sending`), and the answers still due arrive before
 *   the server closes.
 *
 * Works in any environment with WebSocket, EventTarget and CustomEvent
 * (browsers; Node 22+, or Node 20 with a WebSocket passed in `options`).
 */

/**
 * An order as the engine reads it (docs/orders.md). Every field is optional.
 * @typedef {object} Order
 * @property {string} [id]
 * @property {'unpaid'|'paid'|'shipped'|'delivered'|'refunding'|'refunded'|'closed'} [status]
 * @property {string} [created_at] RFC 3339
 * @property {string} [paid_at] RFC 3339
 * @property {string} [shipped_at] RFC 3339
 * @property {string} [delivered_at] RFC 3339
 * @property {number} [amount]
 * @property {number} [promise_ship_hours]
 * @property {Array<{name?: string, sku?: string, size?: string, color?: string, quantity?: number}>} [items]
 * @property {'in_stock'|'out_of_stock'} [stock]
 * @property {number} [restock_days]
 * @property {{carrier?: string, tracking_number?: string, region?: string}} [shipping]
 * @property {{state?: 'none'|'collected'|'in_transit'|'out_for_delivery'|'signed'|'exception',
 *             last_event_at?: string, last_event?: string, signed_by?: string}} [tracking]
 * @property {{name?: string, returning?: boolean}} [buyer]
 */

/**
 * One reply the agent may send.
 * @typedef {object} Suggestion
 * @property {string} suggestion_id opaque (a signed id, docs/protocol.md); quote it in feedback
 * @property {string} intent
 * @property {string} template `intent.variant`
 * @property {string} text ready to send
 * @property {boolean} handoff the chat should go to a person
 */

/**
 * One turn of a conversation, as `suggest` sends it in `history`
 * (docs/protocol.md#history).
 * @typedef {object} HistoryTurn
 * @property {'buyer'|'agent'|'system'} role
 * @property {string} text
 * @property {string} [at] RFC 3339
 * @property {string} [template] an agent turn that was one of our suggestions
 */

/**
 * The answer to `suggest` and `trigger`.
 * @typedef {object} SuggestionsAnswer
 * @property {'suggestions'} type
 * @property {string} id
 * @property {string} [normalized]
 * @property {'Hans'|'Hant'|'Latin'|'Zyyy'} [script]
 * @property {string} locale
 * @property {Array<{name: string, score: number, pattern?: string}>} intents
 * @property {Suggestion[]} suggestions best first; empty when nothing fits
 * @property {string} pack_version
 * @property {number} elapsed_us
 */

/**
 * The answer to `feedback` (the row is committed) and `reload`.
 * @typedef {{type: 'ack', id: string}} Ack
 */

/**
 * @typedef {object} SuggestOptions
 * @property {'zh'|'vi'} [locale] default: from the message's script
 * @property {number} [max] 1-10 suggestions, default 3
 * @property {string} [conversationId] stored with any feedback on the suggestions;
 *   `suggest` also sends the conversation's history and adds the message to it
 * @property {Date|string} [now] pins the engine's clock (RFC 3339 or a Date)
 * @property {number} [timeoutMs] overrides the client's requestTimeoutMs
 */

/**
 * @typedef {object} RequestOptions
 * @property {number} [timeoutMs] overrides the client's requestTimeoutMs
 */

/**
 * @typedef {object} FeedbackOptions
 * @property {string} [key] the idempotency key: 16-128 characters of
 *   A-Z a-z 0-9 - _ . : (default: a random UUID). Give your own only to
 *   resend feedback the client no longer holds (e.g. saved across a page
 *   reload); the server stores one row per key.
 */

/**
 * @typedef {object} OwnReplyOptions
 * @property {string} [conversationId] the conversation the reply went to (its
 *   history gets the reply as an agent turn)
 * @property {string} [intent] the intent whose suggestions were showing, if any
 * @property {string} [key] the idempotency key, as for feedback
 */

/**
 * Connection states, in the order a client usually goes through them:
 * `idle` (not started), `connecting`, `open`, `reconnecting` (waiting out the
 * backoff after a drop), `closed` (close() was called; final).
 * @typedef {'idle'|'connecting'|'open'|'reconnecting'|'closed'} ConnectionState
 */

/**
 * The `statechange` event's detail.
 * @typedef {object} StateChange
 * @property {ConnectionState} state
 * @property {ConnectionState} previous
 * @property {number} attempt reconnect attempts since the last healthy connection
 * @property {number} [retryInMs] `reconnecting`: how long until the next attempt
 * @property {number} [closeCode] the WebSocket close code that ended the last connection
 */

/**
 * @typedef {object} ClientOptions
 * @property {string} [url] the WebSocket URL; default `/ws` on the page's own host
 *   (ws: or wss: after the page's scheme)
 * @property {string} [token] shop token, sent as `?token=`
 * @property {number} [requestTimeoutMs] per request, default 10000
 * @property {'queue'|'reject'} [whileDisconnected] default `queue`
 * @property {number} [maxQueued] queued requests at most, default 100; more are rejected
 * @property {number} [initialBackoffMs] first reconnect delay, default 500
 * @property {number} [maxBackoffMs] the cap, default 30000
 * @property {number} [backoffFactor] growth per failed attempt, default 2
 * @property {number} [jitter] 0-1: a delay is cut by up to this fraction at random, default 0.5
 * @property {number} [healthyAfterMs] a connection up this long resets the backoff, default 5000
 * @property {typeof WebSocket} [WebSocket] the implementation, default globalThis.WebSocket
 * @property {() => number} [random] 0 <= x < 1, default Math.random (tests pin it)
 */

/** Error codes the client makes itself; the server's are in docs/protocol.md. */
export const ClientErrorCode = Object.freeze({
  TIMEOUT: 'timeout',
  CONNECTION_LOST: 'connection_lost',
  NOT_CONNECTED: 'not_connected',
  QUEUE_FULL: 'queue_full',
  CLOSED: 'closed',
});

/** A request that failed: a server `error` answer or one of ClientErrorCode. */
export class ReplydError extends Error {
  /**
   * @param {string} code `bad_request`, `bad_order`, … or a ClientErrorCode
   * @param {string} message
   * @param {string} [requestId]
   */
  constructor(code, message, requestId) {
    super(message);
    this.name = 'ReplydError';
    /** @type {string} */
    this.code = code;
    /** @type {string|undefined} */
    this.requestId = requestId;
  }
}

/**
 * The protocol's bounds on `history` (docs/protocol.md#history). The client
 * keeps within them by dropping the oldest turns, and by cutting a single
 * turn's text (an agent's long reply) to its limit at a character boundary.
 */
export const HISTORY_LIMITS = Object.freeze({
  turns: 20,
  bytes: 16_384,
  turnBytes: 8_192,
});

/**
 * Suggestions remembered for the history (their conversation, template and
 * text), newest kept: an agent acts on what was just shown.
 */
const MAX_REMEMBERED_SUGGESTIONS = 1_000;

const DEFAULTS = {
  requestTimeoutMs: 10_000,
  whileDisconnected: /** @type {'queue'|'reject'} */ ('queue'),
  maxQueued: 100,
  initialBackoffMs: 500,
  maxBackoffMs: 30_000,
  backoffFactor: 2,
  jitter: 0.5,
  healthyAfterMs: 5_000,
};

// WebSocket.CONNECTING and OPEN, spelled out so a WebSocket passed in need
// not carry them.
const SOCKET_CONNECTING = 0;
const SOCKET_OPEN = 1;

/** Request types the client sends again after a reconnect: running one twice is harmless. */
const REPEATABLE = new Set(['suggest', 'trigger', 'explain']);

/**
 * @typedef {object} Pending
 * @property {string} id
 * @property {string} frame the JSON text to send
 * @property {(answer: any) => void} resolve
 * @property {(error: ReplydError) => void} reject
 * @property {ReturnType<typeof setTimeout>|null} timer none for feedback
 * @property {boolean} sent on the current connection
 * @property {'resend'|'keep'|'once'} afterDrop what a drop does to it once
 *   sent: `keep` (feedback: resent, however long it takes), `resend`
 *   (suggest, trigger: resent within its timeout), `once` (fails with
 *   connection_lost)
 */

/**
 * A connection to replyd that survives drops. Events (on the client, an
 * EventTarget): `statechange` (CustomEvent<StateChange>).
 */
export class ReplydClient extends EventTarget {
  /** @param {ClientOptions} [options] */
  constructor(options = {}) {
    super();
    this.options = { ...DEFAULTS, ...options };
    /** @type {string} */
    this.url = buildUrl(options.url, options.token);
    /** @type {ConnectionState} */
    this.state = 'idle';
    /** @type {WebSocket|null} */
    this.socket = null;
    /** Reconnect attempts since the last healthy connection. */
    this.attempt = 0;
    /** @type {Map<string, Pending>} requests by id, sent or queued */
    this.pending = new Map();
    /** @type {Pending[]} waiting for a connection, oldest first */
    this.queue = [];
    this.nextId = 1;
    // Ids are unique per client; the prefix tells two tabs apart in a trace.
    this.idPrefix = Math.floor((this.options.random ?? Math.random)() * 0x1000000)
      .toString(36);
    /** @type {ReturnType<typeof setTimeout>|null} */
    this.retryTimer = null;
    /** @type {ReturnType<typeof setTimeout>|null} */
    this.healthyTimer = null;
    /** The server said `going_away`: this connection takes no new requests. */
    this.goingAway = false;
    /** @type {Map<string, HistoryTurn[]>} by conversation id, oldest turn first */
    this.conversations = new Map();
    /**
     * Suggestions of a conversation, by suggestion id, oldest first: sending
     * one adds it to the history as an agent turn with its template.
     * @type {Map<string, {conversationId: string, template: string, text: string}>}
     */
    this.suggestionsShown = new Map();
  }

  /**
   * A conversation's history as the next `suggest` sends it, oldest first.
   * @param {string} conversationId
   * @returns {HistoryTurn[]} a copy
   */
  history(conversationId) {
    return (this.conversations.get(conversationId) ?? []).map((turn) => ({ ...turn }));
  }

  /**
   * Adds a turn the client did not see go by (a buyer message not asked
   * about, a system notice, a reply sent from elsewhere). `suggest`,
   * `feedback` and `ownReply` add theirs themselves.
   * @param {string} conversationId
   * @param {HistoryTurn} turn
   */
  addTurn(conversationId, turn) {
    let turns = this.conversations.get(conversationId);
    if (!turns) {
      turns = [];
      this.conversations.set(conversationId, turns);
    }
    /** @type {HistoryTurn} */
    const kept = { role: turn.role, text: cutToBytes(turn.text, HISTORY_LIMITS.turnBytes) };
    if (turn.at !== undefined) kept.at = turn.at;
    if (turn.template !== undefined) kept.template = turn.template;
    turns.push(kept);
    trimHistory(turns);
  }

  /**
   * Forgets a conversation's history (the chat was closed).
   * @param {string} conversationId
   */
  forgetConversation(conversationId) {
    this.conversations.delete(conversationId);
    for (const [id, shown] of this.suggestionsShown) {
      if (shown.conversationId === conversationId) this.suggestionsShown.delete(id);
    }
  }

  /** Feedback given and not yet acknowledged (warn before the page unloads). */
  get pendingFeedback() {
    let n = 0;
    for (const pending of this.pending.values()) if (pending.afterDrop === 'keep') n += 1;
    return n;
  }

  /** Opens the connection (and keeps it open until close()). Idempotent. */
  connect() {
    if (this.state === 'idle') this.open();
  }

  /**
   * Closes the connection for good: no more reconnects; every request still
   * waiting is rejected with `closed`.
   */
  close() {
    if (this.state === 'closed') return;
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      detach(socket);
      socket.close(1000, 'client closed');
    }
    this.failAll(ClientErrorCode.CLOSED, 'the client was closed');
    this.setState('closed', {});
  }

  /**
   * Suggestions for a buyer's message.
   * @param {string} message the buyer's words, as typed
   * @param {Order} [order] the order the buyer writes about
   * @param {SuggestOptions} [options]
   * @returns {Promise<SuggestionsAnswer>}
   */
  suggest(message, order, options = {}) {
    /** @type {Record<string, unknown>} */
    const fields = { type: 'suggest', message, ...engineFields(order, options) };
    const { conversationId } = options;
    if (conversationId === undefined) return this.request(fields, options);
    const history = this.history(conversationId);
    if (history.length > 0) fields.history = history;
    // The buyer said it whatever the answer: the next ask sees it.
    this.addTurn(conversationId, { role: 'buyer', text: message, at: timeOf(options.now) });
    return this.request(fields, options).then((/** @type {SuggestionsAnswer} */ answer) => {
      this.remember(conversationId, answer);
      return answer;
    });
  }

  /**
   * Proactive suggestions: what the shop should tell the buyer about the
   * order now. An empty `suggestions` list when no trigger holds.
   * @param {Order} order
   * @param {SuggestOptions} [options]
   * @returns {Promise<SuggestionsAnswer>}
   */
  trigger(order, options = {}) {
    const request = this.request({ type: 'trigger', ...engineFields(order, options) }, options);
    const { conversationId } = options;
    if (conversationId === undefined) return request;
    return request.then((/** @type {SuggestionsAnswer} */ answer) => {
      this.remember(conversationId, answer);
      return answer;
    });
  }

  /**
   * Why the engine answers a message as it does: the same fields as
   * `suggest`, answered with the engine's explanation (docs/protocol.md,
   * explain) and no suggestions. Pass the `history` the explained `suggest`
   * sent (`client.history(id)` taken before it); nothing is added to the
   * conversation. Without a message (undefined) it explains the order
   * alone, as a `trigger` would see it: the facts the engine derives.
   * @param {string|undefined} message
   * @param {Order} [order]
   * @param {SuggestOptions & {history?: HistoryTurn[], gloss?: string}} [options]
   *   `gloss`: the agent's locale; a reply in another one comes with a gloss
   * @returns {Promise<{type: 'explanation', id: string, explanation: any}>}
   */
  explain(message, order, options = {}) {
    /** @type {Record<string, unknown>} */
    const fields = { type: 'explain', ...engineFields(order, options) };
    if (message !== undefined) fields.message = message;
    if (options.gloss !== undefined) fields.gloss = options.gloss;
    if (options.history !== undefined && options.history.length > 0) {
      fields.history = options.history;
    }
    return this.request(fields, options);
  }

  /**
   * What the agent did with a suggestion. Resolves once the row is committed.
   * It has no timeout: the feedback is kept, and sent again after each
   * reconnect, until the server acknowledges it or refuses it (an `error`
   * answer) or close() is called. Race the promise with a timer of your
   * own to show that saving is slow.
   * @param {string} suggestionId from a SuggestionsAnswer
   * @param {'shown'|'accepted'|'edited'|'rejected'|'ignored'} action `shown`: a
   *   console displayed it; `ignored`: the agent answered otherwise
   *   (docs/protocol.md, feedback)
   * @param {string} [finalText] what was sent; required for `edited`
   * @param {FeedbackOptions} [options]
   * @returns {Promise<Ack>}
   */
  feedback(suggestionId, action, finalText, options = {}) {
    /** @type {Record<string, unknown>} */
    const frame = { type: 'feedback', suggestion_id: suggestionId, action };
    if (finalText !== undefined) frame.final_text = finalText;
    frame.key = options.key ?? newKey();
    const shown = this.suggestionsShown.get(suggestionId);
    if (shown && (action === 'accepted' || action === 'edited')) {
      // Sent to the buyer: the conversation's next ask knows which reply it got.
      this.suggestionsShown.delete(suggestionId);
      this.addTurn(shown.conversationId, {
        role: 'agent', text: finalText ?? shown.text, at: timeOf(undefined),
        template: shown.template,
      });
    }
    return this.enqueue(frame, null, 'keep');
  }

  /**
   * A reply the agent wrote instead of a suggestion: stored as feedback
   * `own_reply` (with the intent that was showing) and added to the
   * conversation's history as an agent turn without a template. Kept and
   * resent like feedback.
   * @param {string} text what was sent to the buyer
   * @param {OwnReplyOptions} [options]
   * @returns {Promise<Ack>}
   */
  ownReply(text, options = {}) {
    /** @type {Record<string, unknown>} */
    const frame = { type: 'feedback', action: 'own_reply', final_text: text };
    if (options.intent !== undefined) frame.intent = options.intent;
    if (options.conversationId !== undefined) {
      frame.conversation_id = options.conversationId;
      this.addTurn(options.conversationId, { role: 'agent', text, at: timeOf(undefined) });
    }
    frame.key = options.key ?? newKey();
    return this.enqueue(frame, null, 'keep');
  }

  /**
   * Remembers an answer's suggestions so that sending one adds it to the
   * conversation's history.
   * @private
   * @param {string} conversationId
   * @param {SuggestionsAnswer} answer
   */
  remember(conversationId, answer) {
    for (const s of answer.suggestions ?? []) {
      this.suggestionsShown.set(s.suggestion_id,
        { conversationId, template: s.template, text: s.text });
    }
    for (const id of this.suggestionsShown.keys()) {
      if (this.suggestionsShown.size <= MAX_REMEMBERED_SUGGESTIONS) break;
      this.suggestionsShown.delete(id);
    }
  }

  /**
   * Sends any request frame (its `id` is filled in) and resolves with the
   * answer, or rejects with a ReplydError for an `error` answer, a timeout
   * or a lost connection (`suggest`, `trigger` and `explain` frames are
   * sent again instead; use feedback() for feedback, which is kept until
   * stored).
   * @param {Record<string, unknown>} fields the frame without `id`
   * @param {RequestOptions} [options]
   * @returns {Promise<any>}
   */
  request(fields, options = {}) {
    const repeatable = typeof fields.type === 'string' && REPEATABLE.has(fields.type);
    return this.enqueue(fields, options.timeoutMs ?? this.options.requestTimeoutMs,
      repeatable ? 'resend' : 'once');
  }

  // ---- the connection ----

  /**
   * @private
   * @param {Record<string, unknown>} fields
   * @param {number|null} timeoutMs null: none
   * @param {Pending['afterDrop']} afterDrop
   * @returns {Promise<any>}
   */
  enqueue(fields, timeoutMs, afterDrop) {
    const id = `${this.idPrefix}-${this.nextId++}`;
    return new Promise((resolve, reject) => {
      if (this.state === 'closed') {
        reject(new ReplydError(ClientErrorCode.CLOSED, 'the client was closed', id));
        return;
      }
      const connected = this.connected();
      if (!connected && this.options.whileDisconnected === 'reject') {
        reject(new ReplydError(ClientErrorCode.NOT_CONNECTED, 'not connected to replyd', id));
        return;
      }
      if (!connected && this.queue.length >= this.options.maxQueued) {
        reject(new ReplydError(ClientErrorCode.QUEUE_FULL,
          `${this.queue.length} requests already wait for the connection`, id));
        return;
      }
      /** @type {Pending} */
      const pending = {
        id,
        frame: JSON.stringify({ ...fields, id }),
        resolve,
        reject,
        sent: false,
        afterDrop,
        timer: null,
      };
      if (timeoutMs !== null) {
        pending.timer = setTimeout(() => {
          this.forget(pending);
          reject(new ReplydError(ClientErrorCode.TIMEOUT,
            `no answer within ${timeoutMs} ms`, id));
        }, timeoutMs);
      }
      this.pending.set(id, pending);
      if (connected) this.send(pending);
      else this.queue.push(pending);
    });
  }

  /**
   * Whether a request made now goes out at once.
   * @private
   */
  connected() {
    return this.socket !== null && this.socket.readyState === SOCKET_OPEN && !this.goingAway;
  }

  /** @private */
  open() {
    this.setState('connecting', {});
    const Impl = this.options.WebSocket ?? globalThis.WebSocket;
    const socket = new Impl(this.url);
    this.socket = socket;
    this.goingAway = false;
    socket.onopen = () => this.onOpen();
    socket.onmessage = (event) => this.onMessage(event.data);
    socket.onclose = (event) => this.onClose(event.code);
    // An error is followed by a close, where it is handled; by then the
    // socket is CLOSED. Node 20's WebSocket (undici 6) fires no close for a
    // connection that could not be made and stays CONNECTING: act on the
    // close it owes, or the client would never try again.
    socket.onerror = () => {
      setTimeout(() => {
        if (this.socket !== socket || socket.readyState !== SOCKET_CONNECTING) return;
        detach(socket);
        this.onClose(1006);
      }, 0);
    };
  }

  /** @private */
  onOpen() {
    // Not reset here: a server that accepts and then drops at once (a
    // policy close, an overloaded proxy) must still see the backoff grow.
    this.healthyTimer = setTimeout(() => {
      this.healthyTimer = null;
      this.attempt = 0;
    }, this.options.healthyAfterMs);
    this.setState('open', {});
    const queued = this.queue;
    this.queue = [];
    for (const pending of queued) this.send(pending);
  }

  /**
   * @private
   * @param {unknown} data
   */
  onMessage(data) {
    if (typeof data !== 'string') return;
    /** @type {any} */
    let answer;
    try {
      answer = JSON.parse(data);
    } catch {
      return;  // replyd sends only JSON; anything else is not ours to settle
    }
    if (answer === null || typeof answer !== 'object') return;
    if (answer.type === 'going_away') {
      this.onGoingAway();
      return;
    }
    const pending = typeof answer.id === 'string' ? this.pending.get(answer.id) : undefined;
    if (!pending) return;  // timed out already, or an error with a null id
    this.forget(pending);
    if (answer.type === 'error') {
      pending.reject(new ReplydError(String(answer.code), String(answer.message), pending.id));
    } else {
      pending.resolve(answer);
    }
  }

  /**
   * @private
   * @param {number} code
   */
  onClose(code) {
    this.socket = null;
    this.goingAway = false;
    this.clearTimers();
    // What was sent may or may not have run. Feedback (deduplicated by its
    // key), suggest and trigger go out again; anything else is the caller's
    // to redo, if it is right to.
    const resendAll = this.options.whileDisconnected === 'queue';
    for (const pending of [...this.pending.values()]) {
      if (!pending.sent) continue;
      pending.sent = false;
      if (pending.afterDrop === 'keep' || (pending.afterDrop === 'resend' && resendAll)) continue;
      this.forget(pending);
      pending.reject(new ReplydError(ClientErrorCode.CONNECTION_LOST,
        `the connection closed (code ${code}) before the answer came`, pending.id));
    }
    // Everything not yet answered, oldest first: the next connection sends
    // it in the order it was asked.
    this.queue = [...this.pending.values()];
    const retryInMs = this.backoffDelay(this.attempt);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.open();
    }, retryInMs);
    this.setState('reconnecting', { retryInMs, closeCode: code });
  }

  /**
   * The server is shutting down: it answers what it has received, then
   * closes with 1001. New requests wait for the next connection; the
   * server hears that nothing more comes, so it need not wait to be sure.
   * @private
   */
  onGoingAway() {
    if (this.goingAway || this.socket === null) return;
    this.goingAway = true;
    this.socket.send(JSON.stringify({ type: 'done_sending', id: `${this.idPrefix}-${this.nextId++}` }));
  }

  /**
   * The delay before reconnect attempt `attempt` (0-based): exponential,
   * capped, then cut by a random fraction so that many clients dropped at
   * once (a server restart) do not come back at once.
   * @param {number} attempt
   * @returns {number}
   */
  backoffDelay(attempt) {
    const { initialBackoffMs, maxBackoffMs, backoffFactor, jitter } = this.options;
    const base = Math.min(maxBackoffMs, initialBackoffMs * backoffFactor ** attempt);
    const random = (this.options.random ?? Math.random)();
    return Math.round(base * (1 - jitter * random));
  }

  // ---- bookkeeping ----

  /**
   * @private
   * @param {Pending} pending
   */
  send(pending) {
    // readyState was checked by the caller; send() on an open socket only
    // buffers, so it does not throw.
    /** @type {WebSocket} */ (this.socket).send(pending.frame);
    pending.sent = true;
  }

  /**
   * Drops a request from every table; its promise is settled by the caller.
   * @private
   * @param {Pending} pending
   */
  forget(pending) {
    if (pending.timer !== null) clearTimeout(pending.timer);
    this.pending.delete(pending.id);
    const queued = this.queue.indexOf(pending);
    if (queued >= 0) this.queue.splice(queued, 1);
  }

  /**
   * @private
   * @param {string} code
   * @param {string} message
   */
  failAll(code, message) {
    for (const pending of [...this.pending.values()]) {
      this.forget(pending);
      pending.reject(new ReplydError(code, message, pending.id));
    }
  }

  /** @private */
  clearTimers() {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    if (this.healthyTimer !== null) clearTimeout(this.healthyTimer);
    this.retryTimer = null;
    this.healthyTimer = null;
  }

  /**
   * @private
   * @param {ConnectionState} state
   * @param {{retryInMs?: number, closeCode?: number}} extra
   */
  setState(state, extra) {
    const previous = this.state;
    this.state = state;
    /** @type {StateChange} */
    const detail = { state, previous, attempt: this.attempt, ...extra };
    this.dispatchEvent(new CustomEvent('statechange', { detail }));
  }
}

/**
 * The engine's request fields from an order and options, leaving out what
 * was not given (the server refuses `null` where it expects a value).
 * @param {Order|undefined} order
 * @param {SuggestOptions} options
 * @returns {Record<string, unknown>}
 */
function engineFields(order, options) {
  /** @type {Record<string, unknown>} */
  const fields = {};
  if (order !== undefined) fields.order = order;
  if (options.locale !== undefined) fields.locale = options.locale;
  if (options.max !== undefined) fields.max = options.max;
  if (options.conversationId !== undefined) fields.conversation_id = options.conversationId;
  if (options.now !== undefined) {
    fields.now = options.now instanceof Date ? options.now.toISOString() : options.now;
  }
  return fields;
}

/**
 * A turn's `at`: the request's pinned clock, else now.
 * @param {Date|string|undefined} now
 * @returns {string} RFC 3339
 */
function timeOf(now) {
  if (now === undefined) return new Date().toISOString();
  return now instanceof Date ? now.toISOString() : now;
}

const utf8 = new TextEncoder();

/**
 * Drops the oldest turns until the history is within HISTORY_LIMITS.
 * @param {HistoryTurn[]} turns changed in place
 */
function trimHistory(turns) {
  let bytes = 0;
  for (const turn of turns) bytes += utf8.encode(turn.text).length;
  while (turns.length > HISTORY_LIMITS.turns || bytes > HISTORY_LIMITS.bytes) {
    const dropped = /** @type {HistoryTurn} */ (turns.shift());
    bytes -= utf8.encode(dropped.text).length;
  }
}

/**
 * `text` cut to at most `limit` UTF-8 bytes, never inside a character.
 * @param {string} text
 * @param {number} limit
 * @returns {string}
 */
function cutToBytes(text, limit) {
  if (utf8.encode(text).length <= limit) return text;
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = utf8.encode(char).length;
    if (bytes + size > limit) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}

/**
 * A feedback key: a random UUID, or 32 random hex digits where randomUUID
 * is missing (it needs a secure context: an http: page on another host has
 * only getRandomValues).
 * @returns {string}
 */
function newKey() {
  const { crypto } = globalThis;
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * @param {string|undefined} url
 * @param {string|undefined} token
 * @returns {string}
 */
function buildUrl(url, token) {
  /** @type {URL} */
  let target;
  if (url !== undefined) {
    target = new URL(url, globalThis.location?.href);
    if (target.protocol === 'http:') target.protocol = 'ws:';
    if (target.protocol === 'https:') target.protocol = 'wss:';
  } else if (globalThis.location !== undefined) {
    target = new URL('/ws', globalThis.location.href);
    target.protocol = globalThis.location.protocol === 'https:' ? 'wss:' : 'ws:';
  } else {
    throw new TypeError('ReplydClient: no page to connect back to; pass options.url');
  }
  if (token !== undefined && token !== '') target.searchParams.set('token', token);
  return target.href;
}

/**
 * Stops a socket's handlers from reaching the client (a late close of a
 * replaced socket must not start another reconnect).
 * @param {WebSocket} socket
 */
function detach(socket) {
  socket.onopen = null;
  socket.onmessage = null;
  socket.onclose = null;
  socket.onerror = null;
}
