// The authoring guide lists every fact and placeholder the engine knows, so
// template authors never have to read C++ to find one.
#include <gtest/gtest.h>

#include "engine/order/facts.h"
#include "engine/render/placeholders.h"
#include "tests/test_util.h"

namespace reply {
namespace {

TEST(DocsTest, AuthoringGuideListsEveryFactAndPlaceholder) {
  const std::string guide =
      testing::ReadFile(testing::SourceDir() / "docs/authoring.md");
  ASSERT_FALSE(guide.empty());
  for (const FactDef& fact : FactDefs()) {
    EXPECT_NE(guide.find("| `" + std::string(fact.name) + "` |"),
              std::string::npos)
        << "docs/authoring.md does not list the fact " << fact.name;
  }
  for (const PlaceholderDef& p : PlaceholderDefs()) {
    if (p.name.starts_with("facts."))
      continue;  // "any fact as {{facts.<name>}}"
    EXPECT_NE(guide.find("`{{" + p.name + "}}`"), std::string::npos)
        << "docs/authoring.md does not list the placeholder " << p.name;
  }
}

}  // namespace
}  // namespace reply
