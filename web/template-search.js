// @ts-check
/**
 * Template search for the agent console: when no suggestion fits, the agent
 * finds a reply among all of the pack's templates (GET /templates) by words
 * of its text, its label, its intent (id or label) or its template id, and puts
 * it into the reply box to edit and send. Keyboard first: `/` focuses the
 * box (the page binds it), ↑/↓ move, Enter takes, Esc leaves.
 *
 * A template's text is as the pack writes it, with `{{…}}` placeholders
 * unfilled; when the same template is a suggestion showing for the current
 * message, its filled text is taken instead.
 */
import { el } from './buyer-chat.js';

/** @typedef {import('./pack-labels.js').PackTemplate} PackTemplate */

/** Results shown at most: enough to choose from, few enough to scan. */
const MAX_RESULTS = 8;

export class TemplateSearch {
  /**
   * @param {object} init
   * @param {HTMLInputElement} init.input
   * @param {HTMLElement} init.results a list element for the results
   * @param {import('./pack-labels.js').PackLabels} init.labels the packs' templates and labels
   * @param {() => string} init.locale the visible buyer's locale
   * @param {(template: string) => string|undefined} init.rendered a showing suggestion's text
   * @param {(text: string, template: PackTemplate) => void} init.choose
   */
  constructor({ input, results, labels, locale, rendered, choose }) {
    this.input = input;
    this.results = results;
    this.labels = labels;
    this.locale = locale;
    this.rendered = rendered;
    this.choose = choose;
    /** @type {PackTemplate[]} */
    this.shown = [];
    this.active = 0;
    input.addEventListener('focus', () => { this.ensureLoaded(); });
    input.addEventListener('input', () => { this.update(); });
    input.addEventListener('keydown', (event) => this.onKeydown(event));
  }

  /** @private */
  ensureLoaded() {
    const loading = this.labels.ensure();
    // A failed load is tried again on the next focus or key.
    loading.catch((/** @type {Error} */ error) => {
      this.results.replaceChildren(el('li', 'search-empty', `模板加载失败：${error.message}`));
    });
    return loading;
  }

  /** @private */
  async update() {
    const query = this.input.value.trim().toLowerCase();
    if (query === '') {
      this.shown = [];
      this.render();
      return;
    }
    await this.ensureLoaded();
    const locale = this.locale();
    const all = this.labels.templates(locale);
    if (this.input.value.trim().toLowerCase() !== query) return;  // typed on meanwhile
    const terms = query.split(/\s+/);
    this.shown = all.filter((t) => {
      const haystack = `${t.template} ${this.labels.intent(t.intent, locale)} ${t.label ?? ''} ${t.text}`
        .toLowerCase();
      return terms.every((term) => haystack.includes(term));
    }).sort((a, b) => this.rank(b, query, locale) - this.rank(a, query, locale))
      .slice(0, MAX_RESULTS);
    this.active = 0;
    this.render();
  }

  /** @private */
  render() {
    this.input.setAttribute('aria-expanded', String(this.shown.length > 0));
    if (this.input.value.trim() !== '' && this.shown.length === 0) {
      this.results.replaceChildren(el('li', 'search-empty', '没有找到匹配的模板'));
      return;
    }
    this.results.replaceChildren(...this.shown.map((t, index) => {
      const item = el('li', 'search-result');
      item.id = `template-result-${index}`;
      item.setAttribute('role', 'option');
      item.setAttribute('aria-selected', String(index === this.active));
      item.dataset.template = t.template;
      const head = el('div', 'search-result-head');
      const locale = this.locale();
      const label = el('span', 'card-label', this.labels.template(t.template, locale) ?? t.template);
      label.title = `模板 ${t.template}`;
      head.append(el('span', 'card-intent', this.labels.intent(t.intent, locale)), label);
      item.append(head, el('p', 'search-result-text', this.rendered(t.template) ?? t.text));
      item.addEventListener('mousedown', (event) => {
        event.preventDefault();  // keep focus in the box until chosen
        this.take(index);
      });
      return item;
    }));
    if (this.shown.length > 0) {
      this.input.setAttribute('aria-activedescendant', `template-result-${this.active}`);
    } else {
      this.input.removeAttribute('aria-activedescendant');
    }
  }

  /**
   * @private
   * @param {KeyboardEvent} event
   */
  onKeydown(event) {
    if (event.isComposing) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (this.shown.length === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.active = (this.active + step + this.shown.length) % this.shown.length;
      this.render();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (this.shown.length > 0) this.take(this.active);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      this.clear();
      this.input.blur();
    }
  }

  /**
   * @private
   * @param {number} index
   */
  take(index) {
    const t = this.shown[index];
    if (!t) return;
    this.clear();
    this.choose(this.rendered(t.template) ?? t.text, t);
  }

  clear() {
    this.input.value = '';
    this.shown = [];
    this.render();
  }

  /**
   * Better matches first: the template id, then the intent, then the text.
   * @private
   * @param {PackTemplate} t
   * @param {string} query
   * @param {string} locale
   * @returns {number}
   */
  rank(t, query, locale) {
    if (t.template.toLowerCase().includes(query)) return 3;
    if (t.intent.toLowerCase().includes(query) || this.labels.intent(t.intent, locale).includes(query)
      || (t.label ?? '').includes(query)) return 2;
    return 1;
  }
}
