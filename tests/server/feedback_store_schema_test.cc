// The feedback store's schema on real SQLite files: an older file is
// migrated in place (its rows kept, the key made UNIQUE), a new file gets
// the same schema as a migrated one, a newer or unopenable file is refused
// with the reason.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "server/feedback_store.h"
#include "tests/server/feedback_store_fixture.h"
#include "tests/server/server_harness.h"

namespace reply::server {
namespace {

using reply::testing::AppendAndWait;
using reply::testing::FeedbackStoreTest;
using reply::testing::KeyedRow;
using reply::testing::Outcome;
using reply::testing::QueryDb;

// The database as replyd wrote it before feedback keys (schema version 1).
constexpr const char* kVersion1File = R"sql(
PRAGMA journal_mode = WAL;
CREATE TABLE feedback (
  id INTEGER PRIMARY KEY,
  suggestion_id TEXT NOT NULL,
  conversation_id TEXT,
  intent TEXT NOT NULL,
  template TEXT NOT NULL,
  pack_version TEXT NOT NULL,
  latency_us INTEGER NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('accepted', 'edited', 'rejected')),
  suggested_text TEXT NOT NULL,
  final_text TEXT,
  suggested_at_ms INTEGER NOT NULL,
  feedback_at_ms INTEGER NOT NULL
);
CREATE INDEX feedback_by_template ON feedback (template);
INSERT INTO feedback VALUES
  (1, '0123456789abcdef0123456789abcdef', 'c-1', 'urge_shipment',
   'urge_shipment.overdue_wait', 'v1', 42, 'accepted', '亲，马上发货',
   '亲，马上发货', 1000, 2000),
  (2, 'fedcba9876543210fedcba9876543210', NULL, 'wrong_size',
   'wrong_size.before_shipping', 'v1', 7, 'rejected', '可以换', NULL, 1000,
   3000);
PRAGMA user_version = 1;
)sql";

void ExecSql(const std::filesystem::path& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &error), SQLITE_OK)
      << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

TEST_F(FeedbackStoreTest, AVersionOneFileIsMigratedInPlace) {
  ExecSql(db(), kVersion1File);
  ASSERT_EQ(QueryDb(db(), "PRAGMA user_version")[0][0], "1");
  {
    auto store = FeedbackStore::Open({.path = db().string()});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    EXPECT_EQ(QueryDb(db(), "PRAGMA user_version")[0][0], "5");
    // The old rows are there, untouched, without keys.
    EXPECT_EQ(QueryDb(db(),
                      "SELECT id, suggestion_id, action, final_text, "
                      "feedback_at_ms, feedback_key FROM feedback ORDER BY id"),
              (std::vector<std::vector<std::string>>{
                  {"1", "0123456789abcdef0123456789abcdef", "accepted",
                   "亲，马上发货", "2000", "NULL"},
                  {"2", "fedcba9876543210fedcba9876543210", "rejected", "NULL",
                   "3000", "NULL"}}));
    // Rows from before shops are the default shop's (NULL; version 4).
    EXPECT_EQ(QueryDb(db(), "SELECT shop, COUNT(*) FROM feedback GROUP BY 1"),
              (std::vector<std::vector<std::string>>{{"NULL", "2"}}));
    // The key is enforced on the migrated table.
    const FeedbackRow row = KeyedRow("after-the-migration-0001");
    EXPECT_EQ(*AppendAndWait(**store, row), Outcome::kInserted);
    EXPECT_EQ(*AppendAndWait(**store, row), Outcome::kDuplicate);
  }
  EXPECT_EQ(QueryDb(db(), "SELECT COUNT(*) FROM feedback")[0][0], "3");
  // The constraint is a real UNIQUE index, not only the store's check.
  EXPECT_EQ(QueryDb(db(),
                    "SELECT \"unique\" FROM pragma_index_list('feedback') "
                    "WHERE name = 'feedback_by_key'"),
            (std::vector<std::vector<std::string>>{{"1"}}));
  // Opening again changes nothing.
  auto again = FeedbackStore::Open({.path = db().string()});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(QueryDb(db(), "PRAGMA user_version")[0][0], "5");
  EXPECT_EQ(QueryDb(db(), "SELECT COUNT(*) FROM feedback")[0][0], "3");
}

// Version 5 adds `arm` to a version 4 file, keeping its `shop` column and
// rows; the arm is then stored.
TEST_F(FeedbackStoreTest, VersionFiveAddsTheArmToAVersionFourFile) {
  const auto path = reply::testing::MakeTempDir("v5") / "feedback.db";
  ASSERT_TRUE(FeedbackStore::Open({.path = path.string()}).ok());
  ExecSql(path,
          "ALTER TABLE feedback DROP COLUMN arm; PRAGMA user_version = 4;");
  const auto columns = [&] {
    std::string names;
    for (const auto& row :
         QueryDb(path, "SELECT name FROM pragma_table_info('feedback')")) {
      names += row[0] + " ";
    }
    return names;
  };
  ASSERT_EQ(columns().find("arm "), std::string::npos);
  auto store = FeedbackStore::Open({.path = path.string()});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(QueryDb(path, "PRAGMA user_version")[0][0], "5");
  EXPECT_NE(columns().find("arm "), std::string::npos) << columns();
  EXPECT_NE(columns().find("shop "), std::string::npos) << columns();
  FeedbackRow row = KeyedRow("with-an-arm-0001");
  row.suggestion.arm = "short";
  row.suggestion.shop = "north";
  EXPECT_EQ(*AppendAndWait(**store, row), Outcome::kInserted);
  (*store)->Close();
  EXPECT_EQ(QueryDb(path, "SELECT arm, shop FROM feedback"),
            (std::vector<std::vector<std::string>>{{"short", "north"}}));
  std::filesystem::remove_all(path.parent_path());
}

TEST_F(FeedbackStoreTest, ANewFileHasTheSameSchemaAsAMigratedOne) {
  const auto migrated = dir_ / "migrated.db";
  ExecSql(migrated, kVersion1File);
  ASSERT_TRUE(FeedbackStore::Open({.path = migrated.string()}).ok());
  ASSERT_TRUE(FeedbackStore::Open({.path = db().string()}).ok());
  const std::string schema =
      "SELECT type, name, sql FROM sqlite_schema ORDER BY name";
  EXPECT_EQ(QueryDb(db(), schema), QueryDb(migrated, schema));
}

TEST_F(FeedbackStoreTest, AFileFromANewerReplydIsRefusedWithTheReason) {
  ExecSql(db(), "CREATE TABLE feedback (id INTEGER); PRAGMA user_version = 9;");
  auto store = FeedbackStore::Open({.path = db().string()});
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("schema version 9"),
            std::string::npos)
      << store.status().message();
  EXPECT_EQ(QueryDb(db(), "PRAGMA user_version")[0][0], "9") << "left alone";
}

TEST_F(FeedbackStoreTest, AnUnopenableFileIsAClearError) {
  auto store =
      FeedbackStore::Open({.path = (dir_ / "no/such/dir/f.db").string()});
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("no/such/dir/f.db"),
            std::string::npos)
      << store.status().message();
}

}  // namespace
}  // namespace reply::server
