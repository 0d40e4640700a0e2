// @ts-check
/**
 * Chinese names for what the engine returns as ids, for the agent console.
 * The ids stay on screen too (agents and pack authors talk about
 * `urge_shipment.overdue_wait`); a missing name falls back to the id.
 */

/** @type {Record<string, string>} */
const INTENT_NAMES = {
  urge_shipment: '催发货',
  missing_tracking: '没有物流信息',
  signed_not_received: '显示签收未收到',
  where_is_parcel: '查快递',
  logistics_slow: '物流太慢',
  delivery_eta: '什么时候到',
  delivery_contact: '联系派送',
  wrong_size: '尺码不合适',
  wrong_or_missing_item: '错发漏发',
  wrong_listing: '与描述不符',
  out_of_stock: '缺货',
  change_address: '改地址',
  cancel_order: '取消订单',
  refund_request: '退款',
  return_shipping_fee: '退货运费',
  damaged_item: '商品损坏',
  quality_complaint: '质量问题',
  price_bargain: '议价',
  invoice: '发票',
  courier_choice: '指定快递',
  gift_question: '赠品',
  greeting: '问候',
  thanks: '致谢',
  human_handoff: '转人工',
  notify_overdue: '主动：超时未发',
  notify_out_of_stock: '主动：缺货',
  notify_ship_delay: '主动：即将超时',
  notify_no_tracking: '主动：无物流',
  notify_tracking_stale: '主动：物流停滞',
  notify_remote_delay: '主动：偏远地区',
  notify_delivery_exception: '主动：派送异常',
};

/** @type {Record<string, string>} */
const STATUS_NAMES = {
  unpaid: '待付款',
  paid: '待发货',
  shipped: '已发货',
  delivered: '已收货',
  refunding: '退款中',
  refunded: '已退款',
  closed: '已关闭',
};

/** @type {Record<string, string>} */
const TRACKING_NAMES = {
  none: '暂无揽收',
  collected: '已揽收',
  in_transit: '运输中',
  out_for_delivery: '派送中',
  signed: '已签收',
  exception: '异常件',
};

/** @param {string} intent */
export const intentName = (intent) => INTENT_NAMES[intent] ?? intent;
/** @param {string|undefined} status */
export const statusName = (status) => (status ? STATUS_NAMES[status] ?? status : '未知');
/** @param {string|undefined} state */
export const trackingName = (state) => (state ? TRACKING_NAMES[state] ?? state : '');

/**
 * "3 小时前", "2 天前": how long ago an RFC 3339 time was.
 * @param {string|undefined} time
 * @param {Date} now
 * @returns {string}
 */
export function timeAgo(time, now) {
  if (!time) return '';
  const hours = (now.getTime() - Date.parse(time)) / 3_600_000;
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} 分钟前`;
  if (hours < 48) return `${Math.round(hours)} 小时前`;
  return `${Math.round(hours / 24)} 天前`;
}
