#include "server/feedback_store.h"

#include <utility>

#include "learn/pg_connection.h"
#include "server/feedback_sql.h"
#include "server/log.h"
#include "server/pg_feedback_store.h"
#include "server/sqlite_feedback_store.h"

namespace reply::server {
namespace {

// Rows committed in one transaction at most.
constexpr size_t kMaxBatch = 512;

}  // namespace

bool SameFeedback(const StoredFeedback& stored, std::string_view suggestion_id,
                  FeedbackAction action,
                  const std::optional<std::string>& final_text) {
  if (stored.suggestion_id != suggestion_id || stored.action != action) {
    return false;
  }
  // A plain `accepted` was stored with the suggestion's text, or without
  // one where the server did not know it.
  if (!final_text && action == FeedbackAction::kAccepted) {
    return !stored.final_text || *stored.final_text == stored.suggested_text;
  }
  return stored.final_text == final_text;
}

std::optional<std::string> FinalTextToStore(const FeedbackRow& row) {
  if (row.final_text || row.action != FeedbackAction::kAccepted ||
      row.suggestion.text.empty()) {
    return row.final_text;
  }
  return row.suggestion.text;
}

Result<std::unique_ptr<FeedbackStore>> FeedbackStore::Open(Options options) {
  if (learn::IsPostgresUrl(options.path)) {
    return PgFeedbackStore::Open(std::move(options));
  }
  return SqliteFeedbackStore::Open(std::move(options));
}

FeedbackStore::FeedbackStore(size_t max_pending) : max_pending_(max_pending) {}

const char* FeedbackStore::LookupSql(Lookup lookup) {
  switch (lookup) {
    case Lookup::kByKey:
      return feedback_sql::kFindByKey;
    case Lookup::kFinalOf:
      return feedback_sql::kFindFinal;
    case Lookup::kShownOf:
      return feedback_sql::kFindShown;
  }
  return feedback_sql::kFindByKey;  // not reached: every Lookup is above
}

FeedbackStore::~FeedbackStore() { Close(); }

void FeedbackStore::StartWriter() {
  thread_ = std::thread([this] { WriterLoop(); });
}

Result<std::optional<FeedbackStore::Outcome>> FeedbackStore::EarlierOutcome(
    const Pending& p, const LookupFn& find) {
  const FeedbackRow& row = p.row;
  // A known key answers first: its resend, or a client bug (a key reused
  // for other feedback), whatever else the suggestion has.
  if (row.key) {
    Result<std::optional<StoredFeedback>> stored =
        find(Lookup::kByKey, *row.key);
    if (!stored.ok()) return stored.status();
    if (stored->has_value()) {
      return std::optional<Outcome>(
          SameFeedback(**stored, row.suggestion_id, row.action, row.final_text)
              ? Outcome::kDuplicate
              : Outcome::kKeyConflict);
    }
  }
  if (p.lookup_only) return std::optional<Outcome>(Outcome::kNotStored);
  // An earlier row for the same suggestion: kDuplicate for a `shown`
  // already stored or the same final action again, kAlreadyAnswered for
  // another final action.
  const bool shown = row.action == FeedbackAction::kShown;
  if (row.suggestion_id.empty() || (!shown && !IsFinalAction(row.action))) {
    return std::optional<Outcome>();
  }
  Result<std::optional<StoredFeedback>> earlier =
      find(shown ? Lookup::kShownOf : Lookup::kFinalOf, row.suggestion_id);
  if (!earlier.ok()) return earlier.status();
  if (!earlier->has_value()) return std::optional<Outcome>();
  if (shown ||
      SameFeedback(**earlier, row.suggestion_id, row.action, row.final_text)) {
    return std::optional<Outcome>(Outcome::kDuplicate);
  }
  return std::optional<Outcome>(Outcome::kAlreadyAnswered);
}

void FeedbackStore::Append(FeedbackRow row, Done done) {
  Enqueue({.row = std::move(row), .done = std::move(done)});
}

void FeedbackStore::FindResend(FeedbackRow row, Done done) {
  Enqueue(
      {.row = std::move(row), .done = std::move(done), .lookup_only = true});
}

void FeedbackStore::Enqueue(Pending pending) {
  Status refused;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closing_) {
      refused = Status::Internal("feedback store: shutting down");
    } else if (unanswered_ >= max_pending_) {
      refused =
          Status::Internal("feedback store: " + std::to_string(max_pending_) +
                           " rows already waiting; try again");
    } else {
      queue_.push_back(std::move(pending));
      ++unanswered_;
    }
  }
  if (!refused.ok()) {
    pending.done(refused);  // not moved: refused before the queue
    return;
  }
  wake_.notify_one();
}

void FeedbackStore::WriterLoop() {
  std::vector<Pending> batch;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      const auto woken = [this] { return closing_ || !queue_.empty(); };
      if (!woken()) {
        lock.unlock();
        const std::optional<std::chrono::milliseconds> again = WhileIdle();
        lock.lock();
        if (again) {
          wake_.wait_for(lock, *again, woken);
        } else {
          wake_.wait(lock, woken);
        }
      }
      if (queue_.empty()) {
        if (closing_) break;  // drained
        continue;             // WhileIdle's time came
      }
      while (!queue_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    const Status status = CommitBatch(batch);
    if (!status.ok()) {
      Log(LogLevel::kError, "feedback_write_failed",
          {{"rows", batch.size()}, {"error", status.message()}});
    }
    for (Pending& p : batch) {
      p.done(status.ok() ? Result<Outcome>(p.outcome)
                         : Result<Outcome>(Status::Internal(status.message())));
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      unanswered_ -= batch.size();
    }
    batch.clear();
  }
  WriterDone();
}

void FeedbackStore::Close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closing_) {
      // Already closing: only the first caller joins.
      return;
    }
    closing_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

}  // namespace reply::server
