// What the bundled packs answer to each sample buyer of web/sample-orders.js:
// the buyer's first ready-made message and the best suggestion it must get.
// Shared by sample_orders.test.mjs (every hour of a day, through replyctl)
// and e2e.test.mjs (in the browser, through replyd).

/**
 * @typedef {object} Expectation
 * @property {string} buyer the sample's key
 * @property {string} message what the buyer types
 * @property {string} intent of the first suggestion
 * @property {string} template of the first suggestion
 * @property {'Hans'|'Hant'|'Latin'} script the engine's reading of the message
 * @property {'zh'|'vi'} locale the replies' language
 */

/** @type {Expectation[]} */
export const FIRST_MESSAGES = [
  { buyer: 'unpaid', message: '怎么还不发货', intent: 'urge_shipment',
    template: 'urge_shipment.unpaid', script: 'Hans', locale: 'zh' },
  { buyer: 'paid_within_promise', message: '怎么还不发货', intent: 'urge_shipment',
    template: 'urge_shipment.within_promise', script: 'Hans', locale: 'zh' },
  { buyer: 'overdue', message: '怎么还不发货', intent: 'urge_shipment',
    template: 'urge_shipment.overdue_wait', script: 'Hans', locale: 'zh' },
  { buyer: 'out_of_stock', message: '什么时候有货', intent: 'out_of_stock',
    template: 'out_of_stock.wait_restock', script: 'Hans', locale: 'zh' },
  { buyer: 'shipped_no_tracking', message: '怎么没有物流信息', intent: 'missing_tracking',
    template: 'missing_tracking.no_scan_after_grace', script: 'Hans', locale: 'zh' },
  { buyer: 'signed', message: '显示签收了但我没收到', intent: 'signed_not_received',
    template: 'signed_not_received.signed_by', script: 'Hans', locale: 'zh' },
  { buyer: 'delivered_3_days', message: '衣服尺码小了能换吗', intent: 'wrong_size',
    template: 'wrong_size.exchange_in_window', script: 'Hans', locale: 'zh' },
  { buyer: 'delivered_20_days', message: '衣服尺码小了能换吗', intent: 'wrong_size',
    template: 'wrong_size.outside_window', script: 'Hans', locale: 'zh' },
  { buyer: 'traditional', message: '怎麼沒有物流信息', intent: 'missing_tracking',
    template: 'missing_tracking.no_scan_after_grace', script: 'Hant', locale: 'zh' },
  { buyer: 'vietnamese', message: 'sao chưa giao hàng', intent: 'urge_shipment',
    template: 'urge_shipment.overdue_wait', script: 'Latin', locale: 'vi' },
];

/** A buyer who threatens a bad review: every suggestion hands the chat to a person. */
export const HANDOFF = {
  buyer: 'overdue', message: '再不发货就给差评', intent: 'human_handoff',
  template: 'human_handoff.overdue',
};

/** Proactive: what the shop should say first, per sample; absent: nothing to say. */
export const TRIGGERS = {
  overdue: 'notify_overdue.compensation',
  out_of_stock: 'notify_out_of_stock.restock',
  shipped_no_tracking: 'notify_no_tracking.checking',
  traditional: 'notify_no_tracking.checking',
  vietnamese: 'notify_overdue.compensation',
};

/**
 * One conversation with the overdue buyer: the zh pack's urge_shipment
 * replies go by `times_asked` (docs/api.md, History): the first ask
 * apologizes and compensates, the second flags the order urgent, the third
 * offers the options; then a bad-review threat goes to a person. `ask`: the
 * count the console shows on a card answering a repeated ask.
 */
export const ESCALATION = {
  buyer: 'overdue',
  steps: [
    { message: '怎么还不发货', template: 'urge_shipment.overdue_wait', ask: null },
    { message: '还没发货吗', template: 'urge_shipment.second_ask_overdue', ask: '2' },
    { message: '到底什么时候发货', template: 'urge_shipment.third_ask_options', ask: '3' },
    { message: '再不发货就给差评', template: 'human_handoff.overdue', ask: null, handoff: true },
  ],
};
