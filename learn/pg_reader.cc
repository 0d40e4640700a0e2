#include "learn/pg_reader.h"

#include <cctype>
#include <map>
#include <mutex>

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

// Connections of closed readers, by URL, for the next reader.
struct IdleConnections {
  std::mutex mu;
  std::map<std::string, std::vector<std::unique_ptr<PgConnection>>> by_url;
};

IdleConnections& Idle() {
  // Never destroyed: readers may close during exit.
  static IdleConnections* idle = new IdleConnections;
  return *idle;
}

}  // namespace

Result<std::unique_ptr<PgReader>> PgReader::Open(const std::string& url) {
  {
    IdleConnections& idle = Idle();
    std::lock_guard<std::mutex> lock(idle.mu);
    auto it = idle.by_url.find(url);
    if (it != idle.by_url.end() && !it->second.empty()) {
      std::unique_ptr<PgConnection> kept = std::move(it->second.back());
      it->second.pop_back();
      return std::unique_ptr<PgReader>(new PgReader(url, std::move(kept)));
    }
  }
  Result<std::unique_ptr<PgConnection>> conn = PgConnection::Connect(url);
  if (!conn.ok()) return conn.status();
  return std::unique_ptr<PgReader>(new PgReader(url, std::move(*conn)));
}

PgReader::~PgReader() {
  if (conn_->Broken()) return;
  IdleConnections& idle = Idle();
  std::lock_guard<std::mutex> lock(idle.mu);
  std::vector<std::unique_ptr<PgConnection>>& kept = idle.by_url[url_];
  if (kept.size() < kMaxIdle) kept.push_back(std::move(conn_));
}

Result<PgResult> PgReader::Run(const std::string& sql,
                               const std::vector<int64_t>& params) {
  Result<PgResult> r = conn_->ExecInts(sql, params);
  if (r.ok() || !conn_->Broken()) return r;
  // A kept connection the server dropped while it was idle.
  if (Status s = conn_->Reconnect(); !s.ok()) return s;
  return conn_->ExecInts(sql, params);
}

bool PgReader::HasColumn(const std::string& column) {
  // The column name as a literal: Run binds integers only.
  Result<PgResult> r =
      Run("SELECT 1 FROM information_schema.columns WHERE table_schema = "
          "current_schema() AND table_name = 'feedback' AND column_name = " +
              Quote(column),
          {});
  return r.ok() && r->rows() > 0;
}

Status PgReader::Query(const std::string& sql,
                       const std::vector<int64_t>& params, const RowFn& row) {
  Result<PgResult> r = Run(Placeholders(sql), params);
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
