#include "learn/pg_reader.h"

#include <cctype>

namespace reply::learn {
namespace {

class PgRow : public FeedbackDb::Row {
 public:
  PgRow(const PgResult& result, int row) : result_(result), row_(row) {}
  std::optional<std::string> OptText(int column) const override {
    return result_.OptText(row_, column);
  }
  int64_t Int(int column) const override { return result_.Int(row_, column); }

 private:
  const PgResult& result_;
  const int row_;
};

}  // namespace

Result<std::unique_ptr<PgReader>> PgReader::Open(const std::string& url) {
  Result<std::unique_ptr<PgConnection>> conn = PgConnection::Connect(url);
  if (!conn.ok()) return conn.status();
  return std::unique_ptr<PgReader>(new PgReader(std::move(*conn)));
}

bool PgReader::HasColumn(const std::string& column) {
  Result<PgResult> r = conn_->Exec(
      "SELECT 1 FROM information_schema.columns WHERE table_schema = "
      "current_schema() AND table_name = 'feedback' AND column_name = $1",
      {column});
  return r.ok() && r->rows() > 0;
}

Status PgReader::Query(const std::string& sql,
                       const std::vector<int64_t>& params, const RowFn& row) {
  Result<PgResult> r = conn_->ExecInts(Placeholders(sql), params);
  if (!r.ok()) return r.status();
  for (int i = 0; i < r->rows(); ++i) row(PgRow(*r, i));
  return Status::Ok();
}

std::string PgReader::Placeholders(const std::string& sql) {
  std::string out;
  bool quoted = false;
  for (size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\'') quoted = !quoted;
    if (!quoted && c == '?' && i + 1 < sql.size() &&
        std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
      out += '$';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace reply::learn
