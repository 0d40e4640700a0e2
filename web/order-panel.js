// @ts-check
/**
 * The order panel of the agent console: the order as the buyer placed it
 * (status, items, times, parcel) and, under it, the facts the engine
 * derives from it (deadline, hours overdue, tracking age, return window
 * left, the compensation and how it was computed). The derived facts come
 * from replyd's `explain` of the order alone (no message), so the panel
 * shows exactly what the engine's rules see, not a second computation.
 */
import { el } from './buyer-chat.js';

/** @typedef {import('./sample-orders.js').SampleBuyer} SampleBuyer */

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

/** @param {string|undefined} status */
const statusName = (status) => (status ? STATUS_NAMES[status] ?? status : '未知');
/** @param {string|undefined} state */
const trackingName = (state) => (state ? TRACKING_NAMES[state] ?? state : '');

/**
 * "3 小时前", "2 天前": how long ago an RFC 3339 time was.
 * @param {string|undefined} time
 * @param {Date} now
 * @returns {string}
 */
function timeAgo(time, now) {
  if (!time) return '';
  return `${duration((now.getTime() - Date.parse(time)) / 3_600_000)}前`;
}

/**
 * "40 分钟", "5 小时", "3 天": a span of hours, as an agent says it.
 * @param {number} hours
 */
function duration(hours) {
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} 分钟`;
  if (hours < 48) return `${Math.round(hours)} 小时`;
  return `${Math.round(hours / 24)} 天`;
}

/**
 * "11月22日 09:05": an RFC 3339 time as the engine wrote it (in the shop's
 * zone), without converting it to the viewer's.
 * @param {string} time
 */
function shopTime(time) {
  const m = /^\d{4}-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(time);
  return m ? `${Number(m[1])}月${Number(m[2])}日 ${m[3]}:${m[4]}` : time;
}

/** 6.45, 129: as the replies write amounts (no trailing zeros). @param {number} n */
const money = (n) => String(+n.toFixed(2));

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
  container.append(factList(rows.map(([term, value]) => ({ term, value }))));
  const derived = el('section', 'order-derived');
  derived.setAttribute('aria-label', '引擎算出的订单事实');
  derived.append(el('h3', 'order-derived-title', '引擎算出的事实'),
    el('p', 'order-derived-loading', '正在向引擎查询…'));
  container.append(derived);
}

/**
 * One derived fact: `value` states it; `how` (optional) shows the rule or
 * the arithmetic behind it; `fact` names the engine's fact (data-fact).
 * @typedef {{term: string, value: string, how?: string, fact?: string, alert?: boolean}} Row
 */

/**
 * The facts the engine derived from the order (an `explain` answer of the
 * order alone), under the summary renderOrderSummary left in `container`.
 * @param {HTMLElement} container
 * @param {any} explanation
 */
export function renderDerivedFacts(container, explanation) {
  const derived = container.querySelector('.order-derived');
  if (!derived) return;
  const f = explanation.facts ?? {};
  const policy = explanation.policy ?? {};
  /** @type {Row[]} */
  const rows = [];
  if (typeof f.ship_deadline === 'string') {
    rows.push({ term: '最晚发货', fact: 'ship_deadline', value: shopTime(f.ship_deadline),
      how: `付款后 ${money(f.promise_hours)} 小时内` });
  }
  if (f.overdue === true) {
    rows.push({ term: '超时', fact: 'hours_overdue', alert: true,
      value: `已超过发货承诺 ${money(Math.ceil(f.hours_overdue))} 小时`,
      how: f.status === 'paid' ? '至今未发货' : '发货时已晚' });
  } else if (f.overdue === false && typeof f.hours_to_deadline === 'number' && f.status === 'paid') {
    rows.push({ term: '剩余时间', fact: 'hours_to_deadline',
      value: `离最晚发货还有 ${duration(f.hours_to_deadline)}` });
  }
  if (f.out_of_stock === true) {
    rows.push({ term: '库存', fact: 'restock_days', alert: true,
      value: typeof f.restock_days === 'number' ? `缺货，${money(f.restock_days)} 天后到货` : '缺货，到货日期未定' });
  }
  // A delivered parcel's last event is its delivery: no age to watch.
  if (typeof f.hours_since_tracking_event === 'number' && f.status === 'shipped') {
    rows.push({ term: '物流更新', fact: 'hours_since_tracking_event', alert: f.tracking_stale === true,
      value: `最近一条 ${duration(f.hours_since_tracking_event)}前${f.tracking_stale ? '，已停滞' : ''}`,
      how: `超过 ${money(policy.stale_tracking_hours)} 小时没有更新算停滞` });
  } else if (typeof f.hours_since_shipped === 'number' && f.tracking_state === 'none') {
    rows.push({ term: '物流更新', fact: 'within_tracking_grace', alert: f.within_tracking_grace === false,
      value: `发货 ${duration(f.hours_since_shipped)}，还没有揽收记录`,
      how: `发货后 ${money(policy.tracking_appears_hours)} 小时内应有物流` });
  }
  if (f.remote_region === true) rows.push({ term: '地区', fact: 'remote_region', value: '偏远地区，路上更慢' });
  if (typeof f.days_since_delivered === 'number') {
    const left = policy.return_window_days - f.days_since_delivered;
    rows.push({ term: '退换期', fact: 'within_return_window', alert: f.within_return_window === false,
      value: f.within_return_window ? `还剩 ${left} 天` : '已过退换期',
      how: `签收后 ${policy.return_window_days} 天内可退换，已签收 ${f.days_since_delivered} 天` });
  }
  // Owed only once the shipping promise is broken.
  for (const a of f.overdue === true ? explanation.amounts ?? [] : []) {
    if (a.fact !== 'compensation') continue;
    const raw = a.amount * a.rate;
    const clamp = raw < a.min ? `，不足 ${money(a.min)} 元按 ${money(a.min)} 元`
      : raw > a.max ? `，超过 ${money(a.max)} 元按 ${money(a.max)} 元` : '';
    rows.push({ term: '违约补偿', fact: 'compensation', value: `${money(a.value)} 元`,
      how: `订单金额 ${money(a.amount)} 元 × ${+(a.rate * 100).toFixed(2)}%${clamp}`
        + `（至少 ${money(a.min)} 元，至多 ${money(a.max)} 元）` });
  }
  const title = el('h3', 'order-derived-title', '引擎算出的事实');
  derived.replaceChildren(title, rows.length > 0 ? factList(rows)
    : el('p', 'order-derived-none', '这笔订单还没有可以推算的时限。'));
}

/**
 * Shows why the derived facts could not be had.
 * @param {HTMLElement} container
 * @param {Error & {code?: string}} error
 */
export function showDerivedFactsError(container, error) {
  const derived = container.querySelector('.order-derived');
  derived?.replaceChildren(el('h3', 'order-derived-title', '引擎算出的事实'),
    el('p', 'order-derived-error', `没能取得（${error.code ?? 'error'}）：${error.message}`));
}

/** @param {Row[]} rows */
function factList(rows) {
  const list = el('dl', 'order-facts');
  for (const row of rows) {
    const item = el('div', 'fact');
    if (row.fact) item.dataset.fact = row.fact;
    if (row.alert) item.dataset.alert = 'true';
    const value = el('dd', '', row.value);
    if (row.how) value.append(el('span', 'fact-how', row.how));
    item.append(el('dt', '', row.term), value);
    list.append(item);
  }
  return list;
}
