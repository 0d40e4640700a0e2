// The feedback report through real components: feedback sent to a real
// replyd over the WebSocket and committed to its SQLite file, then read back
// as /stats and by the real `replyctl report` and `replyctl explain --db`
// on the same file.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tests/replyctl_runner.h"
#include "tests/server/server_harness.h"

namespace reply::testing {
namespace {

using nlohmann::json;

class ReportTest : public ServerTestBase {
 protected:
  // Five suggestions: the first reply rejected every time, the second
  // accepted three times, edited once and only shown once.
  void Feed() {
    auto client = Connect();
    for (int i = 0; i < 5; ++i) {
      const json answer = Ask(*client, SuggestFrame(NumberedId("r", i)));
      ASSERT_GE(answer["suggestions"].size(), 2u) << answer;
      first_ = answer["suggestions"][0]["template"];
      second_ = answer["suggestions"][1]["template"];
      static constexpr const char* kSecond[] = {"accepted", "accepted",
                                                "accepted", "edited", "shown"};
      for (const auto& [k, action] :
           {std::pair{0, "rejected"}, std::pair{1, kSecond[i]}}) {
        json frame = {
            {"type", "feedback"},
            {"id", NumberedId("f", i * 2 + k)},
            {"suggestion_id", answer["suggestions"][k]["suggestion_id"]},
            {"action", action}};
        if (std::string(action) == "edited") frame["final_text"] = "改过的";
        ASSERT_EQ(Ask(*client, frame)["type"], "ack");
      }
    }
  }

  const json* Row(const json& report, const std::string& template_id) {
    for (const json& row : report["templates"]) {
      if (row["template"] == template_id) return &row;
    }
    ADD_FAILURE() << template_id << " not in " << report;
    return nullptr;
  }

  // The counts every form of the report agrees on.
  void ExpectCounts(const json& report) {
    const json* first = Row(report, first_);
    const json* second = Row(report, second_);
    ASSERT_TRUE(first && second);
    EXPECT_EQ((*first)["shown"], 5);
    EXPECT_EQ((*first)["rejected"], 5);
    EXPECT_DOUBLE_EQ((*first)["acceptance_rate"].get<double>(), 0.0);
    EXPECT_EQ((*second)["shown"], 5);
    EXPECT_EQ((*second)["accepted"], 3);
    EXPECT_EQ((*second)["edited"], 1);
    EXPECT_DOUBLE_EQ((*second)["acceptance_rate"].get<double>(), 0.6);
    // The trend's spans add up to the window.
    int shown = 0;
    for (const json& span : (*second)["trend"])
      shown += span["shown"].get<int>();
    EXPECT_EQ(shown, 5);
    EXPECT_EQ((*second)["trend"].size(), report["window"]["buckets"]);
    EXPECT_EQ(report["always_rejected"], json::array({first_}));
    // The bundled packs have hundreds of templates; two were shown.
    EXPECT_GT(report["never_offered"].size(), 10u);
    for (const json& t : report["never_offered"]) {
      EXPECT_NE(t["template"], first_);
      EXPECT_NE(t["template"], second_);
    }
  }

  std::string first_, second_;
};

TEST_F(ReportTest, StatsReportsCountsTrendAndTemplatesToFix) {
  Start(Config());
  Feed();
  const HttpResult stats = HttpGet(port_, "/stats");
  ASSERT_EQ(stats.status, 200) << stats.body;
  ExpectCounts(json::parse(stats.body));

  // A window after everything holds nothing; a bad bound is refused.
  const json later = json::parse(
      HttpGet(port_, "/stats?since=" + std::to_string(int64_t{1} << 50)).body);
  EXPECT_TRUE(later["templates"].empty()) << later;
  EXPECT_EQ(HttpGet(port_, "/stats?since=yesterday").status, 400);
  EXPECT_EQ(HttpGet(port_, "/stats?since=20&until=10").status, 400);
}

TEST_F(ReportTest, ReplyctlReportsTheSameFromTheFile) {
  Start(Config());
  Feed();
  server_.reset();  // the file at rest, as an author gets it
  const std::string db = (dir_ / "feedback.db").string();
  const std::string html = (dir_ / "report.html").string();

  CtlResult r = RunReplyctl({"report", "--db", db, "--json", "--packs",
                             SourceDir().string(), "--html", html});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectCounts(json::parse(r.out));
  const std::string page = ReadFile(html);
  EXPECT_NE(page.find("<svg class=\"bar\""), std::string::npos);
  EXPECT_NE(page.find("<svg class=\"trend\""), std::string::npos);
  EXPECT_NE(page.find("<li>" + first_ + "</li>"), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos) << "self-contained";

  r = RunReplyctl({"report", "--db", db, "--packs", SourceDir().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("always rejected (fix or remove):\n  " + first_),
            std::string::npos)
      << r.out;

  r = RunReplyctl({"report", "--db", db, "--since", "2099-01-01", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(json::parse(r.out)["templates"].empty());
  r = RunReplyctl({"report", "--db", db, "--since", "last week"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--since last week"), std::string::npos) << r.err;
  r = RunReplyctl({"report", "--db", (dir_ / "missing.db").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("missing.db: cannot open"), std::string::npos) << r.err;
}

// replyctl feedback purge erases what buyers and agents wrote, while replyd
// runs, and keeps every count: /stats answers the same after it.
TEST_F(ReportTest, PurgeErasesTextsAndKeepsTheCounts) {
  Start(Config());
  Feed();
  const std::string db = (dir_ / "feedback.db").string();
  const std::string texts =
      "SELECT COUNT(*) FROM feedback WHERE final_text IS NOT NULL OR "
      "suggested_text IS NOT NULL OR conversation_id IS NOT NULL";
  ASSERT_EQ(QueryDb(db, texts)[0][0], "10");

  // Another conversation's texts stay; this one's go.
  CtlResult r = RunReplyctl(
      {"feedback", "purge", "--db", db, "--conversation", "c-other"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("erased the texts of 0 feedback rows"),
            std::string::npos)
      << r.out;
  r = RunReplyctl({"feedback", "purge", "--db", db, "--conversation", "c-42"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("erased the texts of 10 feedback rows"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(QueryDb(db, texts)[0][0], "0");
  ExpectCounts(json::parse(HttpGet(port_, "/stats").body));

  // Retention: rows given before a date lose their texts. New rows have
  // theirs until then.
  Feed();
  r = RunReplyctl({"feedback", "purge", "--db", db, "--before", "2020-01-01"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("of 0 feedback rows"), std::string::npos) << r.out;
  EXPECT_EQ(QueryDb(db,
                    "SELECT COUNT(*) FROM feedback WHERE suggested_text "
                    "IS NOT NULL")[0][0],
            "10");
  r = RunReplyctl({"feedback", "purge", "--db", db, "--before", "2099-01-01"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("of 10 feedback rows"), std::string::npos) << r.out;
  EXPECT_EQ(QueryDb(db,
                    "SELECT COUNT(*) FROM feedback WHERE suggested_text "
                    "IS NOT NULL OR final_text IS NOT NULL")[0][0],
            "0");
  EXPECT_EQ(QueryDb(db, "SELECT COUNT(*) FROM feedback")[0][0], "20");

  // One of the two flags, a readable date, an existing file.
  r = RunReplyctl({"feedback", "purge", "--db", db});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--conversation ID or --before DATE"), std::string::npos)
      << r.err;
  r = RunReplyctl({"feedback", "purge", "--db", db, "--before", "soon"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--before soon"), std::string::npos) << r.err;
  r = RunReplyctl({"feedback", "purge", "--db", (dir_ / "missing.db").string(),
                   "--conversation", "c"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("missing.db: cannot open"), std::string::npos) << r.err;
}

// replyd erases texts older than --feedback-retention-days at start (and
// hourly): a row given long ago loses its texts, today's keep theirs, and
// both still count.
TEST_F(ReportTest, RetentionErasesOldTextsAtStart) {
  Start(Config());
  Feed();
  server_.reset();
  const std::string db = (dir_ / "feedback.db").string();
  // One row given in 2020, as if the server had stored it then.
  {
    sqlite3* handle = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &handle), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(handle,
                           "UPDATE feedback SET feedback_at_ms = 1577836800000 "
                           "WHERE id = (SELECT MIN(id) FROM feedback)",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(handle);
  }
  server::ServerConfig config = Config();
  config.feedback_retention_days = 30;
  Start(config);
  const std::string erased =
      "SELECT COUNT(*) FROM feedback WHERE suggested_text IS NULL AND "
      "final_text IS NULL";
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (QueryDb(db, erased)[0][0] != "1" &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(QueryDb(db, erased)[0][0], "1");
  EXPECT_EQ(QueryDb(db,
                    "SELECT COUNT(*) FROM feedback WHERE suggested_text "
                    "IS NOT NULL")[0][0],
            "9");
  ExpectCounts(json::parse(HttpGet(port_, "/stats").body));
}

// explain --db ranks as replyd would learn from the file, and shows the
// evidence of each variant.
TEST_F(ReportTest, ExplainWithADatabaseShowsTheEvidence) {
  Start(Config());
  Feed();
  server_.reset();
  const CtlResult r = RunReplyctl(
      {"explain", "怎么还不发货", "--packs", SourceDir().string(), "--order",
       (SourceDir() / "docs/examples/order_overdue.json").string(), "--now",
       "2026-11-23T10:00:00+08:00", "--db", (dir_ / "feedback.db").string(),
       "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json e = json::parse(r.out);
  bool found = false;
  for (const json& replies : e["replies"]) {
    EXPECT_EQ(replies["order"], "learned");
    for (const json& v : replies["variants"]) {
      if (v["template"] != second_) continue;
      found = true;
      EXPECT_EQ(v["learned"]["evidence"]["accepted"], 3);
      EXPECT_EQ(v["learned"]["evidence"]["edited"], 1);
      EXPECT_EQ(v["learned"]["evidence"]["shown"], 5);
    }
  }
  EXPECT_TRUE(found) << e["replies"];
}

}  // namespace
}  // namespace reply::testing
