// @ts-check
/**
 * Sample buyers and their orders for the demo page, one per order state the
 * engine answers differently. Times are computed back from `now` (the
 * page's clock, which it also sends as the engine's `now`), so "overdue"
 * stays overdue and "delivered 3 days ago" stays 3 days ago whenever the
 * page is opened. Times are written in the shop's time zone (+08:00,
 * shop.yaml) as the shop's order system would.
 *
 * tests/web/ checks that every sample's first message gets the reply meant
 * for its state, at every hour of the day.
 */

/** @typedef {import('./replyd-client.js').Order} Order */

/**
 * @typedef {object} SampleBuyer
 * @property {string} key stable, used in element ids and tests
 * @property {string} label what the picker shows
 * @property {string} state the order's state in a few words (the agent's language: zh)
 * @property {'zh'|'vi'} locale the buyer's language, sent with every request
 * @property {string} languageTag BCP 47, for the chat's `lang` attribute
 * @property {string[]} messages ready-made buyer messages, the first one fits the state best
 * @property {Order} order
 */

const HOUR_MS = 3_600_000;
const SHOP_OFFSET_MINUTES = 8 * 60;

/**
 * RFC 3339 in the shop's time zone, e.g. 2026-11-23T10:00:00+08:00.
 * @param {Date} date
 * @returns {string}
 */
export function shopTime(date) {
  const local = new Date(date.getTime() + SHOP_OFFSET_MINUTES * 60_000);
  const sign = SHOP_OFFSET_MINUTES >= 0 ? '+' : '-';
  const offset = Math.abs(SHOP_OFFSET_MINUTES);
  const hh = String(Math.floor(offset / 60)).padStart(2, '0');
  const mm = String(offset % 60).padStart(2, '0');
  return `${local.toISOString().slice(0, 19)}${sign}${hh}:${mm}`;
}

/**
 * @param {Date} now
 * @returns {SampleBuyer[]}
 */
export function sampleBuyers(now) {
  /** @param {number} hours */
  const ago = (hours) => shopTime(new Date(now.getTime() - hours * HOUR_MS));
  const cardigan = [{ name: '羊毛开衫', sku: 'K-203', size: 'M', color: '米白', quantity: 1 }];
  const pillow = [{ name: '乳胶枕', sku: 'P-118', quantity: 2 }];

  return [
    {
      key: 'unpaid',
      label: '小林 · 未付款',
      state: '已下单，还没付款',
      locale: 'zh',
      languageTag: 'zh-Hans',
      messages: ['怎么还不发货', '在吗', '能便宜点吗'],
      order: {
        id: 'E20261001', status: 'unpaid', created_at: ago(0.7), amount: 129, items: cardigan,
        buyer: { name: '小林', returning: true },
      },
    },
    {
      key: 'paid_within_promise',
      label: '王先生 · 已付款，承诺时间内',
      state: '30 小时前付款，48 小时内发货',
      locale: 'zh',
      languageTag: 'zh-Hans',
      messages: ['怎么还不发货', '能帮我改一下地址吗', '可以开发票吗'],
      order: {
        id: 'E20261002', status: 'paid', created_at: ago(30.1), paid_at: ago(30), amount: 89,
        items: pillow, stock: 'in_stock', shipping: { region: '浙江' },
        buyer: { name: '王先生' },
      },
    },
    {
      key: 'overdue',
      label: '赵女士 · 超时未发货',
      state: '75 小时前付款，已超过发货承诺',
      locale: 'zh',
      languageTag: 'zh-Hans',
      messages: ['怎么还不发货', '再不发货就给差评', '我要退款'],
      order: {
        id: 'E20261003', status: 'paid', created_at: ago(75.2), paid_at: ago(75), amount: 129,
        items: cardigan, stock: 'in_stock', shipping: { region: '江苏' },
        buyer: { name: '赵女士' },
      },
    },
    {
      key: 'out_of_stock',
      label: '刘先生 · 缺货',
      state: '已付款，缺货，3 天后到货',
      locale: 'zh',
      languageTag: 'zh-Hans',
      messages: ['什么时候有货', '怎么还不发货'],
      order: {
        id: 'E20261004', status: 'paid', created_at: ago(10.1), paid_at: ago(10), amount: 259,
        items: [{ name: '真丝睡衣', sku: 'S-551', size: 'L', color: '藏青', quantity: 1 }],
        stock: 'out_of_stock', restock_days: 3, shipping: { region: '上海' },
        buyer: { name: '刘先生' },
      },
    },
    {
      key: 'shipped_no_tracking',
      label: '孙女士 · 已发货，无物流',
      state: '2 天前发出，一直没有揽收记录',
      locale: 'zh',
      languageTag: 'zh-Hans',
      messages: ['怎么没有物流信息', '快递到哪了'],
      order: {
        id: 'E20261005', status: 'shipped', created_at: ago(72.2), paid_at: ago(72),
        shipped_at: ago(48), amount: 129, items: cardigan,
        shipping: { carrier: '中通', tracking_number: 'ZT7312004455', region: '广东' },
        tracking: { state: 'none' },
        buyer: { name: '孙女士' },
      },
    },
    {
      key: 'signed',
      label: '周先生 · 已签收（门卫）',
      state: '6 小时前由门卫签收',
      locale: 'zh',
      languageTag: 'zh-Hans',
      messages: ['显示签收了但我没收到', '谢谢'],
      order: {
        id: 'E20261006', status: 'delivered', created_at: ago(96.2), paid_at: ago(96),
        shipped_at: ago(80), delivered_at: ago(6), amount: 89, items: pillow,
        shipping: { carrier: '韵达', tracking_number: 'YD4410023376', region: '北京' },
        tracking: { state: 'signed', last_event_at: ago(6), last_event: '已签收，签收人：门卫',
          signed_by: '门卫' },
        buyer: { name: '周先生' },
      },
    },
    {
      key: 'delivered_3_days',
      label: '吴女士 · 3 天前收货',
      state: '3 天前收货，在 7 天退换期内',
      locale: 'zh',
      languageTag: 'zh-Hans',
      messages: ['衣服尺码小了能换吗', '收到的颜色不对'],
      order: {
        id: 'E20261007', status: 'delivered', created_at: ago(150.2), paid_at: ago(150),
        shipped_at: ago(130), delivered_at: ago(72), amount: 129, items: cardigan,
        shipping: { carrier: '中通', tracking_number: 'ZT7312009981', region: '湖北' },
        tracking: { state: 'signed', last_event_at: ago(72), signed_by: '本人' },
        buyer: { name: '吴女士' },
      },
    },
    {
      key: 'delivered_20_days',
      label: '郑先生 · 20 天前收货',
      state: '20 天前收货，已过 7 天退换期',
      locale: 'zh',
      languageTag: 'zh-Hans',
      messages: ['衣服尺码小了能换吗', '我要退款'],
      order: {
        id: 'E20261008', status: 'delivered', created_at: ago(560.2), paid_at: ago(560),
        shipped_at: ago(540), delivered_at: ago(480), amount: 129, items: cardigan,
        shipping: { carrier: '邮政', tracking_number: 'YZ9800112233', region: '四川' },
        tracking: { state: 'signed', last_event_at: ago(480), signed_by: '本人' },
        buyer: { name: '郑先生' },
      },
    },
    {
      key: 'traditional',
      label: '陳小姐 · 繁體 · 已發貨，無物流',
      state: '繁体买家：2 天前发出，没有揽收记录',
      locale: 'zh',
      languageTag: 'zh-Hant',
      messages: ['怎麼沒有物流信息', '請問什麼時候到'],
      order: {
        id: 'E20261009', status: 'shipped', created_at: ago(72.2), paid_at: ago(72),
        shipped_at: ago(48), amount: 199,
        items: [{ name: '香薰蜡烛', sku: 'C-020', quantity: 3 }],
        shipping: { carrier: '中通', tracking_number: 'ZT7312007788', region: '广东' },
        tracking: { state: 'none' },
        buyer: { name: '陳小姐' },
      },
    },
    {
      key: 'vietnamese',
      label: 'Chị Lan · Tiếng Việt · quá hạn giao',
      state: '越南语买家：75 小时前付款，超时未发货',
      locale: 'vi',
      languageTag: 'vi',
      messages: ['sao chưa giao hàng', 'cho mình gặp quản lý'],
      order: {
        id: 'E20261010', status: 'paid', created_at: ago(75.2), paid_at: ago(75), amount: 129,
        items: [{ name: 'Áo len cardigan', sku: 'K-203', size: 'M', quantity: 1 }],
        stock: 'in_stock',
        buyer: { name: 'Lan' },
      },
    },
  ];
}
