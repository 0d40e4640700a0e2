// ReplyTemplate: one reply variant's text, a Mustache template (kainjow)
// checked when the pack loads and filled for each request.
//
//   Result<ReplyTemplate> t = ReplyTemplate::Parse(
//       "亲，您的包裹由{{order.carrier}}承运，单号{{order.tracking_number}}。");
//   std::string text;
//   std::vector<std::string> missing;
//   if (t->Render(inputs, &text, &missing)) Send(text);
//   else ...  // missing == {"order.tracking_number"}: not offered
//
// Parse rejects a placeholder that names no field (PlaceholderDefs), a
// partial ({{>x}}), a delimiter change, and an inverted section on a
// true/false value ({{^facts.overdue}} would show when overdue is unknown).
// Render fills in the values as they are, without HTML escaping (this is chat
// text), and fails when any quoted placeholder has no value, so a reply never
// carries a blank hole or a raw {{...}}; a placeholder inside a section that is
// not rendered is not needed
// ({{#order.signed_by}}由{{order.signed_by}}签收{{/order.signed_by}}).
//
// Limits: sections nest at most kMaxSectionDepth deep.
//
// Thread safety: immutable after Parse; Render is safe from any number of
// threads (kainjow's render writes to the template only when a lambda or a
// partial fails, and templates have neither).
#ifndef REPLY_ENGINE_RENDER_REPLY_TEMPLATE_H_
#define REPLY_ENGINE_RENDER_REPLY_TEMPLATE_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/status.h"
#include "engine/render/placeholders.h"

namespace kainjow::mustache {
template <typename StringType>
class basic_mustache;
}  // namespace kainjow::mustache

namespace reply {

class ReplyTemplate {
 public:
  // kainjow parses, checks, renders and destroys a template by recursion,
  // one level per nested section: 50,000 nested {{#x}} overflow the stack.
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

  ReplyTemplate(ReplyTemplate&&) noexcept;
  ReplyTemplate& operator=(ReplyTemplate&&) noexcept;
  ~ReplyTemplate();

  // Renders into *out (trimmed). Returns false, with the placeholders that
  // had no value in *missing, when the reply cannot be filled completely.
  bool Render(const RenderInputs& in, std::string* out,
              std::vector<std::string>* missing) const;

  const std::string& source() const { return source_; }
  const std::vector<Tag>& tags() const { return tags_; }

 private:
  ReplyTemplate() = default;

  std::string source_;
  std::vector<Tag> tags_;
  // Names quoted as {{x}} outside a section of their own: must have values.
  std::vector<std::string> quoted_;
  std::unique_ptr<kainjow::mustache::basic_mustache<std::string>> mustache_;
};

}  // namespace reply

#endif  // REPLY_ENGINE_RENDER_REPLY_TEMPLATE_H_
