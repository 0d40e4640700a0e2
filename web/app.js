// @ts-check
/**
 * The demo page: a buyer chat (left) and an agent console (right) on one
 * replyd connection. Picking a sample buyer switches both sides to that
 * buyer's conversation; each keeps its own history.
 *
 * A token for a replyd started with --token: open the page as /?token=…
 */
import { ReplydClient } from './replyd-client.js';
import { sampleBuyers } from './sample-orders.js';
import { ChatLog, el } from './buyer-chat.js';
import { Turn } from './agent-console.js';
import { PackLabels } from './pack-labels.js';
import { renderDerivedFacts, renderOrderSummary, showDerivedFactsError } from './order-panel.js';
import { TemplateSearch } from './template-search.js';

/** @typedef {import('./sample-orders.js').SampleBuyer} SampleBuyer */
/** @typedef {import('./replyd-client.js').StateChange} StateChange */

/**
 * @template {HTMLElement} T
 * @param {string} id
 * @returns {T}
 */
function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`index.html has no #${id}`);
  return /** @type {T} */ (node);
}

const ui = {
  connection: byId('connection'),
  connectionText: byId('connection-text'),
  picker: /** @type {HTMLSelectElement} */ (byId('buyer-select')),
  summary: byId('order-summary'),
  chats: byId('chats'),
  quickMessages: byId('quick-messages'),
  form: /** @type {HTMLFormElement} */ (byId('buyer-form')),
  input: /** @type {HTMLInputElement} */ (byId('buyer-input')),
  triggerButton: /** @type {HTMLButtonElement} */ (byId('trigger-button')),
  consoleTitle: byId('console-buyer'),
  turns: byId('turns'),
  conversationTurns: byId('conversation-turns'),
  replyForm: /** @type {HTMLFormElement} */ (byId('reply-form')),
  searchInput: /** @type {HTMLInputElement} */ (byId('template-search')),
  searchResults: byId('template-results'),
  replyInput: /** @type {HTMLTextAreaElement} */ (byId('reply-input')),
  conversationCount: byId('conversation-count'),
};

/** The agent's language: replies in another one are shown with a gloss in it. */
const AGENT_LOCALE = 'zh';

const token = new URLSearchParams(location.search).get('token') ?? undefined;
// Generous: a message typed while replyd restarts waits in the client's
// queue, and its suggestions are still worth showing when the server is back.
const client = new ReplydClient({ token, requestTimeoutMs: 30_000 });

/**
 * One buyer's conversation: its chat log and its turns in the console.
 * @typedef {object} Conversation
 * @property {string} id sent as conversation_id, stored with the feedback
 * @property {ChatLog} chat
 * @property {HTMLElement} turns newest first
 * @property {Turn[]} turnList newest last
 */

/** @type {Map<string, Conversation>} */
const conversations = new Map();
/** The packs' labels and templates, loaded once per pack version. */
const labels = new PackLabels({ fetch: fetchTemplates, agentLocale: AGENT_LOCALE });
/** Connections opened so far: feedback refused after a new one tells of a restart. */
let connectionsOpened = 0;
// One id per page load: two open pages don't share a conversation.
const session = Math.random().toString(36).slice(2, 8);

/**
 * The sample buyers as of now. Rebuilt for every request, so an order's
 * times, the `now` sent with it and the state it shows always agree.
 * @returns {{now: Date, buyer: SampleBuyer}}
 */
function currentBuyer() {
  const now = new Date();
  const buyer = sampleBuyers(now).find((b) => b.key === ui.picker.value);
  if (!buyer) throw new Error(`no sample buyer ${ui.picker.value}`);
  return { now, buyer };
}

/** @param {SampleBuyer} buyer */
function conversationOf(buyer) {
  let conversation = conversations.get(buyer.key);
  if (!conversation) {
    const turns = el('div', 'turn-list');
    turns.dataset.buyer = buyer.key;
    turns.append(el('p', 'turns-empty', '买家发来消息后，这里会出现回复建议。也可以点「主动提醒」，看看现在该主动告诉买家什么。'));
    conversation = {
      id: `demo-${buyer.key}-${session}`,
      chat: new ChatLog(buyer),
      turns,
      turnList: [],
    };
    conversations.set(buyer.key, conversation);
    ui.chats.append(conversation.chat.element);
    ui.turns.append(turns);
  }
  return conversation;
}

function showSelectedBuyer() {
  const { now, buyer } = currentBuyer();
  const conversation = conversationOf(buyer);
  for (const other of conversations.values()) {
    other.chat.element.hidden = other !== conversation;
    other.turns.hidden = other !== conversation;
  }
  renderOrderSummary(ui.summary, buyer, now);
  explainOrder(buyer, now);
  renderConversation();
  ui.consoleTitle.textContent = `${buyer.order.buyer?.name ?? '买家'} · 订单 ${buyer.order.id}`;
  ui.input.lang = buyer.languageTag;
  ui.input.placeholder = buyer.locale === 'vi' ? 'Nhập tin nhắn của người mua…' : '以买家身份输入消息…';
  ui.quickMessages.replaceChildren(...buyer.messages.map((message) => {
    const chip = /** @type {HTMLButtonElement} */ (el('button', 'chip', message));
    chip.type = 'button';
    chip.lang = buyer.languageTag;
    chip.addEventListener('click', () => sendBuyerMessage(message));
    return chip;
  }));
}

/**
 * The visible conversation's history, as the client sends it with the next
 * ask: what the engine knows of the conversation.
 */
function renderConversation() {
  const conversation = conversations.get(ui.picker.value);
  const turns = conversation ? client.history(conversation.id) : [];
  ui.conversationCount.textContent = turns.length === 0 ? '（还没有）' : `（${turns.length} 条）`;
  ui.conversationTurns.replaceChildren(...turns.map((turn) => {
    const item = el('li');
    item.dataset.role = turn.role;
    const who = { buyer: '买家', agent: '客服', system: '系统' }[turn.role];
    const said = el('span', 'said', turn.text);
    said.title = turn.text;
    item.append(el('span', 'who', who), said);
    if (turn.template) item.append(el('code', 'card-template', turn.template));
    return item;
  }));
}

/**
 * Per intent, the replies of that intent the conversation has had.
 * @param {string} conversationId
 * @returns {Map<string, number>}
 */
function repliesByIntent(conversationId) {
  const counts = new Map();
  for (const turn of client.history(conversationId)) {
    if (turn.role !== 'agent' || !turn.template) continue;
    const intent = turn.template.slice(0, turn.template.indexOf('.'));
    counts.set(intent, (counts.get(intent) ?? 0) + 1);
  }
  return counts;
}

/**
 * Starts a turn in the console and fills it with the answer to `ask`.
 * @param {SampleBuyer} buyer
 * @param {string|undefined} message
 * @param {() => Promise<import('./replyd-client.js').SuggestionsAnswer>} ask
 * @param {() => Promise<{explanation: any}>} [explain] the same request through `explain`
 */
function startTurn(buyer, message, ask, explain) {
  const conversation = conversationOf(buyer);
  // Counted before the ask adds the buyer's message to the history.
  const repliesBefore = repliesByIntent(conversation.id);
  const turn = new Turn({
    title: message === undefined ? '主动提醒' : `买家 · ${buyer.order.buyer?.name ?? ''}`,
    message,
    languageTag: buyer.languageTag,
    waiting: client.state === 'open' ? '正在生成建议…' : '连接断开，恢复后自动发送…',
    actions: {
      feedback: (suggestionId, action, finalText) => {
        const stored = client.feedback(suggestionId, action, finalText);
        renderConversation();
        return stored;
      },
      deliver: (text) => conversation.chat.addShopReply(text),
      connections: () => connectionsOpened,
      explain,
      labels,
    },
  });
  conversation.turns.querySelector('.turns-empty')?.remove();
  for (const earlier of conversation.turnList) earlier.element.classList.add('past');
  conversation.turns.prepend(turn.element);
  conversation.turnList.push(turn);
  const asked = ask();
  renderConversation();
  // The cards show the packs' labels: loaded before the first answer is
  // shown, and again after a reload changed the pack (ids shown if it fails).
  const labelled = asked.then((answer) => labels.ensure(answer.pack_version).then(
    () => answer, () => answer));
  labelled.then(
    (answer) => {
      turn.showSuggestions(answer, repliesBefore);
      if (answer.locale !== AGENT_LOCALE) turn.showGlosses();
      // The agent acts next: hand the keyboard to the console, unless the
      // buyer has started typing again.
      if (document.activeElement === ui.input && ui.input.value === '') turn.element.focus();
    },
    (error) => turn.showError(error));
}

/** @param {string} text */
function sendBuyerMessage(text) {
  const message = text.trim();
  if (message === '') return;
  const { now, buyer } = currentBuyer();
  const conversation = conversationOf(buyer);
  conversation.chat.addBuyerMessage(message);
  // What the suggest sends as history: the why panel explains that request.
  const history = client.history(conversation.id);
  startTurn(buyer, message, () => client.suggest(message, buyer.order, {
    locale: buyer.locale, conversationId: conversation.id, now,
  }), () => client.explain(message, buyer.order,
    { locale: buyer.locale, now, history, gloss: AGENT_LOCALE }));
}

function askTrigger() {
  const { now, buyer } = currentBuyer();
  const conversation = conversationOf(buyer);
  startTurn(buyer, undefined, () => client.trigger(buyer.order, {
    locale: buyer.locale, conversationId: conversation.id, now,
  }));
}

/**
 * The agent's own reply to the visible conversation: to the buyer, into the
 * history, and stored as own_reply feedback with the intent that was showing.
 * @param {string} value
 */
function sendOwnReply(value) {
  const text = value.trim();
  if (text === '') return;
  const { buyer } = currentBuyer();
  const conversation = conversationOf(buyer);
  const turn = conversation.turnList.at(-1);
  conversation.chat.addShopReply(text);
  const stored = client.ownReply(text, { conversationId: conversation.id, intent: turn?.intent });
  turn?.showOwnReply(text, stored);
  renderConversation();
}

/**
 * The facts the engine derives from the visible buyer's order (an explain
 * of the order alone), into the order panel; asked whenever a buyer is
 * picked, with the clock of that moment.
 * @param {SampleBuyer} buyer
 * @param {Date} now
 */
function explainOrder(buyer, now) {
  client.explain(undefined, buyer.order, { locale: buyer.locale, now }).then(
    (answer) => {
      if (ui.picker.value === buyer.key) renderDerivedFacts(ui.summary, answer.explanation);
    },
    (/** @type {Error & {code?: string}} */ error) => {
      if (ui.picker.value === buyer.key) showDerivedFactsError(ui.summary, error);
    });
}

/** GET /templates, with the page's token. @returns {Promise<any>} */
async function fetchTemplates() {
  const response = await fetch('/templates',
    { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!response.ok) throw new Error(`/templates: HTTP ${response.status}`);
  return response.json();
}

/** The turn keyboard shortcuts act on: the newest of the visible conversation. */
function currentTurn() {
  const conversation = conversations.get(ui.picker.value);
  return conversation?.turnList.at(-1);
}

/** @param {KeyboardEvent} event */
function onKeydown(event) {
  if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
  const target = /** @type {HTMLElement|null} */ (event.target);
  // Typing in a field, a select or on a button's own keys is not a shortcut.
  if (target && target.closest('input, textarea, select, [contenteditable]')) return;
  if (event.key === '/') {
    event.preventDefault();
    ui.searchInput.focus();
    return;
  }
  const turn = currentTurn();
  // preventDefault: a key that moved focus into the editor must not be typed there.
  if (turn && turn.handleShortcut(event.key)) event.preventDefault();
}

const STATE_TEXT = {
  idle: '未连接',
  connecting: '连接中…',
  open: '已连接',
  reconnecting: '连接断开，正在重连…',
  closed: '已断开',
};

/** @param {CustomEvent<StateChange>} event */
function onStateChange(event) {
  const { state, retryInMs } = event.detail;
  if (state === 'open') connectionsOpened += 1;
  ui.connection.dataset.state = state;
  ui.connectionText.textContent = state === 'reconnecting' && retryInMs !== undefined
    ? `连接断开，${Math.max(1, Math.round(retryInMs / 1000))} 秒内重连`
    : STATE_TEXT[state];
}

function start() {
  const buyers = sampleBuyers(new Date());
  const groups = [
    { label: '订单状态', buyers: buyers.filter((b) => b.locale === 'zh' && b.languageTag === 'zh-Hans') },
    { label: '其他语言的买家', buyers: buyers.filter((b) => b.languageTag !== 'zh-Hans') },
  ];
  for (const group of groups) {
    const optgroup = document.createElement('optgroup');
    optgroup.label = group.label;
    for (const buyer of group.buyers) optgroup.append(new Option(buyer.label, buyer.key));
    ui.picker.append(optgroup);
  }
  ui.picker.addEventListener('change', showSelectedBuyer);
  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = ui.input.value;
    ui.input.value = '';
    sendBuyerMessage(text);
  });
  ui.triggerButton.addEventListener('click', askTrigger);
  ui.replyForm.addEventListener('submit', (event) => {
    event.preventDefault();
    sendOwnReply(ui.replyInput.value);
    ui.replyInput.value = '';
  });
  new TemplateSearch({
    input: ui.searchInput,
    results: ui.searchResults,
    labels,
    locale: () => currentBuyer().buyer.locale,
    // A template showing as a suggestion now is taken filled in.
    rendered: (template) => {
      const turn = currentTurn();
      return turn?.cards.find((card) => card.suggestion.template === template)?.suggestion.text;
    },
    choose: (text) => {
      ui.replyInput.value = text;
      ui.replyInput.focus();
      ui.replyInput.setSelectionRange(text.length, text.length);
    },
  });
  ui.replyInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      ui.replyForm.requestSubmit();
    }
  });
  document.addEventListener('keydown', onKeydown);
  client.addEventListener('statechange', /** @type {EventListener} */ (onStateChange));
  showSelectedBuyer();
  client.connect();
}

start();
