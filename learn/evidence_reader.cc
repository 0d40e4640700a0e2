#include "learn/evidence_reader.h"

#include "learn/sqlite_reader.h"

namespace reply::learn {

Result<Ranking::Evidence> ReadEvidence(const std::string& db_path) {
  Result<std::unique_ptr<SqliteReader>> db = SqliteReader::Open(db_path);
  if (!db.ok()) return db.status();
  // A file from before schema version 4 has no shops: one shop "".
  const std::string shop =
      (*db)->HasColumn("shop") ? "COALESCE(shop, '')" : "''";
  const std::string sql =
      "SELECT " + shop +
      ", template, "
      "COUNT(DISTINCT CASE WHEN action IN ('shown', 'accepted', 'edited', "
      "'rejected', 'ignored') THEN suggestion_id END), "
      "SUM(action = 'accepted'), SUM(action = 'edited'), "
      "SUM(action = 'rejected') "
      "FROM feedback WHERE template IS NOT NULL GROUP BY 1, 2";
  Ranking::Evidence evidence;
  Status s = (*db)->Query(sql, {}, [&](sqlite3_stmt* row) {
    const std::string shop_id = SqliteReader::Text(row, 0);
    const std::string template_id = SqliteReader::Text(row, 1);
    const TemplateEvidence e{
        SqliteReader::Int(row, 2), SqliteReader::Int(row, 3),
        SqliteReader::Int(row, 4), SqliteReader::Int(row, 5)};
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
