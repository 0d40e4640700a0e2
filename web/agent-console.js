// @ts-check
/**
 * The agent's side of the demo: one "turn" per buyer message (or proactive
 * trigger), holding the engine's suggestions as cards the agent can send
 * as they are, edit and send, or reject. Each action is reported to replyd
 * as feedback; the card shows whether the server stored it.
 */
import { clockTime, el } from './buyer-chat.js';
import { renderWhy } from './why-panel.js';

/** @typedef {import('./replyd-client.js').Suggestion} Suggestion */
/** @typedef {import('./replyd-client.js').SuggestionsAnswer} SuggestionsAnswer */
/** @typedef {'accepted'|'edited'|'rejected'} FeedbackAction */
/** @typedef {'shown'|'ignored'} QuietAction recorded for the statistics, not shown on the card */

/**
 * What a turn needs from the page.
 * @typedef {object} TurnActions
 * @property {(suggestionId: string, action: FeedbackAction|QuietAction, finalText?: string) => Promise<unknown>} feedback
 * @property {(text: string) => void} deliver puts the reply into the buyer's chat
 * @property {() => number} connections connections opened so far: one opened
 *   after the answer means the server may have restarted since
 * @property {(() => Promise<{explanation: any}>)|undefined} explain why the
 *   engine answered so (the same request through `explain`); none for a trigger
 * @property {import('./pack-labels.js').PackLabels} labels what the packs call
 *   intents and templates
 */

const SCRIPT_NAMES = /** @type {Record<string, string>} */ ({
  Hans: '简体', Hant: '繁体', Latin: '拉丁字母', Zyyy: '无文字',
});

const FEEDBACK_DONE = /** @type {Record<FeedbackAction, string>} */ ({
  accepted: '已发送', edited: '已修改后发送', rejected: '未采用',
});

/** Suggestions with a keyboard shortcut (1-3). */
const SHORTCUT_CARDS = 3;

export class Turn {
  /**
   * @param {object} init
   * @param {string} init.title who or what the turn answers ("买家 · 赵女士", "主动提醒")
   * @param {string} [init.message] the buyer's message; none for a trigger
   * @param {string} init.languageTag for the replies' `lang`
   * @param {string} init.waiting shown until the answer comes
   * @param {TurnActions} init.actions
   */
  constructor({ title, message, languageTag, waiting, actions }) {
    this.actions = actions;
    this.languageTag = languageTag;
    this.message = message;
    /** @type {Promise<{explanation: any}>|undefined} asked once, for every card */
    this.explanation = undefined;
    /** @type {Card[]} */
    this.cards = [];
    /** A reply was sent: the other cards can no longer be. */
    this.resolved = false;
    /** @type {number|undefined} the page's connection count when the answer came */
    this.answeredOnConnection = undefined;
    /** @type {string|undefined} */
    this.intent = undefined;
    /** @type {string|undefined} the locale of the answer's pack */
    this.locale = undefined;

    this.element = el('article', 'turn');
    this.element.tabIndex = -1;
    this.element.dataset.kind = message === undefined ? 'trigger' : 'message';
    this.element.setAttribute('aria-busy', 'true');

    const head = el('header', 'turn-head');
    this.badges = el('span', 'turn-badges');
    const time = el('time', 'turn-time', clockTime(new Date()));
    head.append(el('span', 'turn-title', title), this.badges, time);
    this.element.append(head);
    if (message !== undefined) {
      const quote = el('blockquote', 'turn-message', message);
      quote.lang = languageTag;
      this.element.append(quote);
    }
    this.meta = el('p', 'turn-meta');
    this.body = el('div', 'turn-body');
    this.body.append(el('p', 'turn-loading', waiting));
    this.element.append(this.body, this.meta);
    this.element.setAttribute('aria-label', message === undefined ? title : `${title}：${message}`);
  }

  /**
   * @param {SuggestionsAnswer} answer
   * @param {Map<string, number>} [repliesBefore] per intent, the replies of
   *   that intent the conversation already had when the buyer asked: a card
   *   of such an intent answers a repeated ask (the packs escalate those)
   */
  showSuggestions(answer, repliesBefore = new Map()) {
    this.answeredOnConnection = this.actions.connections();
    /** The intent of the best suggestion: what an own reply answered instead. */
    this.intent = answer.suggestions[0]?.intent;
    this.locale = answer.locale;
    this.element.removeAttribute('aria-busy');
    this.body.replaceChildren();
    // A trigger has no message, so no script to report: only the language.
    const detected = this.element.dataset.kind === 'trigger'
      ? `语言：${answer.locale}`
      : `识别：${[SCRIPT_NAMES[answer.script ?? ''] ?? answer.script, answer.locale]
        .filter(Boolean).join(' · ')}`;
    this.meta.textContent =
      `${detected}　引擎 ${answer.elapsed_us} µs　规则包 ${answer.pack_version}`;

    if (answer.suggestions.length === 0) {
      const empty = this.element.dataset.kind === 'trigger'
        ? '这笔订单现在没有需要主动告知买家的事。'
        : '没有合适的建议，请人工回复。';
      this.body.append(el('p', 'turn-empty', empty));
      return;
    }
    if (answer.suggestions.some((s) => s.handoff)) {
      const badge = el('span', 'badge badge-handoff', '需人工接手');
      badge.title = '引擎判断这段对话应转给人工客服';
      this.badges.append(badge);
      this.element.dataset.handoff = 'true';
    }
    const list = el('ol', 'cards');
    answer.suggestions.forEach((suggestion, index) => {
      const card = new Card(this, suggestion, index + 1, repliesBefore.get(suggestion.intent) ?? 0);
      this.cards.push(card);
      list.append(card.element);
    });
    this.body.append(list);
    // Acceptance rates are over the cards an agent saw (/stats).
    for (const card of this.cards) card.recordQuietly('shown');
  }

  /** @param {Error & {code?: string}} error */
  showError(error) {
    this.element.removeAttribute('aria-busy');
    this.element.dataset.error = error.code ?? 'error';
    const message = el('p', 'turn-error', `没能取得建议（${error.code ?? 'error'}）：${error.message}`);
    message.setAttribute('role', 'alert');
    this.body.replaceChildren(message);
  }

  /**
   * The card a keyboard shortcut acts on: the one holding focus, else the
   * first one still open.
   * @returns {Card|undefined}
   */
  focusedOrFirstOpenCard() {
    const active = document.activeElement;
    const focused = this.cards.find((card) => card.element.contains(active));
    if (focused && focused.isOpen()) return focused;
    return this.cards.find((card) => card.isOpen());
  }

  /**
   * A keyboard shortcut from the page (focus is not in a text field).
   * @param {string} key
   * @returns {boolean} whether the key was used
   */
  handleShortcut(key) {
    if (this.resolved) return false;
    const number = Number(key);
    if (Number.isInteger(number) && number >= 1 && number <= SHORTCUT_CARDS) {
      const card = this.cards[number - 1];
      if (!card || !card.isOpen()) return false;
      card.accept();
      return true;
    }
    const card = this.focusedOrFirstOpenCard();
    if (!card) return false;
    if (key === 'e' || key === 'E') card.startEditing();
    else if (key === 'r' || key === 'R') card.reject();
    else if (key === 'w' || key === 'W') card.toggleWhy();
    else return false;
    return true;
  }

  /**
   * The agent wrote their own reply: shown in the turn, the cards still
   * open can no longer be sent.
   * @param {string} text
   * @param {Promise<unknown>} stored the own_reply feedback
   */
  showOwnReply(text, stored) {
    const reply = el('p', 'turn-own-reply', text);
    reply.lang = this.languageTag;
    const status = el('span', 'card-status', '自己回复 · 正在记录…');
    reply.append(status);
    reply.dataset.feedback = 'pending';
    this.body.append(reply);
    this.resolve(undefined);
    stored.then(
      () => {
        reply.dataset.feedback = 'stored';
        status.textContent = '自己回复 · 已记录';
      },
      (/** @type {Error & {code?: string}} */ error) => {
        reply.dataset.feedback = 'failed';
        status.textContent = `自己回复 · 未记录（${error.code ?? 'error'}）：${error.message}`;
      });
  }

  /**
   * Under each card, what its reply says in the agent's language: the same
   * template in the agent's pack, filled with the same order.
   */
  showGlosses() {
    const asked = this.explain();
    if (!asked) return;
    asked.then((answer) => {
      const glosses = answer.explanation.glosses ?? [];
      this.cards.forEach((card, index) => {
        const gloss = glosses[index];
        if (!gloss || gloss.template !== card.suggestion.template) return;
        card.showGloss(gloss.text);
      });
    }, () => {});  // no gloss then; the why panel reports the error
  }

  /**
   * The engine's explanation of this turn's answer, asked for once.
   * @returns {Promise<{explanation: any}>|undefined} none for a trigger
   */
  explain() {
    if (!this.actions.explain) return undefined;
    this.explanation ??= this.actions.explain();
    return this.explanation;
  }

  /**
   * Why feedback on one of this turn's cards failed, in the agent's words.
   * @param {Error & {code?: string}} error
   * @returns {string}
   */
  explainFeedbackError(error) {
    if (error.code !== 'unknown_suggestion') return `（${error.code ?? 'error'}）：${error.message}`;
    // The reply reached the buyer; only the record of the click is lost.
    const reconnected = this.answeredOnConnection !== undefined
      && this.actions.connections() > this.answeredOnConnection;
    return reconnected
      ? '：服务器在这条建议给出后重启过，已经不认得它了（建议只保存在服务器内存里）。'
        + '回复已经发给买家，不用重发；只是这次操作没能计入统计。'
      : '：服务器已经不认得这条建议（可能刚重启过，或建议给出太久已过期）。'
        + '回复已经发给买家，不用重发；只是这次操作没能计入统计。';
  }

  /**
   * A reply went out: the other cards stay visible but can't be sent.
   * @param {Card|undefined} sent undefined: the agent's own reply
   */
  resolve(sent) {
    this.resolved = true;
    this.element.classList.add('resolved');
    for (const card of this.cards) {
      if (card === sent) continue;
      // Still open: the agent answered with something else.
      if (card.state === 'open' || card.state === 'editing') card.recordQuietly('ignored');
      card.disable();
    }
  }
}

class Card {
  /**
   * @param {Turn} turn
   * @param {Suggestion} suggestion
   * @param {number} rank 1-based
   * @param {number} repliesBefore replies of this intent already sent in the conversation
   */
  constructor(turn, suggestion, rank, repliesBefore) {
    this.turn = turn;
    this.suggestion = suggestion;
    /** @type {'open'|'editing'|'accepted'|'edited'|'rejected'|'unused'} */
    this.state = 'open';

    const item = el('li', 'card');
    this.element = item;
    item.dataset.rank = String(rank);
    item.dataset.intent = suggestion.intent;
    item.dataset.template = suggestion.template;
    item.dataset.suggestionId = suggestion.suggestion_id;
    item.dataset.state = 'open';
    const headingId = `card-${suggestion.suggestion_id}`;
    item.setAttribute('aria-labelledby', headingId);

    const head = el('div', 'card-head');
    head.id = headingId;
    const key = el('kbd', 'card-key', rank <= SHORTCUT_CARDS ? String(rank) : '·');
    key.setAttribute('aria-hidden', 'true');
    // The packs' labels, the ids in the tooltips (pack authors need them).
    const labels = turn.actions.labels;
    const intentLabel = labels.intent(suggestion.intent, turn.locale);
    const intent = el('span', 'card-intent', intentLabel);
    intent.title = `意图 ${suggestion.intent}`;
    const template = el('span', 'card-label',
      labels.template(suggestion.template, turn.locale) ?? suggestion.template);
    template.title = `回复模板 ${suggestion.template}`;
    head.append(key, el('span', 'visually-hidden', `建议 ${rank}：`), intent, template);
    if (repliesBefore > 0) {
      // The buyer asks again after being answered: the pack's replies for a
      // repeated ask (apology, urgency, options) are chosen by this count.
      const ask = repliesBefore + 1;
      item.dataset.ask = String(ask);
      const badge = el('span', 'badge badge-escalated small', `第 ${ask} 次询问`);
      badge.title = `这段对话里已经就「${intentLabel}」回复过 ${repliesBefore} 次，建议按再次催问升级处理`;
      head.append(badge);
    }
    if (suggestion.handoff) head.append(el('span', 'badge badge-handoff small', '转人工'));

    this.text = el('p', 'card-text', suggestion.text);
    this.text.lang = turn.languageTag;
    this.status = el('p', 'card-status');
    this.status.setAttribute('role', 'status');

    this.buttons = el('div', 'card-actions');
    this.acceptButton = button('发送', 'primary', () => this.accept(),
      rank <= SHORTCUT_CARDS ? String(rank) : undefined);
    this.editButton = button('编辑', '', () => this.startEditing(), 'E');
    this.rejectButton = button('不采用', 'quiet', () => this.reject(), 'R');
    this.buttons.append(this.acceptButton, this.editButton, this.rejectButton);
    if (turn.actions.explain) {
      this.whyButton = button('为什么', 'quiet why-button', () => this.toggleWhy(), 'W');
      this.whyButton.setAttribute('aria-expanded', 'false');
      this.buttons.append(this.whyButton);
    }
    /** @type {HTMLElement|undefined} */
    this.why = undefined;

    item.append(head, this.text, this.buttons, this.status);
  }

  /**
   * @param {string|null} text the reply in the agent's language; null: none
   */
  showGloss(text) {
    const gloss = el('p', 'card-gloss',
      text ?? '（中文规则包里没有这条回复，无法对照）');
    gloss.lang = 'zh-Hans';
    gloss.dataset.missing = String(text === null);
    gloss.prepend(el('span', 'card-gloss-label', '中文对照：'));
    this.text.after(gloss);
  }

  /** Opens or closes the "why" panel (loaded on first open). */
  toggleWhy() {
    if (this.why) {
      this.why.remove();
      this.why = undefined;
      this.whyButton?.setAttribute('aria-expanded', 'false');
      return;
    }
    const asked = this.turn.explain();
    if (!asked) return;
    const panel = el('section', 'why', '正在查询原因…');
    this.why = panel;
    this.whyButton?.setAttribute('aria-expanded', 'true');
    this.status.before(panel);
    asked.then(
      (answer) => {
        if (this.why !== panel) return;  // closed meanwhile
        const filled = renderWhy(answer.explanation, this.suggestion, this.turn.message ?? '',
          this.turn.languageTag);
        panel.replaceWith(filled);
        this.why = filled;
      },
      (/** @type {Error & {code?: string}} */ error) => {
        panel.textContent = `没能取得原因（${error.code ?? 'error'}）：${error.message}`;
      });
  }

  isOpen() {
    return this.state === 'open';
  }

  accept() {
    if (!this.isOpen() || this.turn.resolved) return;
    this.send('accepted', this.suggestion.text);
  }

  reject() {
    if (!this.isOpen() || this.turn.resolved) return;
    this.setState('rejected');
    this.report('rejected');
  }

  startEditing() {
    if (!this.isOpen() || this.turn.resolved) return;
    this.setState('editing');
    const editor = /** @type {HTMLTextAreaElement} */ (el('textarea', 'card-editor'));
    editor.value = this.suggestion.text;
    editor.lang = this.turn.languageTag;
    editor.rows = Math.min(8, Math.max(3, this.suggestion.text.split('\n').length + 1));
    editor.setAttribute('aria-label', '修改回复，Enter 发送，Shift+Enter 换行，Esc 取消');
    const hint = el('p', 'card-editor-hint', 'Enter 发送修改 · Shift+Enter 换行 · Esc 取消');
    const save = button('发送修改', 'primary', () => this.finishEditing(editor.value));
    const cancel = button('取消', 'quiet', () => this.cancelEditing());
    const actions = el('div', 'card-actions');
    actions.append(save, cancel);
    const form = el('div', 'card-edit');
    form.append(editor, hint, actions);
    editor.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.finishEditing(editor.value);
      } else if (event.key === 'Escape') {
        event.preventDefault();
        this.cancelEditing();
      }
    });
    this.editForm = form;
    this.text.hidden = true;
    this.buttons.hidden = true;
    this.text.after(form);
    editor.focus();
    editor.setSelectionRange(editor.value.length, editor.value.length);
  }

  /** @param {string} value */
  finishEditing(value) {
    const text = value.trim();
    if (text === '') return;  // nothing to send; keep editing
    this.closeEditor();
    // Sent unchanged, it is the suggestion as is: an acceptance.
    if (text === this.suggestion.text) this.send('accepted', text);
    else this.send('edited', text);
  }

  cancelEditing() {
    this.closeEditor();
    this.setState('open');
    this.acceptButton.focus();
  }

  /** @private */
  closeEditor() {
    this.editForm?.remove();
    this.editForm = undefined;
    this.text.hidden = false;
    this.buttons.hidden = false;
  }

  disable() {
    if (this.state === 'editing') this.closeEditor();
    if (this.state === 'open' || this.state === 'editing') this.setState('unused');
  }

  /**
   * @private
   * @param {'accepted'|'edited'} action
   * @param {string} text what goes to the buyer
   */
  send(action, text) {
    this.setState(action);
    if (action === 'edited') {
      this.text.textContent = text;
      this.text.classList.add('edited');
    }
    this.turn.actions.deliver(text);
    this.turn.resolve(this);
    this.report(action, action === 'edited' ? text : undefined);
    this.turn.element.focus();
  }

  /**
   * Feedback the agent did not give by a click (`shown`, `ignored`): stored
   * for the statistics; a failure (a restarted server) changes nothing the
   * agent needs to see.
   * @param {QuietAction} action
   */
  recordQuietly(action) {
    this.element.dataset[action] = 'pending';
    this.turn.actions.feedback(this.suggestion.suggestion_id, action).then(
      () => { this.element.dataset[action] = 'stored'; },
      () => { this.element.dataset[action] = 'failed'; });
  }

  /**
   * @private
   * @param {FeedbackAction} action
   * @param {string} [finalText]
   */
  report(action, finalText) {
    this.element.dataset.feedback = 'pending';
    this.status.textContent = `${FEEDBACK_DONE[action]} · 正在记录反馈…`;
    this.turn.actions.feedback(this.suggestion.suggestion_id, action, finalText).then(
      () => {
        this.element.dataset.feedback = 'stored';
        this.status.textContent = `${FEEDBACK_DONE[action]} · 反馈已记录`;
      },
      (/** @type {Error & {code?: string}} */ error) => {
        this.element.dataset.feedback = 'failed';
        this.element.dataset.feedbackError = error.code ?? 'error';
        this.status.textContent =
          `${FEEDBACK_DONE[action]} · 反馈未记录${this.turn.explainFeedbackError(error)}`;
      });
  }

  /**
   * @private
   * @param {Card['state']} state
   */
  setState(state) {
    this.state = state;
    this.element.dataset.state = state;
    const open = state === 'open';
    for (const b of [this.acceptButton, this.editButton, this.rejectButton]) b.disabled = !open;
  }
}

/**
 * @param {string} label
 * @param {string} variant CSS class: primary, quiet or ''
 * @param {() => void} onClick
 * @param {string} [shortcut] shown in the button and announced by screen readers
 * @returns {HTMLButtonElement}
 */
function button(label, variant, onClick, shortcut) {
  const node = /** @type {HTMLButtonElement} */ (el('button', `button ${variant}`.trim(), label));
  node.type = 'button';
  if (shortcut) {
    node.setAttribute('aria-keyshortcuts', shortcut);
    const hint = el('kbd', 'button-key', shortcut);
    hint.setAttribute('aria-hidden', 'true');
    node.append(hint);
  }
  node.addEventListener('click', onClick);
  return node;
}
