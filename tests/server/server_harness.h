// Test harness for replyd: a real server in this process on an ephemeral
// port (ServerHarness), a copy of the bundled packs that a test may change
// or break, and SQL against the feedback store's real file.
#ifndef REPLY_TESTS_SERVER_SERVER_HARNESS_H_
#define REPLY_TESTS_SERVER_SERVER_HARNESS_H_

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/normalize/normalizer.h"
#include "engine/pack/pack_loader.h"
#include "server/server.h"
#include "server/suggestion_id.h"
#include "tests/server/ws_client.h"
#include "tests/test_util.h"

namespace reply::testing {

// A copy of the bundled packs (shop.yaml, intents/, templates/) in `dir`.
inline void CopyBundledPacks(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  fs::copy_file(SourceDir() / "shop.yaml", dir / "shop.yaml");
  for (const char* sub : {"intents", "templates"}) {
    fs::copy(SourceDir() / sub, dir / sub, fs::copy_options::recursive);
  }
}

// Settings for tests: short timeouts, two I/O threads, files in `dir`.
inline server::ServerConfig TestConfig(const std::filesystem::path& dir) {
  server::ServerConfig c;
  c.listen = "127.0.0.1:0";
  c.packs = SourceDir().string();
  c.db = (dir / "feedback.db").string();
  c.web = (dir / "web").string();
  c.threads = 2;
  c.handshake_timeout_ms = 2000;
  c.idle_timeout_ms = 2000;
  c.shutdown_timeout_ms = 3000;
  c.db_busy_timeout_ms = 200;
  c.watch_packs = false;
  // The authors' order, so that a test's feedback never reorders the
  // replies it asks for next; the learning tests turn it on.
  c.learn = false;
  c.log_level = "error";
  return c;
}

// The bundled packs, loaded once per test process: most tests start a
// server on them, and the load is most of a server's start (3.8 G
// instructions; seconds under ThreadSanitizer, whose shards run many tests
// in one process). Null if they do not load (the server's own load then
// reports why). Tests that change or break packs use a copy instead.
inline std::shared_ptr<const Pack> BundledPacks() {
  static const std::shared_ptr<const Pack> packs =
      []() -> std::shared_ptr<const Pack> {
    Result<const Normalizer*> normalizer = Normalizer::Shared();
    if (!normalizer.ok()) return nullptr;
    Result<std::shared_ptr<const Pack>> pack =
        LoadPack(SourceDir().string(), **normalizer, nullptr);
    return pack.ok() ? *pack : nullptr;
  }();
  return packs;
}

class ServerTestBase : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir("replyd"); }
  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  server::ServerConfig Config() const { return TestConfig(dir_); }

  // Starts a server; one on the bundled packs serves BundledPacks().
  void Start(server::ServerConfig config) {
    if (config.packs == SourceDir().string() &&
        config.loaded_packs == nullptr) {
      config.loaded_packs = BundledPacks();
    }
    Result<std::unique_ptr<server::Server>> s = server::Server::Start(config);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    server_ = std::move(*s);
    port_ = server_->endpoint().port();
  }

  // A connected client; fails the test if the upgrade does not succeed.
  std::unique_ptr<WsClient> Connect(
      const std::map<std::string, std::string>& headers = {}) {
    auto client = std::make_unique<WsClient>();
    EXPECT_EQ(client->Connect(port_, "/ws", headers), 101);
    return client;
  }

  // Sends one frame and returns the answer. The wait is long because a
  // `reload` answers only after the whole pack is loaded, which takes
  // 5-15 s in the ThreadSanitizer build (0.3 s in Release); an answer that
  // comes sooner costs nothing extra.
  nlohmann::json Ask(WsClient& client, const nlohmann::json& frame) {
    EXPECT_FALSE(client.Send(frame.dump()));
    std::optional<nlohmann::json> answer =
        client.Read(std::chrono::seconds(60));
    EXPECT_TRUE(answer.has_value()) << client.last_error().message();
    return answer.value_or(nlohmann::json::object());
  }

  std::filesystem::path dir_;
  std::unique_ptr<server::Server> server_;
  uint16_t port_ = 0;
};

// The rows of `sql` against the SQLite file at `path`, each column as text
// ("NULL" for null).
inline std::vector<std::vector<std::string>> QueryDb(
    const std::filesystem::path& path, const std::string& sql) {
  std::vector<std::vector<std::string>> rows;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) !=
      SQLITE_OK) {
    ADD_FAILURE() << path << ": " << sqlite3_errmsg(db);
    sqlite3_close(db);
    return rows;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
  } else {
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const unsigned char* text = sqlite3_column_text(stmt, i);
        row.push_back(text ? reinterpret_cast<const char*>(text) : "NULL");
      }
      rows.push_back(std::move(row));
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

// A random 32-hex-digit string: keys that no other run of a test shares.
inline std::string RandomHex() {
  return server::SuggestionId::Random().ToHex();
}

inline const char* kOverdueOrder = R"({
  "id": "E20261123001", "status": "paid",
  "created_at": "2026-11-20T09:00:00+08:00", "paid_at": "2026-11-20T09:05:00+08:00",
  "amount": 129.0, "stock": "in_stock", "shipping": {"region": "浙江"},
  "buyer": {"name": "小林", "returning": true}})";

// `prefix` followed by `i` ("r7"). Appended, not `"r" + std::to_string(i)`:
// GCC 12 at -O3 misreads that string::insert, once inlined, as a memcpy
// past the object's size (-Wstringop-overflow, -Warray-bounds).
inline std::string NumberedId(const char* prefix, int i) {
  std::string id = prefix;
  id += std::to_string(i);
  return id;
}

inline nlohmann::json SuggestFrame(
    const std::string& id, const std::string& message = "怎么还不发货") {
  return {{"type", "suggest"},
          {"id", id},
          {"message", message},
          {"order", nlohmann::json::parse(kOverdueOrder)},
          {"conversation_id", "c-42"},
          {"now", "2026-11-23T10:00:00+08:00"}};
}

// A feedback frame with its idempotency key.
inline nlohmann::json FeedbackFrame(const std::string& id,
                                    const std::string& suggestion_id,
                                    const std::string& action,
                                    const std::string& key) {
  return {{"type", "feedback"},
          {"id", id},
          {"suggestion_id", suggestion_id},
          {"action", action},
          {"key", key}};
}

// A client's pipelined requests, written all at once without reading: a
// suggest and a feedback (with a key) in turn, the feedback on
// `suggestion_ids` in turn: each on its own suggestion when there are n / 2
// of them (a suggestion takes one final action; another is refused).
struct Batch {
  std::vector<std::string> frames;
  std::map<std::string, std::string> expected;  // request id -> answer type
  std::set<std::string> keys;                   // feedback keys sent
};

inline Batch MixedBatch(const std::string& prefix, int n,
                        const std::vector<std::string>& suggestion_ids) {
  Batch batch;
  static constexpr const char* kActions[] = {"accepted", "rejected", "edited"};
  for (int i = 0; i < n; ++i) {
    const std::string id = prefix + "-" + std::to_string(i);
    if (i % 2 == 0) {
      batch.frames.push_back(SuggestFrame(id).dump());
      batch.expected[id] = "suggestions";
      continue;
    }
    nlohmann::json frame = {
        {"type", "feedback"},
        {"id", id},
        {"suggestion_id", suggestion_ids[(i / 2) % suggestion_ids.size()]},
        {"action", kActions[i % 3]},
        {"key", "key-" + id + "-" + RandomHex()}};
    if (frame["action"] == "edited") frame["final_text"] = "亲，今天发出 " + id;
    batch.keys.insert(frame["key"].get<std::string>());
    batch.frames.push_back(frame.dump());
    batch.expected[id] = "ack";
  }
  return batch;
}

// The suggestion ids of one suggest request.
inline std::vector<std::string> SuggestionIds(WsClient& client) {
  EXPECT_FALSE(client.Send(SuggestFrame("ids").dump()));
  std::optional<nlohmann::json> answer = client.Read();
  std::vector<std::string> ids;
  if (!answer) return ids;
  for (const nlohmann::json& s : (*answer)["suggestions"]) {
    ids.push_back(s["suggestion_id"]);
  }
  EXPECT_FALSE(ids.empty()) << *answer;
  return ids;
}

// What a client saw of a server shutting down.
struct Drained {
  std::map<std::string, nlohmann::json> answers;  // by request id
  int duplicates = 0;                             // answers to an id twice
  bool notice = false;                            // going_away came
  int close_code = -1;  // -1: the connection ended without a close frame
};

// Reads until the server closes. A client that knows the notice
// (`answer_notice`) tells the server it sent its last frame.
inline Drained ReadUntilClosed(WsClient& client, bool answer_notice) {
  Drained out;
  while (std::optional<nlohmann::json> answer = client.Read(10'000ms)) {
    if ((*answer)["type"] == "going_away") {
      out.notice = true;
      if (answer_notice) {
        EXPECT_FALSE(client.Send(R"({"type":"done_sending","id":"done"})"));
      }
      continue;
    }
    const std::string id = (*answer)["id"].is_string() ? (*answer)["id"] : "";
    if (!out.answers.emplace(id, *answer).second) ++out.duplicates;
  }
  out.close_code = client.close_code() != 0 ? client.close_code() : -1;
  return out;
}

// Every request of `batch` got the answer it expects; returns how many did
// not (each reported).
inline int CountUnanswered(const Batch& batch, const Drained& drained) {
  int missing = 0;
  for (const auto& [id, type] : batch.expected) {
    auto it = drained.answers.find(id);
    if (it == drained.answers.end()) {
      ++missing;
      continue;
    }
    EXPECT_EQ(it->second["type"], type) << it->second;
  }
  return missing;
}

// Requests in flight across a shutdown, over `connections` connections of
// `per_connection` requests each (suggest and feedback mixed). Half the
// connections are older clients, which ignore the going_away notice: they
// write everything before `stop` is called. The other half are still
// writing, a frame a millisecond, while the server stops, and answer the
// notice with done_sending once they read it. Then every client reads until
// the server closes.
struct AcrossShutdown {
  std::vector<Batch> batches;
  std::vector<Drained> drained;
};

inline AcrossShutdown SendAcrossShutdown(uint16_t port, int connections,
                                         int per_connection,
                                         const std::function<void()>& stop) {
  AcrossShutdown out;
  std::vector<std::unique_ptr<WsClient>> clients;
  for (int c = 0; c < connections; ++c) {
    clients.push_back(std::make_unique<WsClient>());
    EXPECT_EQ(clients.back()->Connect(port), 101);
    // A suggestion of its own for each feedback.
    std::vector<std::string> ids;
    while (ids.size() < static_cast<size_t>(per_connection) / 2 + 1) {
      const std::vector<std::string> more = SuggestionIds(*clients.back());
      if (more.empty()) break;
      ids.insert(ids.end(), more.begin(), more.end());
    }
    out.batches.push_back(
        MixedBatch("c" + std::to_string(c), per_connection, ids));
  }
  const auto knows_notice = [](int c) { return c % 2 == 0; };
  const size_t half = static_cast<size_t>(per_connection) / 2;
  for (int c = 0; c < connections; ++c) {
    const std::vector<std::string>& frames = out.batches[c].frames;
    const size_t upfront = knows_notice(c) ? half : frames.size();
    for (size_t i = 0; i < upfront; ++i)
      EXPECT_FALSE(clients[c]->Send(frames[i]));
  }
  out.drained.resize(connections);
  std::atomic<int> writing{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < connections; ++c) {
    threads.emplace_back([&, c] {
      if (knows_notice(c)) {
        const std::vector<std::string>& frames = out.batches[c].frames;
        for (size_t i = half; i < frames.size(); ++i) {
          if (i == half + 5) ++writing;
          EXPECT_FALSE(clients[c]->Send(frames[i]));
          std::this_thread::sleep_for(1ms);
        }
      }
      out.drained[c] = ReadUntilClosed(*clients[c], knows_notice(c));
    });
  }
  // Stop while every writing client is well into its second half.
  while (writing < (connections + 1) / 2) std::this_thread::sleep_for(1ms);
  stop();
  for (std::thread& t : threads) t.join();
  return out;
}

}  // namespace reply::testing

#endif  // REPLY_TESTS_SERVER_SERVER_HARNESS_H_
