// @ts-check
/**
 * What the packs call their intents and reply templates (`label:` in the
 * YAML), for the console's cards and template search: GET /templates,
 * loaded once per pack version and again when an answer names another
 * (a reloaded pack may have renamed things).
 *
 * A card shows the label in the agent's language when the agent's pack has
 * the same id (a Vietnamese reply of urge_shipment.overdue_wait is labelled
 * from the zh pack), else the card's own pack's label, else the id.
 */

/**
 * @typedef {object} PackTemplate
 * @property {string} template
 * @property {string} intent
 * @property {string|null} label
 * @property {string} text
 * @property {boolean} handoff
 */

/**
 * @typedef {object} PackLocale
 * @property {Map<string, string>} intents intent id -> label
 * @property {PackTemplate[]} templates
 * @property {Map<string, string>} templateLabels template id -> label
 */

export class PackLabels {
  /**
   * @param {object} init
   * @param {() => Promise<any>} init.fetch the body of GET /templates
   * @param {string} init.agentLocale the agent's language ("zh")
   */
  constructor({ fetch, agentLocale }) {
    this.fetch = fetch;
    this.agentLocale = agentLocale;
    /** @type {string|undefined} the pack version loaded or being loaded */
    this.version = undefined;
    /** @type {Promise<void>|undefined} */
    this.loading = undefined;
    /** @type {Map<string, PackLocale>} */
    this.locales = new Map();
  }

  /**
   * Loads the labels unless those of `version` are loaded (any version
   * when undefined). A failed load is tried again on the next call.
   * @param {string} [version] an answer's pack_version
   * @returns {Promise<void>}
   */
  ensure(version) {
    if (this.loading && (version === undefined || version === this.version)) return this.loading;
    this.version = version;
    const loading = this.fetch().then((body) => {
      this.version = body.pack_version;
      this.locales = new Map();
      for (const locale of body.locales) {
        this.locales.set(locale.locale, {
          intents: new Map((locale.intents ?? [])
            .filter((/** @type {any} */ i) => i.label)
            .map((/** @type {any} */ i) => [i.intent, i.label])),
          templates: locale.templates,
          templateLabels: new Map(locale.templates
            .filter((/** @type {PackTemplate} */ t) => t.label)
            .map((/** @type {PackTemplate} */ t) => [t.template, t.label])),
        });
      }
    });
    this.loading = loading;
    loading.catch(() => { if (this.loading === loading) this.loading = undefined; });
    return loading;
  }

  /**
   * @param {string} locale
   * @returns {PackTemplate[]}
   */
  templates(locale) {
    return this.locales.get(locale)?.templates ?? [];
  }

  /**
   * The intent's label in the agent's language if the agent's pack has it,
   * else in `locale`'s, else the id.
   * @param {string} intent
   * @param {string} [locale] the pack the card came from
   * @returns {string}
   */
  intent(intent, locale) {
    return this.lookup((l) => l.intents.get(intent), locale) ?? intent;
  }

  /**
   * The template's label as intent() finds one; undefined without.
   * @param {string} template
   * @param {string} [locale]
   * @returns {string|undefined}
   */
  template(template, locale) {
    return this.lookup((l) => l.templateLabels.get(template), locale);
  }

  /**
   * @private
   * @param {(locale: PackLocale) => string|undefined} get
   * @param {string|undefined} locale
   */
  lookup(get, locale) {
    const agent = this.locales.get(this.agentLocale);
    const own = locale ? this.locales.get(locale) : undefined;
    return (agent && get(agent)) ?? (own && get(own)) ?? undefined;
  }
}
