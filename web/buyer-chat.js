// @ts-check
/**
 * The buyer's side of the demo: the order summary and the chat log of one
 * conversation. Plain DOM; text always goes in through textContent (buyer
 * messages and replies are never parsed as HTML).
 */
import { statusName, timeAgo, trackingName } from './labels.js';

/** @typedef {import('./sample-orders.js').SampleBuyer} SampleBuyer */

/**
 * @param {string} tag
 * @param {string} [className]
 * @param {string} [text]
 * @returns {HTMLElement}
 */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * "14:05", in the viewer's time zone: when a message was seen.
 * @param {Date} date
 * @returns {string}
 */
export function clockTime(date) {
  return date.toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false });
}

/**
 * Fills `container` with the order's facts an agent looks at first.
 * @param {HTMLElement} container
 * @param {SampleBuyer} buyer
 * @param {Date} now
 */
export function renderOrderSummary(container, buyer, now) {
  const { order } = buyer;
  container.replaceChildren();

  const head = el('div', 'order-head');
  head.append(el('span', 'order-id', `订单 ${order.id ?? '—'}`),
    el('span', `status status-${order.status ?? 'unknown'}`, statusName(order.status)));
  container.append(head);
  container.append(el('p', 'order-state', buyer.state));

  /** @type {Array<[string, string]>} */
  const rows = [];
  const items = (order.items ?? [])
    .map((item) => [item.name, item.size, item.color].filter(Boolean).join(' ')
      + (item.quantity && item.quantity > 1 ? ` ×${item.quantity}` : ''))
    .join('，');
  if (items) rows.push(['商品', items]);
  if (order.amount !== undefined) rows.push(['金额', `¥${order.amount.toFixed(2)}`]);
  if (order.paid_at) rows.push(['付款', timeAgo(order.paid_at, now)]);
  else if (order.created_at) rows.push(['下单', timeAgo(order.created_at, now)]);
  if (order.stock === 'out_of_stock') {
    rows.push(['库存', `缺货，预计 ${order.restock_days ?? '?'} 天到货`]);
  }
  if (order.shipped_at) rows.push(['发货', timeAgo(order.shipped_at, now)]);
  if (order.shipping?.tracking_number) {
    rows.push(['快递', `${order.shipping.carrier ?? ''} ${order.shipping.tracking_number}`.trim()]);
  }
  if (order.tracking?.state) {
    const signedBy = order.tracking.signed_by ? `（${order.tracking.signed_by}）` : '';
    rows.push(['物流', `${trackingName(order.tracking.state)}${signedBy}`]);
  }
  if (order.delivered_at) rows.push(['签收', timeAgo(order.delivered_at, now)]);

  const list = el('dl', 'order-facts');
  for (const [term, value] of rows) {
    const row = el('div', 'fact');
    row.append(el('dt', '', term), el('dd', '', value));
    list.append(row);
  }
  container.append(list);
}

/**
 * One conversation's chat log, as the buyer sees it.
 */
export class ChatLog {
  /**
   * @param {SampleBuyer} buyer
   */
  constructor(buyer) {
    this.element = /** @type {HTMLOListElement} */ (el('ol', 'chat-log'));
    this.element.setAttribute('aria-label', `与${buyer.order.buyer?.name ?? '买家'}的聊天记录`);
    this.element.setAttribute('aria-live', 'polite');
    this.element.dataset.buyer = buyer.key;
    this.languageTag = buyer.languageTag;
    const intro = el('li', 'chat-note', `${buyer.label}`);
    this.element.append(intro);
  }

  /** @param {string} text */
  addBuyerMessage(text) {
    this.add('from-buyer', '买家', text);
  }

  /** @param {string} text */
  addShopReply(text) {
    this.add('from-shop', '客服', text);
  }

  /**
   * @private
   * @param {string} side
   * @param {string} who
   * @param {string} text
   */
  add(side, who, text) {
    const item = el('li', `bubble ${side}`);
    item.lang = this.languageTag;
    item.append(el('span', 'visually-hidden', `${who}：`), el('p', 'bubble-text', text),
      el('time', 'bubble-time', clockTime(new Date())));
    this.element.append(item);
    this.element.scrollTop = this.element.scrollHeight;
  }
}
