#include "learn/evidence_reader.h"

#include "learn/feedback_db.h"

namespace reply::learn {

Result<Ranking::Evidence> ReadEvidence(const std::string& db_path) {
  Result<std::unique_ptr<FeedbackDb>> db = FeedbackDb::Open(db_path);
  if (!db.ok()) return db.status();
  // A file from before schema version 4 has no shops: one shop "".
  const std::string shop =
      (*db)->HasColumn("shop") ? "COALESCE(shop, '')" : "''";
  const std::string sql =
      "SELECT " + shop +
      ", template, "
      "COUNT(DISTINCT CASE WHEN action IN ('shown', 'accepted', 'edited', "
      "'rejected', 'ignored') THEN suggestion_id END), "
      "COUNT(CASE WHEN action = 'accepted' THEN 1 END), "
      "COUNT(CASE WHEN action = 'edited' THEN 1 END), "
      "COUNT(CASE WHEN action = 'rejected' THEN 1 END) "
      "FROM feedback WHERE template IS NOT NULL GROUP BY 1, 2";
  Ranking::Evidence evidence;
  Status s = (*db)->Query(sql, {}, [&](const FeedbackDb::Row& row) {
    const std::string shop_id = row.Text(0);
    const std::string template_id = row.Text(1);
    const TemplateEvidence e{row.Int(2), row.Int(3), row.Int(4), row.Int(5)};
    TemplateEvidence& pooled = evidence[""][template_id];
    pooled.shown += e.shown;
    pooled.accepted += e.accepted;
    pooled.edited += e.edited;
    pooled.rejected += e.rejected;
    if (!shop_id.empty()) evidence[shop_id][template_id] = e;
  });
  if (!s.ok()) return s;
  return evidence;
}

}  // namespace reply::learn
