#include "engine/render/reply_template.h"

#include <algorithm>
#include <kainjow/mustache.hpp>
#include <memory>

namespace reply {
namespace {

using Data = kainjow::mustache::data;

// Finds the tags of a template in Mustache's default syntax, noting which
// are inside an {{#order.items}} section.
Status ScanTags(std::string_view text, std::vector<ReplyTemplate::Tag>* tags) {
  std::vector<std::string> sections;
  size_t pos = 0;
  int line = 1;        // of text[counted]
  size_t counted = 0;  // lines are counted up to here, once
  while ((pos = text.find("{{", pos)) != std::string_view::npos) {
    line += static_cast<int>(
        std::count(text.begin() + counted, text.begin() + pos, '\n'));
    counted = pos;
    const auto at = [&](const std::string& why) {
      return Status::PackError("line " + std::to_string(line) + ": " + why);
    };
    const bool triple = text.substr(pos, 3) == "{{{";
    const size_t open = pos + (triple ? 3 : 2);
    const size_t close = text.find(triple ? "}}}" : "}}", open);
    if (close == std::string_view::npos) return at("unclosed tag");
    std::string_view body = text.substr(open, close - open);
    pos = close + (triple ? 3 : 2);
    const auto trim = [](std::string_view s) {
      const size_t b = s.find_first_not_of(" \t");
      const size_t e = s.find_last_not_of(" \t");
      return b == std::string_view::npos ? std::string_view()
                                         : s.substr(b, e - b + 1);
    };
    body = trim(body);
    if (body.empty()) return at("empty tag");
    bool section = false;
    bool inverted = false;
    switch (body[0]) {
      case '!':
        continue;  // comment
      case '>':
        return at("partials ({{>name}}) are not supported");
      case '=':
        return at("changing delimiters is not supported");
      case '/':
        if (!sections.empty() && sections.back() == trim(body.substr(1))) {
          sections.pop_back();
        }
        continue;  // kainjow reports unbalanced sections
      case '#':
      case '^':
        section = true;
        inverted = body[0] == '^';
        body = trim(body.substr(1));
        break;
      case '&':
        body = trim(body.substr(1));
        break;
      default:
        break;
    }
    const bool in_items = std::find(sections.begin(), sections.end(),
                                    "order.items") != sections.end();
    const bool guarded =
        std::find(sections.begin(), sections.end(), body) != sections.end();
    tags->push_back(
        {std::string(body), section, inverted, in_items, guarded, line});
    if (section) {
      if (sections.size() == ReplyTemplate::kMaxSectionDepth) {
        return at("sections nested more than " +
                  std::to_string(ReplyTemplate::kMaxSectionDepth) +
                  " deep: close some with {{/name}}");
      }
      sections.emplace_back(body);
    }
  }
  return Status::Ok();
}

// kainjow's view of one request: placeholders resolve on demand from the
// order, facts and policy, and every quoted name that has no value is
// recorded, so the caller can refuse a reply with a hole in it.
class PlaceholderContext
    : public kainjow::mustache::basic_context<std::string> {
 public:
  PlaceholderContext(const RenderInputs& in,
                     const std::vector<std::string>& quoted)
      : in_(in), quoted_(quoted) {}

  void push(const Data* data) override { stack_.push_back(data); }
  void pop() override { stack_.pop_back(); }

  const Data* get(const std::string& name) const override {
    if (name == ".") return stack_.empty() ? nullptr : stack_.back();
    for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) {
      if (const Data* d = (*it)->get(name)) return d;
    }
    for (const auto& [cached_name, data] : cache_) {
      if (cached_name == name) return data;
    }
    const Data* data = Resolve(name);
    cache_.emplace_back(name, data);
    if (data == nullptr &&
        std::find(quoted_.begin(), quoted_.end(), name) != quoted_.end()) {
      missing_.push_back(name);
    }
    return data;
  }

  const Data* get_partial(const std::string&) const override { return nullptr; }

  const std::vector<std::string>& missing() const { return missing_; }

 private:
  const Data* Resolve(const std::string& name) const {
    const PlaceholderDef* def = FindPlaceholder(name);
    if (def == nullptr) return nullptr;
    switch (def->kind) {
      case PlaceholderKind::kText: {
        std::optional<std::string> text = PlaceholderText(name, in_);
        if (!text || text->empty()) return nullptr;
        return Keep(Data(std::move(*text)));
      }
      case PlaceholderKind::kFlag: {
        std::optional<bool> flag = PlaceholderFlag(name, in_);
        if (!flag) return nullptr;
        return Keep(Data(*flag));
      }
      case PlaceholderKind::kList:
        return Items();
    }
    return nullptr;
  }

  const Data* Items() const {
    if (in_.order == nullptr || in_.order->items.empty()) return nullptr;
    kainjow::mustache::list items;
    for (const OrderItem& item : in_.order->items) {
      Data object{Data::type::object};
      const auto set = [&](const char* key,
                           const std::optional<std::string>& v) {
        if (v && !v->empty()) object.set(key, *v);
      };
      set("name", item.name);
      set("sku", item.sku);
      set("size", item.size);
      set("color", item.color);
      if (item.quantity) object.set("quantity", std::to_string(*item.quantity));
      items.push_back(std::move(object));
    }
    return Keep(Data(items));
  }

  const RenderInputs& in_;
  const std::vector<std::string>& quoted_;
  std::vector<const Data*> stack_;
  const Data* Keep(Data data) const {
    arena_.push_back(std::make_unique<Data>(std::move(data)));
    return arena_.back().get();
  }

  // Values live as long as the render; kainjow holds pointers to them.
  mutable std::vector<std::unique_ptr<Data>> arena_;
  // Keyed by the tag's own name string, which kainjow keeps for the render.
  mutable std::vector<std::pair<std::string_view, const Data*>> cache_;
  mutable std::vector<std::string> missing_;
};

struct StringSink {
  std::string* out;
  StringSink& operator<<(const std::string& s) {
    out->append(s);
    return *this;
  }
};

}  // namespace

ReplyTemplate::ReplyTemplate(ReplyTemplate&&) noexcept = default;
ReplyTemplate& ReplyTemplate::operator=(ReplyTemplate&&) noexcept = default;
ReplyTemplate::~ReplyTemplate() = default;

Result<ReplyTemplate> ReplyTemplate::Parse(std::string_view text) {
  ReplyTemplate t;
  t.source_ = std::string(text);
  Status s = ScanTags(text, &t.tags_);
  if (!s.ok()) return s;
  for (const Tag& tag : t.tags_) {
    const auto fail = [&](const std::string& why) {
      return Status::PackError("line " + std::to_string(tag.line) + ": " + why);
    };
    const PlaceholderDef* def = FindPlaceholder(tag.name);
    if (def == nullptr) {
      if (IsItemField(tag.name) && tag.in_items) continue;
      if (IsItemField(tag.name)) {
        return fail("'" + tag.name +
                    "' is an item field; use it inside "
                    "{{#order.items}}...{{/order.items}}");
      }
      return fail("unknown placeholder '" + tag.name +
                  "'; docs/authoring.md lists them");
    }
    if (def->kind == PlaceholderKind::kFlag && !tag.section) {
      return fail("'" + tag.name +
                  "' is true or false; use it as a section: {{#" + tag.name +
                  "}}...{{/" + tag.name + "}}");
    }
    if (def->kind == PlaceholderKind::kFlag && tag.inverted) {
      // An inverted section also shows when the value is unknown, which
      // would state a fact the engine does not have.
      return fail("{{^" + tag.name + "}} would also show when '" + tag.name +
                  "' is unknown; choose the variant with a `when` instead");
    }
    if (def->kind == PlaceholderKind::kList && !tag.section) {
      return fail("'" + tag.name + "' is a list; use {{#" + tag.name +
                  "}}{{name}}{{/" + tag.name + "}}");
    }
  }
  for (const Tag& tag : t.tags_) {
    if (!tag.section && !tag.guarded &&
        std::find(t.quoted_.begin(), t.quoted_.end(), tag.name) ==
            t.quoted_.end()) {
      t.quoted_.push_back(tag.name);
    }
  }
  t.mustache_ = std::make_unique<kainjow::mustache::mustache>(t.source_);
  if (!t.mustache_->is_valid()) {
    return Status::PackError(t.mustache_->error_message());
  }
  t.mustache_->set_custom_escape([](const std::string& s) { return s; });
  return t;
}

bool ReplyTemplate::Render(const RenderInputs& in, std::string* out,
                           std::vector<std::string>* missing) const {
  out->clear();
  // kainjow appends piece by piece; room for the text and typical values
  // up front saves the string growing about six times per request.
  out->reserve(source_.size() + 128);
  PlaceholderContext context(in, quoted_);
  StringSink sink{out};
  mustache_->render(context, sink);
  if (!context.missing().empty()) {
    if (missing != nullptr) *missing = context.missing();
    return false;
  }
  const size_t begin = out->find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) {
    out->clear();
    return false;
  }
  out->erase(0, begin);
  out->erase(out->find_last_not_of(" \t\r\n") + 1);
  // Belt and braces: a raw tag never reaches a buyer.
  return out->find("{{") == std::string::npos;
}

}  // namespace reply
