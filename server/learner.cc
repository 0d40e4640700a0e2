#include "server/learner.h"

#include "learn/evidence_reader.h"
#include "server/log.h"

namespace reply::server {

Learner::Learner(Engine* engine, std::string db_path,
                 std::chrono::seconds interval, Ranking::Options options)
    : engine_(engine),
      db_path_(std::move(db_path)),
      options_(options),
      worker_(interval, [this] { Recompute(); }) {}

void Learner::Recompute() {
  Result<Ranking::Evidence> evidence = learn::ReadEvidence(db_path_);
  if (!evidence.ok()) {
    if (!failing_) {
      Log(LogLevel::kWarn, "learn_failed",
          {{"error", evidence.status().message()},
           {"note", "the last learned order keeps serving"}});
    }
    failing_ = true;
    return;
  }
  if (failing_) Log(LogLevel::kInfo, "learn_recovered", {});
  failing_ = false;
  size_t templates = 0;
  const auto pooled = evidence->find("");
  if (pooled != evidence->end()) templates = pooled->second.size();
  engine_->SetRanking(
      std::make_shared<const Ranking>(options_, std::move(*evidence)));
  Log(LogLevel::kDebug, "learned", {{"templates", templates}});
}

}  // namespace reply::server
