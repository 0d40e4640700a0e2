// replyd as a real process against what an attacker or an accident does to
// it: static paths aimed at its own /proc entries (where its tokens are), a
// file size limit reached while writing feedback, the feedback database (or
// its WAL) deleted while it runs.
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <nlohmann/json.hpp>

#include "tests/server/replyd_process.h"
#include "tests/server/server_harness.h"

namespace reply::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

class ReplydSecurityTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir("replyd-sec"); }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path db() const { return dir_ / "feedback.db"; }

  // Asks for suggestions, then sends feedback (id: prefix and n) on the
  // first one. Returns the answer to the feedback; *suggestion_id is the
  // suggestion's id.
  static json SuggestThenFeedback(WsClient& client, std::string prefix, int n,
                                  std::string* suggestion_id) {
    const std::string id = prefix.append(std::to_string(n));
    if (client.Send(SuggestFrame("s-" + id).dump())) return {};
    const std::optional<json> answer = client.Read();
    if (!answer || (*answer)["type"] != "suggestions") return {};
    *suggestion_id = (*answer)["suggestions"][0]["suggestion_id"];
    if (client.Send(json{{"type", "feedback"},
                         {"id", id},
                         {"suggestion_id", *suggestion_id},
                         {"action", "accepted"}}
                        .dump())) {
      return {};
    }
    return client.Read().value_or(json::object());
  }

  std::set<std::string> StoredSuggestionIds() const {
    std::set<std::string> ids;
    for (const auto& row :
         QueryDb(db(), "SELECT suggestion_id FROM feedback")) {
      ids.insert(row[0]);
    }
    return ids;
  }

  fs::path dir_;
};

TEST_F(ReplydSecurityTest, ItsProcFilesAndTheDatabaseCannotBeFetched) {
  WriteFile(dir_ / "web/index.html", "<!doctype html><title>replyd</title>");
  ASSERT_EQ(setenv("REPLYD_TEST_ENV_SECRET", "SECRET-FROM-THE-ENV", 1), 0);
  Replyd replyd(
      {"--db", db().string(), "--web", (dir_ / "web").string(), "--token",
       "SECRET-SHOP-TOKEN", "--admin-token", "SECRET-ADMIN-TOKEN"},
      dir_ / "log");
  unsetenv("REPLYD_TEST_ENV_SECRET");
  ASSERT_NE(replyd.port(), 0) << replyd.Log();
  const std::string host = "127.0.0.1:" + std::to_string(replyd.port());
  for (const std::string& target :
       {std::string("//proc/self/cmdline"), std::string("//proc/self/environ"),
        std::string("///proc/self/environ"),
        std::string("/%2Fproc%2Fself%2Fcmdline"),
        std::string("/../../../../../../proc/self/cmdline"),
        std::string("/%2e%2e/%2e%2e/%2e%2e/%2e%2e/proc/self/environ"),
        "/" + db().native(), std::string("/../feedback.db")}) {
    SCOPED_TRACE(target);
    const RawResult res =
        RawExchange(replyd.port(), RawGetRequest(target, host));
    EXPECT_TRUE(res.status() == 400 || res.status() == 404) << res.head();
    // (The body is not printed: it could be this process's environment.)
    EXPECT_EQ(res.bytes.find("SECRET-"), std::string::npos) << res.head();
    EXPECT_EQ(res.bytes.find("SQLite format"), std::string::npos);
  }
  EXPECT_EQ(HttpGet(replyd.port(), "/").status, 200);
}

TEST_F(ReplydSecurityTest, AFileSizeLimitFailsTheWriteNotTheServer) {
  // The WAL grows by a few KiB per commit and hits this after some rows.
  // (SQLite's shared-memory file needs 32 KiB.)
  constexpr rlim_t kLimit = 128 * 1024;
  Replyd replyd({"--db", db().string()}, dir_ / "log", kLimit);
  ASSERT_NE(replyd.port(), 0) << replyd.Log();
  WsClient client;
  ASSERT_EQ(client.Connect(replyd.port()), 101);
  std::set<std::string> acked;
  int refused = 0;
  for (int i = 0; i < 300 && refused < 5; ++i) {
    std::string suggestion_id;
    const json answer = SuggestThenFeedback(client, "f", i, &suggestion_id);
    ASSERT_TRUE(replyd.Running()) << "killed after " << acked.size() << " rows";
    ASSERT_TRUE(answer.contains("type")) << "no answer: " << replyd.Log();
    if (answer["type"] == "ack") {
      EXPECT_EQ(refused, 0) << "an ack after a refusal: the WAL cannot shrink";
      acked.insert(suggestion_id);
    } else {
      EXPECT_EQ(answer["type"], "error") << answer;
      EXPECT_EQ(answer["code"], "internal") << answer;
      ++refused;
    }
  }
  EXPECT_GT(acked.size(), 0u);
  ASSERT_EQ(refused, 5) << "the limit was never reached";
  // Still serving.
  ASSERT_FALSE(client.Send(SuggestFrame("after").dump()));
  const std::optional<json> after = client.Read();
  ASSERT_TRUE(after);
  EXPECT_EQ((*after)["type"], "suggestions");
  EXPECT_EQ(HttpGet(replyd.port(), "/healthz").status, 200);
  client.Close();
  replyd.Signal(SIGTERM);
  EXPECT_EQ(replyd.Wait(), 0) << replyd.Log();
  EXPECT_EQ(StoredSuggestionIds(), acked);
  EXPECT_EQ(replyd.Log().find("feedback_db_moved"), std::string::npos)
      << "a failed write is not a moved file";
}

TEST_F(ReplydSecurityTest, FeedbackAfterTheDatabaseIsDeletedIsStoredAtItsPath) {
  Replyd replyd({"--db", db().string()}, dir_ / "log");
  ASSERT_NE(replyd.port(), 0) << replyd.Log();
  WsClient client;
  ASSERT_EQ(client.Connect(replyd.port()), 101);
  std::string id;
  ASSERT_EQ(SuggestThenFeedback(client, "before", 0, &id)["type"], "ack");
  for (const char* suffix : {"", "-wal", "-shm"}) {
    fs::remove(db().string() + suffix);
  }
  std::set<std::string> acked_after;
  for (int i = 0; i < 10; ++i) {
    const json answer = SuggestThenFeedback(client, "after", i, &id);
    ASSERT_EQ(answer["type"], "ack") << answer;
    acked_after.insert(id);
  }
  client.Close();
  replyd.Signal(SIGTERM);
  EXPECT_EQ(replyd.Wait(), 0);
  ASSERT_TRUE(fs::exists(db())) << "nothing at the configured path";
  EXPECT_EQ(StoredSuggestionIds(), acked_after);
  EXPECT_NE(replyd.Log().find("feedback_db_moved"), std::string::npos)
      << replyd.Log();
}

TEST_F(ReplydSecurityTest, AcknowledgedFeedbackSurvivesADeletedWalAndKill9) {
  std::set<std::string> acked;
  {
    Replyd replyd({"--db", db().string()}, dir_ / "log");
    ASSERT_NE(replyd.port(), 0) << replyd.Log();
    WsClient client;
    ASSERT_EQ(client.Connect(replyd.port()), 101);
    std::string id;
    for (int i = 0; i < 5; ++i) {
      ASSERT_EQ(SuggestThenFeedback(client, "a", i, &id)["type"], "ack");
      acked.insert(id);
    }
    // Its rows are not in the main file yet: they live in the WAL.
    fs::remove(db().string() + "-wal");
    fs::remove(db().string() + "-shm");
    for (int i = 0; i < 5; ++i) {
      ASSERT_EQ(SuggestThenFeedback(client, "b", i, &id)["type"], "ack");
      acked.insert(id);
    }
    replyd.Signal(SIGKILL);
    ASSERT_TRUE(WIFSIGNALED(replyd.Wait()));
  }
  EXPECT_EQ(StoredSuggestionIds(), acked);
}

}  // namespace
}  // namespace reply::testing
