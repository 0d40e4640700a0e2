// ReplyTemplate: one reply variant's text, a Mustache template checked and
// compiled when the pack loads and filled for each request.
//
//   Result<ReplyTemplate> t = ReplyTemplate::Parse(
//       "亲，您的包裹由{{order.carrier}}承运，单号{{order.tracking_number}}。");
//   std::string text;
//   std::vector<std::string> missing;
//   if (t->Render(inputs, &text, &missing)) Send(text);
//   else ...  // missing == {"order.tracking_number"}: not offered
//
// Parse rejects a placeholder that names no field (PlaceholderDefs), a
// partial ({{>x}}), a delimiter change, an unbalanced section, and an inverted
// section on a true/false value ({{^facts.overdue}} would show when overdue is
// unknown). Render fills in the values as they are, without HTML escaping
// (this is chat text), and fails when any quoted placeholder has no value, so
// a reply never carries a blank hole or a raw {{...}}; a placeholder inside a
// section that is not rendered is not needed
// ({{#order.signed_by}}由{{order.signed_by}}签收{{/order.signed_by}}).
//
// The supported Mustache subset: variables ({{x}}, {{{x}}}, {{&x}}, all
// unescaped), sections and inverted sections (a section over order.items
// repeats per item, over a text or a true flag shows once), comments. Lines
// follow kainjow's Mustache, which packs were written against: a line left
// holding only spaces and tabs by a section that rendered is dropped with its
// line break.
//
// Parse compiles the text into literal pieces and placeholder references, each
// name looked up once per template; Render appends, resolving each placeholder
// at most once per request.
//
// Limits: sections nest at most kMaxSectionDepth deep.
//
// Thread safety: immutable after Parse; Render is safe from any number of
// threads.
#ifndef REPLY_ENGINE_RENDER_REPLY_TEMPLATE_H_
#define REPLY_ENGINE_RENDER_REPLY_TEMPLATE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/status.h"
#include "engine/render/placeholders.h"

namespace reply {

class ReplyTemplate {
 public:
  // Rendering walks sections by recursion, one level per nested section.
  // Replies nest one or two sections (a guard inside order.items); 16 keeps
  // every walk shallow.
  static constexpr size_t kMaxSectionDepth = 16;

  // A tag of the template, for validation and explain.
  struct Tag {
    std::string name;
    bool section;   // {{#x}} / {{^x}} rather than {{x}}
    bool inverted;  // {{^x}}
    bool in_items;  // inside {{#order.items}}: item fields are allowed
    bool guarded;   // inside a section of its own name: present when shown
    int line;       // 1-based, within the template text
  };

  // Errors read "line 2: unknown placeholder 'order.trackingnumber'".
  static Result<ReplyTemplate> Parse(std::string_view text);

  // Renders into *out (trimmed). Returns false, with the placeholders that
  // had no value in *missing, when the reply cannot be filled completely.
  bool Render(const RenderInputs& in, std::string* out,
              std::vector<std::string>* missing) const;

  const std::string& source() const { return source_; }
  const std::vector<Tag>& tags() const { return tags_; }

 private:
  class Filler;

  // One piece of the compiled template.
  struct Piece {
    enum class Kind : uint8_t {
      kText,      // source_[begin, begin + size)
      kNewline,   // "\n", "\r\n" or "\r" at source_[begin]: ends a line
      kValue,     // refs_[ref]'s text
      kSection,   // pieces up to `end` shown when refs_[ref] has a value
      kInverted,  // pieces up to `end` shown when it has none
    };
    Kind kind;
    size_t ref = 0;
    size_t begin = 0;
    size_t size = 0;
    size_t end = 0;  // sections: the index of the piece after the section
  };

  // A name the template quotes, looked up once at Parse.
  struct Ref {
    std::string name;
    const PlaceholderDef* def;  // null for an item field
    bool item_field;            // IsItemField: looked up in the items first
    bool quoted;  // quoted outside a section of its own: must have a value
  };

  ReplyTemplate() = default;

  std::string source_;
  std::vector<Tag> tags_;
  std::vector<Piece> pieces_;
  std::vector<Ref> refs_;
};

}  // namespace reply

#endif  // REPLY_ENGINE_RENDER_REPLY_TEMPLATE_H_
