// replyd as a real process: SIGTERM with requests in flight (a thousand of
// them, answered to the last), clients that never close or never read,
// kill -9 with acknowledged feedback, SIGHUP, start-up failures, --help,
// and what the log may contain.
#include "tests/server/replyd_process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "tests/server/server_harness.h"

namespace reply::testing {
namespace {

using nlohmann::json;

class ProcessTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir("replyd-proc"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string db() const { return (dir_ / "feedback.db").string(); }

  std::filesystem::path dir_;
};

TEST_F(ProcessTest, SigtermAnswersWhatIsInFlightClosesWith1001AndExitsZero) {
  Replyd replyd({"--db", db(), "--db-busy-timeout-ms", "10000"}, dir_ / "log");
  ASSERT_NE(replyd.port(), 0) << replyd.Log();
  WsClient idle;
  ASSERT_EQ(idle.Connect(replyd.port()), 101);
  WsClient client;
  ASSERT_EQ(client.Connect(replyd.port()), 101);
  // A suggestion per feedback: a suggestion takes one final action.
  constexpr int kFeedback = 5;
  std::vector<json> suggestion_ids;
  for (int i = 0; i < kFeedback; ++i) {
    ASSERT_FALSE(client.Send(SuggestFrame(NumberedId("s", i)).dump()));
    const std::optional<json> suggestions = client.Read();
    ASSERT_TRUE(suggestions);
    suggestion_ids.push_back((*suggestions)["suggestions"][0]["suggestion_id"]);
  }

  // Hold the database's write lock so the feedback stays in flight.
  sqlite3* blocker = nullptr;
  ASSERT_EQ(sqlite3_open(db().c_str(), &blocker), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(blocker, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr),
            SQLITE_OK);
  for (int i = 0; i < kFeedback; ++i) {
    ASSERT_FALSE(client.Send(json{
        {"type", "feedback"},
        {"id", NumberedId("f", i)},
        {"suggestion_id", suggestion_ids[i]},
        {"action", "accepted"}}.dump()));
  }
  // Frames are read in order: once this is answered, the feedback was read.
  ASSERT_FALSE(client.Send(SuggestFrame("marker").dump()));
  std::optional<json> marker = client.Read();
  ASSERT_TRUE(marker);
  ASSERT_EQ((*marker)["id"], "marker")
      << "feedback was answered before its commit";

  replyd.Signal(SIGTERM);
  std::this_thread::sleep_for(300ms);
  EXPECT_TRUE(replyd.Running()) << "exited with feedback in flight";
  sqlite3_exec(blocker, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(blocker);

  const Drained drained = ReadUntilClosed(client, /*answer_notice=*/false);
  EXPECT_TRUE(drained.notice);
  std::set<std::string> acked;
  for (const auto& [id, answer] : drained.answers) {
    EXPECT_EQ(answer["type"], "ack") << answer;
    acked.insert(id);
  }
  EXPECT_EQ(acked.size(), static_cast<size_t>(kFeedback));
  EXPECT_TRUE(client.closed_by_server()) << client.last_error().message();
  EXPECT_EQ(drained.close_code, 1001);
  EXPECT_EQ(idle.ReadUntilClosed(), 1001);
  const int status = replyd.Wait();
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(QueryDb(db(), "SELECT COUNT(*) FROM feedback")[0][0],
            std::to_string(kFeedback));
  WsClient late;
  EXPECT_EQ(late.Connect(replyd.port()), 0) << "still accepting after SIGTERM";
}

// The restart an agent should never notice: a thousand requests over
// several connections, in flight at the SIGTERM (half still being written;
// the rest written before, mostly unread in the server's socket buffers).
// Each is answered before the 1001 and each acknowledged feedback is in the
// file, whether or not the client answers the going_away notice.
TEST_F(ProcessTest, SigtermAnswersEveryRequestAlreadyReceived) {
  Replyd replyd(
      {"--db", db(), "--rate-limit", "1000000", "--rate-burst", "1000000"},
      dir_ / "log");
  ASSERT_NE(replyd.port(), 0) << replyd.Log();
  constexpr int kConnections = 8;
  constexpr int kPerConnection = 125;
  const AcrossShutdown run =
      SendAcrossShutdown(replyd.port(), kConnections, kPerConnection,
                         [&] { replyd.Signal(SIGTERM); });
  const int status = replyd.Wait();
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);

  int unanswered = 0;
  std::set<std::string> sent_keys;
  for (int c = 0; c < kConnections; ++c) {
    SCOPED_TRACE("connection " + std::to_string(c));
    EXPECT_TRUE(run.drained[c].notice);
    EXPECT_EQ(run.drained[c].close_code, 1001);
    EXPECT_EQ(run.drained[c].duplicates, 0);
    unanswered += CountUnanswered(run.batches[c], run.drained[c]);
    sent_keys.insert(run.batches[c].keys.begin(), run.batches[c].keys.end());
  }
  EXPECT_EQ(unanswered, 0) << "of " << kConnections * kPerConnection
                           << " requests";
  std::set<std::string> stored;
  for (const auto& row : QueryDb(db(), "SELECT feedback_key FROM feedback")) {
    stored.insert(row[0]);
  }
  EXPECT_EQ(stored, sent_keys);
}

// A client that never reads and never answers the close frame: cut off a
// grace period after its close, not at the end of --shutdown-timeout-ms.
TEST_F(ProcessTest, AClientThatNeverClosesDoesNotHoldShutdown) {
  Replyd replyd(
      {"--db", db(), "--shutdown-timeout-ms", "20000", "--handshake-timeout-ms",
       "30000", "--idle-timeout-ms", "60000"},
      dir_ / "log");
  ASSERT_NE(replyd.port(), 0) << replyd.Log();
  WsClient silent;
  ASSERT_EQ(silent.Connect(replyd.port()), 101);
  const auto [status, took] = replyd.Terminate();
  ASSERT_TRUE(WIFEXITED(status)) << "still running after 10 s";
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_LT(took, 8s);
  const Drained late = ReadUntilClosed(silent, false);
  EXPECT_TRUE(late.notice);
  EXPECT_EQ(late.close_code, 1001);
}

// A client that sends and never reads: the server's writes stop, so no
// close frame can go out. It is closed hard at the timeout, and says so.
TEST_F(ProcessTest, AClientThatNeverReadsIsClosedAtTheShutdownTimeout) {
  Replyd replyd({"--db", db(), "--shutdown-timeout-ms", "2000", "--rate-limit",
                 "1000000", "--rate-burst", "1000000", "--max-write-queue",
                 "1000000", "--idle-timeout-ms", "60000"},
                dir_ / "log");
  ASSERT_NE(replyd.port(), 0) << replyd.Log();
  WsClient stuck;
  ASSERT_EQ(stuck.Connect(replyd.port(), "/ws", {}, 4096), 101);
  const std::string frame = SuggestFrame("r").dump();
  for (int i = 0; i < 10'000; ++i) ASSERT_FALSE(stuck.Send(frame));
  const auto [status, took] = replyd.Terminate();
  ASSERT_TRUE(WIFEXITED(status)) << "still running after 10 s";
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_LT(took, 2000ms + 3s);
  bool timed_out = false;
  for (const json& line : replyd.LogLines()) {
    if (line["event"] == "shutdown_timeout") {
      timed_out = true;
      EXPECT_EQ(line["connections_dropped"], 1) << line;
    }
  }
  EXPECT_TRUE(timed_out) << replyd.Log();
}

TEST_F(ProcessTest, AcknowledgedFeedbackSurvivesKill9) {
  std::set<std::string> acked_suggestions;
  {
    Replyd replyd({"--db", db()}, dir_ / "log");
    ASSERT_NE(replyd.port(), 0) << replyd.Log();
    WsClient client;
    ASSERT_EQ(client.Connect(replyd.port()), 101);
    std::map<std::string, std::string>
        by_request;  // feedback id -> suggestion id
    size_t acks = 0;
    // Acks are recorded as they come; they interleave with suggestions.
    const auto take = [&](const json& answer) {
      if (answer["type"] != "ack") return false;
      acked_suggestions.insert(by_request[answer["id"]]);
      ++acks;
      return true;
    };
    for (int i = 0; i < 20; ++i) {
      const std::string id = "s" + std::to_string(i);
      ASSERT_FALSE(client.Send(SuggestFrame(id).dump()));
      std::optional<json> answer;
      while ((answer = client.Read()) && take(*answer)) {
      }
      ASSERT_TRUE(answer);
      ASSERT_EQ((*answer)["id"], id) << *answer;
      for (const json& s : (*answer)["suggestions"]) {
        const std::string fid = "f" + std::to_string(by_request.size());
        by_request[fid] = s["suggestion_id"];
        ASSERT_FALSE(client.Send(json{
            {"type", "feedback"},
            {"id", fid},
            {"suggestion_id", s["suggestion_id"]},
            {"action", "rejected"}}.dump()));
      }
    }
    // Kill the moment the last ack arrives: nothing had time to settle.
    while (acks < by_request.size()) {
      std::optional<json> answer = client.Read();
      ASSERT_TRUE(answer);
      ASSERT_TRUE(take(*answer)) << *answer;
    }
    ASSERT_GE(acks, 20u);
    replyd.Signal(SIGKILL);
    const int status = replyd.Wait();
    ASSERT_TRUE(WIFSIGNALED(status));
  }
  std::set<std::string> stored;
  for (const auto& row : QueryDb(db(), "SELECT suggestion_id FROM feedback")) {
    stored.insert(row[0]);
  }
  EXPECT_EQ(stored, acked_suggestions);

  // A restarted server reports them.
  Replyd again({"--db", db()}, dir_ / "log2");
  ASSERT_NE(again.port(), 0) << again.Log();
  const json stats = json::parse(HttpGet(again.port(), "/stats").body);
  int64_t total = 0;
  for (const json& row : stats["templates"])
    total += row["rejected"].get<int64_t>();
  EXPECT_EQ(total, static_cast<int64_t>(acked_suggestions.size()));
}

TEST_F(ProcessTest, SighupReloadsThePacks) {
  const auto packs = dir_ / "packs";
  std::filesystem::create_directories(packs);
  CopyBundledPacks(packs);
  Replyd replyd({"--db", db(), "--packs", packs.string(), "--no-watch-packs"},
                dir_ / "log");
  ASSERT_NE(replyd.port(), 0) << replyd.Log();
  const json before = json::parse(HttpGet(replyd.port(), "/healthz").body);
  WriteFile(packs / "shop.yaml",
            ReadFile(packs / "shop.yaml") + "\n# edited\n");
  replyd.Signal(SIGHUP);
  json after = before;
  for (int i = 0; i < 200 && after["reloads"] == 0; ++i) {
    std::this_thread::sleep_for(25ms);
    after = json::parse(HttpGet(replyd.port(), "/healthz").body);
  }
  EXPECT_EQ(after["reloads"], 1);
  EXPECT_NE(after["pack_version"], before["pack_version"]);
  replyd.Signal(SIGTERM);
  EXPECT_EQ(replyd.Wait(), 0);
}

TEST_F(ProcessTest, ABrokenPackDirectoryFailsTheStartWithTheReason) {
  const auto packs = dir_ / "packs";
  std::filesystem::create_directories(packs);
  CopyBundledPacks(packs);
  WriteFile(packs / "templates/zh/wrong_size.yaml", "intent: [unclosed\n");
  Replyd replyd({"--db", db(), "--packs", packs.string()}, dir_ / "log");
  EXPECT_EQ(replyd.port(), 0);
  const int status = replyd.Wait();
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  EXPECT_NE(replyd.Log().find("wrong_size.yaml"), std::string::npos)
      << replyd.Log();
}

TEST_F(ProcessTest, TheLogIsStructuredAndHoldsNoBuyerText) {
  Replyd replyd({"--db", db()}, dir_ / "log");
  ASSERT_NE(replyd.port(), 0);
  WsClient client;
  ASSERT_EQ(client.Connect(replyd.port()), 101);
  json frame = SuggestFrame("r1", "怎么还不发货 暗号XYZZY");
  frame["order"]["buyer"]["name"] = "王小明";
  frame["order"]["shipping"]["region"] = "新疆乌鲁木齐幸福路88号";
  ASSERT_FALSE(client.Send(frame.dump()));
  ASSERT_TRUE(client.Read());
  frame["order"]["amount"] = "broken";  // an error answer, too
  ASSERT_FALSE(client.Send(frame.dump()));
  ASSERT_TRUE(client.Read());
  replyd.Signal(SIGTERM);
  EXPECT_EQ(client.ReadUntilClosed(), 1001);
  EXPECT_EQ(replyd.Wait(), 0);
  const std::string log = replyd.Log();
  EXPECT_EQ(log.find("XYZZY"), std::string::npos);
  EXPECT_EQ(log.find("王小明"), std::string::npos);
  EXPECT_EQ(log.find("幸福路"), std::string::npos);
  const std::vector<json> lines = replyd.LogLines();
  ASSERT_FALSE(lines.empty());
  std::istringstream raw(log);
  std::string line;
  size_t n = 0;
  while (std::getline(raw, line)) ++n;
  EXPECT_EQ(lines.size(), n) << "every log line is one JSON object";
  bool warned = false;
  for (const json& l : lines) {
    EXPECT_TRUE(l.contains("ts") && l.contains("level") && l.contains("event"))
        << l;
    if (l["event"] == "no_auth") warned = true;
  }
  EXPECT_TRUE(warned) << "running without tokens must be said at start";
}

TEST_F(ProcessTest, HelpListsEveryFlag) {
  const std::string command = std::string(REPLYD_PATH) + " --help";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  EXPECT_EQ(pclose(pipe), 0);
  for (const char* flag : {"--listen",
                           "--packs",
                           "--db",
                           "--allow-origin",
                           "--token",
                           "--admin-token",
                           "--web",
                           "--config",
                           "--threads",
                           "--max-frame-bytes",
                           "--max-connections",
                           "--rate-limit",
                           "--rate-burst",
                           "--rate-strikes",
                           "--max-write-queue",
                           "--handshake-timeout-ms",
                           "--idle-timeout-ms",
                           "--shutdown-timeout-ms",
                           "--suggestion-capacity",
                           "--suggestion-ttl-s",
                           "--db-busy-timeout-ms",
                           "--max-pending-feedback",
                           "--watch-packs",
                           "--feedback-retention-days",
                           "--log-level"}) {
    EXPECT_NE(out.find(flag), std::string::npos) << flag;
  }
}

}  // namespace
}  // namespace reply::testing
