// Signed suggestion ids through real servers: feedback on a suggestion made
// by another server of the cluster, or before a restart, is taken; a
// forged, altered or expired id is bad_request.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/server/server_harness.h"

namespace reply::testing {
namespace {

using nlohmann::json;

json Feedback(const std::string& id, const std::string& suggestion_id,
              const std::string& action) {
  return FeedbackFrame(id, suggestion_id, action,
                       "signed-" + id + "-" + RandomHex());
}

class SignedIdsTest : public ServerTestBase {
 protected:
  void SetUp() override {
    ServerTestBase::SetUp();
    keys_ = dir_ / "keys";
    std::ofstream(keys_) << "# the cluster's key\n"
                         << std::string(64, '7') << "\n";
  }

  server::ServerConfig KeyedConfig() const {
    server::ServerConfig c = Config();
    c.suggestion_key_file = keys_.string();
    // A client waits, not reading, while a second server loads its packs
    // (seconds on a loaded machine or under ThreadSanitizer): the test
    // config's 2 s idle timeout closed it there (broken pipe).
    c.idle_timeout_ms = 120000;
    return c;
  }

  std::filesystem::path keys_;
};

TEST_F(SignedIdsTest, AnotherServerOfTheClusterTakesFeedbackOnASuggestion) {
  Start(KeyedConfig());
  auto client = Connect();
  const json made = Ask(*client, SuggestFrame("s1"));
  const std::string sid = made["suggestions"][0]["suggestion_id"];
  const std::string sid2 = made["suggestions"][1]["suggestion_id"];
  // A second server on the same store and key.
  Result<std::unique_ptr<server::Server>> other =
      server::Server::Start(KeyedConfig());
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  WsClient there;
  ASSERT_EQ(there.Connect((*other)->endpoint().port(), "/ws"), 101);
  EXPECT_FALSE(there.Send(Feedback("f1", sid, "accepted").dump()));
  const std::optional<json> ack = there.Read(std::chrono::seconds(60));
  ASSERT_TRUE(ack);
  EXPECT_EQ((*ack)["type"], "ack") << ack->dump();
  // The row carries the id's claims; the text stayed with the first server.
  const auto rows = QueryDb(
      dir_ / "feedback.db",
      "SELECT suggestion_id, intent, template, pack_version FROM feedback");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], sid);
  EXPECT_EQ(rows[0][1], made["suggestions"][0]["intent"]);
  EXPECT_EQ(rows[0][2], made["suggestions"][0]["template"]);
  EXPECT_EQ(rows[0][3], made["pack_version"]);
  // One final action per suggestion, whichever server took the first.
  EXPECT_EQ(Ask(*client, Feedback("f2", sid, "rejected"))["code"],
            "already_answered");
  other->reset();

  // After a restart with the same key file, still taken.
  client.reset();
  server_.reset();
  Start(KeyedConfig());
  auto again = Connect();
  EXPECT_EQ(Ask(*again, Feedback("f3", sid2, "edited_text_missing"))["code"],
            "bad_request");
  json edited = Feedback("f4", sid2, "edited");
  edited["final_text"] = "亲，改过的";
  EXPECT_EQ(Ask(*again, edited)["type"], "ack");
}

// A client whose node died before the ack resends feedback, with its key,
// through the load balancer to the other node: acknowledged, stored once,
// whichever of the two knew the suggestion's text (the cluster test found
// the resend refused as a conflict).
TEST_F(SignedIdsTest, AResendToTheOtherServerIsAckedAndStoredOnce) {
  Start(KeyedConfig());
  auto client = Connect();
  const json made = Ask(*client, SuggestFrame("s1"));
  const std::string here_first = made["suggestions"][0]["suggestion_id"];
  const std::string there_first = made["suggestions"][1]["suggestion_id"];
  Result<std::unique_ptr<server::Server>> other =
      server::Server::Start(KeyedConfig());
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  WsClient there;
  ASSERT_EQ(there.Connect((*other)->endpoint().port(), "/ws"), 101);
  const auto ask_there = [&](const json& frame) {
    EXPECT_FALSE(there.Send(frame.dump()));
    return there.Read(std::chrono::seconds(60)).value_or(json());
  };
  const json a = Feedback("f1", here_first, "accepted");
  const json b = Feedback("f2", there_first, "accepted");
  EXPECT_EQ(Ask(*client, a)["type"], "ack");
  EXPECT_EQ(ask_there(a)["type"], "ack") << "the resend on the other server";
  EXPECT_EQ(ask_there(b)["type"], "ack");
  EXPECT_EQ(Ask(*client, b)["type"], "ack") << "the resend on the first";
  // Other feedback under the same key is still a conflict on either.
  json changed = a;
  changed["action"] = "edited";
  changed["final_text"] = "亲，改过的";
  EXPECT_EQ(ask_there(changed)["code"], "conflict");
  // One row each; the text where the server that took it knew it.
  EXPECT_EQ(QueryDb(dir_ / "feedback.db",
                    "SELECT suggestion_id, final_text IS NOT NULL, "
                    "suggested_text IS NOT NULL FROM feedback ORDER BY id"),
            (std::vector<std::vector<std::string>>{{here_first, "1", "1"},
                                                   {there_first, "0", "0"}}));
}

TEST_F(SignedIdsTest, ForgedAlteredAndExpiredIdsAreBadRequests) {
  server::ServerConfig config = KeyedConfig();
  Start(config);
  auto client = Connect();
  const std::string sid = SuggestionIds(*client).at(0);
  std::string altered = sid;
  altered[5] = altered[5] == 'A' ? 'B' : 'A';
  for (const std::string& bad :
       {altered, sid.substr(0, sid.rfind('.')) + ".AAAAAAAAAAAAAAAAAAAAAA",
        std::string("s1.bm90IGFuIGlk.AAAA"), std::string("hello")}) {
    const json answer = Ask(*client, Feedback("f", bad, "accepted"));
    EXPECT_EQ(answer["code"], "bad_request") << bad << ": " << answer.dump();
  }
  // Another cluster's key: forged here.
  std::ofstream(dir_ / "other-keys") << std::string(64, '8') << "\n";
  server::ServerConfig other_config = Config();
  other_config.db = (dir_ / "other.db").string();
  other_config.suggestion_key_file = (dir_ / "other-keys").string();
  Result<std::unique_ptr<server::Server>> other =
      server::Server::Start(other_config);
  ASSERT_TRUE(other.ok());
  WsClient there;
  ASSERT_EQ(there.Connect((*other)->endpoint().port(), "/ws"), 101);
  EXPECT_FALSE(there.Send(SuggestFrame("ids").dump()));
  const std::optional<json> theirs = there.Read(std::chrono::seconds(60));
  ASSERT_TRUE(theirs);
  const json forged = Ask(
      *client,
      Feedback("f", (*theirs)["suggestions"][0]["suggestion_id"], "accepted"));
  EXPECT_EQ(forged["code"], "bad_request");
  EXPECT_NE(forged["message"].get<std::string>().find("forged"),
            std::string::npos);
  EXPECT_TRUE(QueryDb(dir_ / "feedback.db", "SELECT * FROM feedback").empty());

  // A one-second time to live: the id expires (waited for, not slept on).
  client.reset();
  server_.reset();
  config.suggestion_ttl_s = 1;
  Start(config);
  auto brief = Connect();
  const std::string short_lived = SuggestionIds(*brief).at(0);
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::minutes(1);
  json answer;
  do {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    answer = Ask(*brief, Feedback("late", short_lived, "shown"));
  } while (answer["type"] == "ack" &&
           std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(answer["code"], "bad_request");
  EXPECT_NE(answer["message"].get<std::string>().find("expired"),
            std::string::npos)
      << answer.dump();
}

}  // namespace
}  // namespace reply::testing
