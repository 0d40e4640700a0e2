#include "engine/render/reply_template.h"

#include <algorithm>
#include <array>
#include <optional>

namespace reply {
namespace {

std::string_view TrimBlanks(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t");
  const size_t e = s.find_last_not_of(" \t");
  return b == std::string_view::npos ? std::string_view()
                                     : s.substr(b, e - b + 1);
}

// Bytes of a line break at text[pos], or 0: "\r\n", "\n" and "\r" each end a
// line, as in kainjow's Mustache.
size_t LineBreakAt(std::string_view text, size_t pos) {
  if (text[pos] == '\n') return 1;
  if (text[pos] != '\r') return 0;
  return pos + 1 < text.size() && text[pos + 1] == '\n' ? 2 : 1;
}

}  // namespace

// One request's rendering: the values of the template's placeholders, each
// resolved at most once, and the items of the {{#order.items}} sections being
// shown.
class ReplyTemplate::Filler {
 public:
  Filler(const ReplyTemplate& t, const RenderInputs& in, std::string* out)
      : t_(t), in_(in), out_(out) {
    if (t.refs_.size() > inline_values_.size()) {
      more_values_.resize(t.refs_.size());
    }
  }

  void Run() {
    Fill(0, t_.pieces_.size());
    EndLine(std::string_view());
  }

  const std::vector<std::string>& missing() const { return missing_; }

 private:
  enum class Kind : uint8_t { kNone, kText, kFlag, kList };
  struct Value {
    bool resolved = false;
    Kind kind = Kind::kNone;
    bool flag = false;
    std::string text;
  };

  void Fill(size_t from, size_t to) {
    for (size_t i = from; i < to;) {
      const Piece& p = t_.pieces_[i];
      switch (p.kind) {
        case Piece::Kind::kText:
          out_->append(t_.source_, p.begin, p.size);
          ++i;
          break;
        case Piece::Kind::kNewline:
          EndLine(std::string_view(t_.source_).substr(p.begin, p.size));
          ++i;
          break;
        case Piece::Kind::kValue: {
          const Value& v = Get(p.ref);
          if (v.kind == Kind::kText) out_->append(v.text);
          ++i;
          break;
        }
        case Piece::Kind::kSection: {
          const Value& v = Get(p.ref);
          if (v.kind == Kind::kList) {
            for (const OrderItem& item : in_.order->items) {
              items_[depth_++] = &item;
              Section(i + 1, p.end);
              --depth_;
            }
          } else if (v.kind == Kind::kText ||
                     (v.kind == Kind::kFlag && v.flag)) {
            Section(i + 1, p.end);
          }
          i = p.end;
          break;
        }
        case Piece::Kind::kInverted: {
          const Value& v = Get(p.ref);
          if (v.kind == Kind::kNone || (v.kind == Kind::kFlag && !v.flag)) {
            Section(i + 1, p.end);
          }
          i = p.end;
          break;
        }
      }
    }
  }

  // A section shown marks the lines it begins and ends on: either is
  // dropped if nothing but blanks is left on it.
  void Section(size_t from, size_t to) {
    section_on_line_ = true;
    Fill(from, to);
    section_on_line_ = true;
  }

  // Ends the current line with `line_break` (empty at the end of the text).
  void EndLine(std::string_view line_break) {
    if (section_on_line_ &&
        out_->find_first_not_of(" \t", line_start_) == std::string::npos) {
      out_->resize(line_start_);
    } else {
      out_->append(line_break);
    }
    line_start_ = out_->size();
    section_on_line_ = false;
  }

  // The value of refs_[r] here: an item field from the innermost item shown
  // that has it, otherwise the request's value. A quoted name without a
  // value is recorded as missing.
  const Value& Get(size_t r) {
    const Ref& ref = t_.refs_[r];
    if (ref.item_field) {
      for (size_t d = depth_; d-- > 0;) {
        if (std::optional<std::string> text =
                ItemFieldText(ref.name, *items_[d])) {
          item_value_.kind = Kind::kText;
          item_value_.text = std::move(*text);
          return item_value_;
        }
      }
    }
    Value& v = r < inline_values_.size() ? inline_values_[r] : more_values_[r];
    if (!v.resolved) {
      v.resolved = true;
      Resolve(ref, &v);
      if (v.kind == Kind::kNone && ref.quoted) missing_.push_back(ref.name);
    }
    return v;
  }

  // The one place a placeholder's name becomes the request's value.
  void Resolve(const Ref& ref, Value* v) const {
    if (ref.def == nullptr) return;  // an item field outside its items
    switch (ref.def->kind) {
      case PlaceholderKind::kText:
        if (std::optional<std::string> text = PlaceholderText(ref.name, in_);
            text && !text->empty()) {
          v->kind = Kind::kText;
          v->text = std::move(*text);
        }
        return;
      case PlaceholderKind::kFlag:
        if (std::optional<bool> flag = PlaceholderFlag(ref.name, in_)) {
          v->kind = Kind::kFlag;
          v->flag = *flag;
        }
        return;
      case PlaceholderKind::kList:
        if (in_.order != nullptr && !in_.order->items.empty()) {
          v->kind = Kind::kList;
        }
        return;
    }
  }

  const ReplyTemplate& t_;
  const RenderInputs& in_;
  std::string* out_;
  size_t line_start_ = 0;
  bool section_on_line_ = false;
  // The items of the {{#order.items}} sections being shown, outermost first.
  std::array<const OrderItem*, kMaxSectionDepth> items_{};
  size_t depth_ = 0;
  // Values by refs_ index: templates quote a few names, kept on the stack.
  std::array<Value, 8> inline_values_;
  std::vector<Value> more_values_;
  Value item_value_;
  std::vector<std::string> missing_;
};

Result<ReplyTemplate> ReplyTemplate::Parse(std::string_view text) {
  ReplyTemplate t;
  t.source_ = std::string(text);
  struct Open {
    std::string name;
    size_t piece;
    int line;
  };
  std::vector<Open> open;  // sections not yet closed, outermost first
  // The first unbalanced section, reported after the placeholders' errors.
  std::optional<Status> unbalanced;
  int line = 1;
  size_t text_begin = 0;  // of the literal text not yet a piece
  const auto add_text = [&](size_t end) {
    if (end > text_begin) {
      t.pieces_.push_back(
          {Piece::Kind::kText, 0, text_begin, end - text_begin, 0});
    }
  };
  const auto ref_of = [&](std::string_view name) {
    for (size_t r = 0; r < t.refs_.size(); ++r) {
      if (t.refs_[r].name == name) return r;
    }
    t.refs_.push_back(
        {std::string(name), FindPlaceholder(name), IsItemField(name), false});
    return t.refs_.size() - 1;
  };
  size_t pos = 0;
  while (pos < text.size()) {
    if (const size_t n = LineBreakAt(text, pos); n > 0) {
      add_text(pos);
      t.pieces_.push_back({Piece::Kind::kNewline, 0, pos, n, 0});
      line += text[pos + n - 1] == '\n';
      pos += n;
      text_begin = pos;
      continue;
    }
    if (text.compare(pos, 2, "{{") != 0) {
      ++pos;
      continue;
    }
    add_text(pos);
    const auto at = [&](const std::string& why) {
      return Status::PackError("line " + std::to_string(line) + ": " + why);
    };
    const bool triple = text.compare(pos, 3, "{{{") == 0;
    const size_t body_begin = pos + (triple ? 3 : 2);
    const size_t close = text.find(triple ? "}}}" : "}}", body_begin);
    if (close == std::string_view::npos) return at("unclosed tag");
    const int tag_line = line;
    line += static_cast<int>(
        std::count(text.begin() + pos, text.begin() + close, '\n'));
    std::string_view body =
        TrimBlanks(text.substr(body_begin, close - body_begin));
    pos = text_begin = close + (triple ? 3 : 2);
    const auto at_tag = [&](const std::string& why) {
      return Status::PackError("line " + std::to_string(tag_line) + ": " + why);
    };
    if (body.empty()) return at_tag("empty tag");
    Piece::Kind kind = Piece::Kind::kValue;
    if (!triple) {
      switch (body[0]) {
        case '!':
          continue;  // a comment
        case '>':
          return at_tag("partials ({{>name}}) are not supported");
        case '=':
          return at_tag("changing delimiters is not supported");
        case '/': {
          const std::string_view name = TrimBlanks(body.substr(1));
          if (!open.empty() && open.back().name == name) {
            t.pieces_[open.back().piece].end = t.pieces_.size();
            open.pop_back();
          } else if (!unbalanced) {
            unbalanced = at_tag(
                open.empty()
                    ? "{{" + std::string(body) + "}} closes no open section"
                    : "{{" + std::string(body) + "}} does not close '" +
                          open.back().name + "' (line " +
                          std::to_string(open.back().line) +
                          "): close it first with {{/" + open.back().name +
                          "}}");
          }
          continue;
        }
        case '#':
        case '^':
          kind =
              body[0] == '^' ? Piece::Kind::kInverted : Piece::Kind::kSection;
          body = TrimBlanks(body.substr(1));
          break;
        case '&':
          body = TrimBlanks(body.substr(1));
          break;
        default:
          break;
      }
    }
    const bool section = kind != Piece::Kind::kValue;
    const bool in_items =
        std::any_of(open.begin(), open.end(),
                    [](const Open& o) { return o.name == "order.items"; });
    const bool guarded =
        std::any_of(open.begin(), open.end(),
                    [&](const Open& o) { return o.name == body; });
    t.tags_.push_back({std::string(body), section,
                       kind == Piece::Kind::kInverted, in_items, guarded,
                       tag_line});
    t.pieces_.push_back({kind, ref_of(body), 0, 0, 0});
    if (section) {
      if (open.size() == kMaxSectionDepth) {
        return at_tag("sections nested more than " +
                      std::to_string(kMaxSectionDepth) +
                      " deep: close some with {{/name}}");
      }
      open.push_back({std::string(body), t.pieces_.size() - 1, tag_line});
    }
  }
  add_text(text.size());
  if (!open.empty() && !unbalanced) {
    unbalanced = Status::PackError("line " + std::to_string(open.back().line) +
                                   ": section '" + open.back().name +
                                   "' is not closed: end it with {{/" +
                                   open.back().name + "}}");
  }

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
  if (unbalanced) return *unbalanced;
  for (const Tag& tag : t.tags_) {
    if (!tag.section && !tag.guarded) t.refs_[ref_of(tag.name)].quoted = true;
  }
  return t;
}

bool ReplyTemplate::Render(const RenderInputs& in, std::string* out,
                           std::vector<std::string>* missing) const {
  out->clear();
  // Room for the text and typical values up front: the reply is appended
  // piece by piece.
  out->reserve(source_.size() + 128);
  Filler filler(*this, in, out);
  filler.Run();
  if (!filler.missing().empty()) {
    if (missing != nullptr) *missing = filler.missing();
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
