// @ts-check
/**
 * The buyer's side of the demo: the chat log of one conversation. Plain
 * DOM; text always goes in through textContent (buyer messages and replies
 * are never parsed as HTML).
 */
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
