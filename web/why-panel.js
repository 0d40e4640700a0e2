// @ts-check
/**
 * The "why" panel of a suggestion card: the buyer's words that matched
 * (highlighted in the message), the rule (`when`) that chose this reply and
 * the order facts it read, and the arithmetic of the amounts the reply
 * quotes. Built from replyd's `explain` answer (docs/protocol.md), which the
 * console asks for only when the agent opens a panel.
 */
import { el } from './buyer-chat.js';

/** @typedef {import('./replyd-client.js').Suggestion} Suggestion */

/** Fact names in the agent's language; others are shown as written. */
const FACT_NAMES = /** @type {Record<string, string>} */ ({
  status: '订单状态', overdue: '已超过发货承诺', hours_overdue: '超时小时数',
  amount: '订单金额', compensation: '补偿金额', times_asked: '本次对话中第几次问',
  times_sent: '已回复次数', buyer_escalated: '买家已表示要投诉或差评',
  minutes_waiting: '买家等待分钟数', out_of_stock: '缺货', restock_days: '到货天数',
  ship_deadline: '最晚发货时间', has_order: '有订单', paid_today: '今天付款',
  days_since_delivered: '签收后天数', has_tracking_number: '有运单号',
});

const TRI = /** @type {Record<string, string>} */ ({ true: '成立', false: '不成立', unknown: '未知' });

/**
 * @param {any} explanation the `explanation` of replyd's answer
 * @param {Suggestion} suggestion the card's
 * @param {string} message the buyer's message as shown in the turn
 * @param {string} languageTag
 * @returns {HTMLElement}
 */
export function renderWhy(explanation, suggestion, message, languageTag) {
  const panel = el('section', 'why');
  panel.setAttribute('aria-label', '为什么是这条建议');

  // 1. The buyer's words that matched this card's intent.
  const spans = (explanation.patterns ?? [])
    .filter((/** @type {any} */ p) => p.kind === 'match' && p.intent === suggestion.intent && p.span)
    .map((/** @type {any} */ p) => p.span.text)
    .filter((/** @type {string} */ t) => t !== '');
  panel.append(el('h4', 'why-title', '匹配到的词'));
  const quote = el('p', 'why-message');
  quote.lang = languageTag;
  quote.append(...highlight(message, spans));
  if (spans.length === 0) {
    quote.append(el('span', 'why-note', '（这条建议不是由消息里的词选出的：它来自对话上文或订单状态）'));
  }
  panel.append(quote);

  // 2. The rule that chose the variant, and the facts it read.
  const variant = (explanation.replies ?? [])
    .flatMap((/** @type {any} */ r) => r.variants)
    .find((/** @type {any} */ v) => v.template === suggestion.template);
  if (variant) {
    panel.append(el('h4', 'why-title', '选择这条回复的规则'));
    const rule = el('p', 'why-rule');
    rule.append(el('code', 'why-when', variant.when?.text ?? '（无条件）'),
      el('span', 'why-where', variant.where));
    panel.append(rule);
    const tests = el('ul', 'why-tests');
    for (const t of variant.when?.tests ?? []) {
      const item = el('li');
      item.dataset.value = t.value;
      item.append(el('code', '', t.test), el('span', 'why-value', ` ${TRI[t.value] ?? t.value}`));
      const read = Object.entries(t.facts ?? {});
      if (read.length > 0) {
        item.append(el('span', 'why-facts',
          `：${read.map(([name, value]) => `${FACT_NAMES[name] ?? name} = ${shown(value)}`).join('，')}`));
      }
      tests.append(item);
    }
    panel.append(tests);
  }

  // 3. The arithmetic of amounts the reply quotes.
  for (const a of explanation.amounts ?? []) {
    const value = formatAmount(a.value);
    if (!suggestion.text.includes(value)) continue;
    const raw = a.amount * a.rate;
    const clamped = raw < a.min ? `，不足 ${a.min} 元按 ${a.min} 元` : raw > a.max ? `，超过 ${a.max} 元按 ${a.max} 元` : '';
    panel.append(el('h4', 'why-title', '金额怎么算'));
    panel.append(el('p', 'why-amount',
      `${FACT_NAMES[a.fact] ?? a.fact} ${value} 元 = 订单金额 ${formatAmount(a.amount)} 元 × ${+(a.rate * 100).toFixed(2)}%${clamped}`));
  }
  return panel;
}

/**
 * The message as text nodes with each matched span in a <mark>.
 * @param {string} message
 * @param {string[]} spans
 * @returns {Node[]}
 */
function highlight(message, spans) {
  /** @type {Array<[number, number]>} */
  const ranges = [];
  for (const span of spans) {
    const at = message.indexOf(span);
    if (at >= 0) ranges.push([at, at + span.length]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  /** @type {Node[]} */
  const nodes = [];
  let cursor = 0;
  for (const [begin, end] of ranges) {
    if (end <= cursor) continue;
    const from = Math.max(begin, cursor);
    if (from > cursor) nodes.push(document.createTextNode(message.slice(cursor, from)));
    nodes.push(el('mark', '', message.slice(from, end)));
    cursor = end;
  }
  if (cursor < message.length) nodes.push(document.createTextNode(message.slice(cursor)));
  return nodes;
}

/** @param {unknown} value */
function shown(value) {
  if (value === null) return '未知';
  if (value === true) return '是';
  if (value === false) return '否';
  return String(value);
}

/**
 * 6.45, 129, 6.5: as the packs' replies write amounts (no trailing zeros).
 * @param {number} n
 */
function formatAmount(n) {
  return String(+n.toFixed(2));
}
