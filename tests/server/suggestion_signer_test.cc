// Signed suggestion ids: round trip, tampering, expiry, key rotation and
// the key file's errors, on the real OpenSSL HMAC.
#include "server/suggestion_signer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/test_util.h"

namespace reply::server {
namespace {

using Refusal = SuggestionSigner::Refusal;

constexpr int64_t kNow = 1'800'000'000'000;
constexpr int64_t kTtl = 3'600'000;
const std::string kKeyA(64, 'a');
const std::string kKeyB(64, 'b');

SuggestionClaims Claims() {
  return {.nonce = SuggestionId::Random(),
          .issued_at_ms = kNow,
          .shop = "lin",
          .intent = "urge_shipment",
          .template_id = "urge_shipment.overdue",
          .pack_version = "2d278450e89a",
          .arm = "warm"};
}

class SignerTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = reply::testing::MakeTempDir("signer"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string KeyFile(const std::string& text) {
    const std::string path = (dir_ / "keys").string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  std::filesystem::path dir_;
};

TEST_F(SignerTest, AnIdCarriesItsClaimsToAnotherSignerWithTheSameKey) {
  SuggestionSigner maker(KeyFile("# the cluster's key\n" + kKeyA + "\n"));
  ASSERT_TRUE(maker.Reload().ok());
  SuggestionSigner other(KeyFile(kKeyA + "\n"));
  ASSERT_TRUE(other.Reload().ok());
  const SuggestionClaims claims = Claims();
  const std::string id = maker.Sign(claims);
  EXPECT_EQ(id.substr(0, 3), "s1.");
  const auto back = other.Verify(id, kNow + 1000, kTtl);
  ASSERT_TRUE(back.claims);
  EXPECT_EQ(back.claims->nonce, claims.nonce);
  EXPECT_EQ(back.claims->issued_at_ms, kNow);
  EXPECT_EQ(back.claims->shop, "lin");
  EXPECT_EQ(back.claims->intent, "urge_shipment");
  EXPECT_EQ(back.claims->template_id, "urge_shipment.overdue");
  EXPECT_EQ(back.claims->pack_version, "2d278450e89a");
  EXPECT_EQ(back.claims->arm, "warm");
  // Two suggestions of the same template at the same time differ.
  EXPECT_NE(maker.Sign(Claims()), maker.Sign(Claims()));
}

TEST_F(SignerTest, EveryAlteredCharacterIsRefused) {
  SuggestionSigner signer(KeyFile(kKeyA));
  ASSERT_TRUE(signer.Reload().ok());
  const std::string id = signer.Sign(Claims());
  for (size_t i = 0; i < id.size(); ++i) {
    std::string altered = id;
    altered[i] = altered[i] == 'A' ? 'B' : 'A';
    const auto v = signer.Verify(altered, kNow, kTtl);
    EXPECT_FALSE(v.claims) << "position " << i << ": " << altered;
  }
  EXPECT_EQ(signer.Verify(id.substr(0, id.size() - 1), kNow, kTtl).refusal,
            Refusal::kMalformed);
  EXPECT_EQ(
      signer.Verify("0123456789abcdef0123456789abcdef", kNow, kTtl).refusal,
      Refusal::kMalformed);
  EXPECT_EQ(signer.Verify("", kNow, kTtl).refusal, Refusal::kMalformed);
  // Signed with another key: forged.
  SuggestionSigner forger(KeyFile(kKeyB));
  ASSERT_TRUE(forger.Reload().ok());
  EXPECT_EQ(signer.Verify(forger.Sign(Claims()), kNow, kTtl).refusal,
            Refusal::kBadMac);
}

TEST_F(SignerTest, AnIdExpiresAfterItsTimeToLiveAndMayNotComeFromTheFuture) {
  SuggestionSigner signer(KeyFile(kKeyA));
  ASSERT_TRUE(signer.Reload().ok());
  const std::string id = signer.Sign(Claims());
  EXPECT_TRUE(signer.Verify(id, kNow + kTtl - 1, kTtl).claims);
  EXPECT_EQ(signer.Verify(id, kNow + kTtl, kTtl).refusal, Refusal::kExpired);
  EXPECT_TRUE(
      signer.Verify(id, kNow - SuggestionSigner::kMaxClockSkewMs, kTtl).claims);
  EXPECT_EQ(
      signer.Verify(id, kNow - SuggestionSigner::kMaxClockSkewMs - 1, kTtl)
          .refusal,
      Refusal::kFuture);
}

TEST_F(SignerTest, KeysRotateWithoutRefusingIdsInFlight) {
  const std::string path = KeyFile(kKeyA + "\n");
  SuggestionSigner signer(path);
  ASSERT_TRUE(signer.Reload().ok());
  const std::string old_id = signer.Sign(Claims());
  // Step 1: the new key is accepted everywhere; step 2: it signs.
  KeyFile(kKeyA + "\n" + kKeyB + "\n");
  ASSERT_TRUE(signer.Reload().ok());
  KeyFile(kKeyB + "\n" + kKeyA + "\n");
  ASSERT_TRUE(signer.Reload().ok());
  const std::string new_id = signer.Sign(Claims());
  EXPECT_TRUE(signer.Verify(old_id, kNow, kTtl).claims);
  EXPECT_TRUE(signer.Verify(new_id, kNow, kTtl).claims);
  // Step 3: the old key is gone; so are its ids.
  KeyFile(kKeyB + "\n");
  ASSERT_TRUE(signer.Reload().ok());
  EXPECT_EQ(signer.Verify(old_id, kNow, kTtl).refusal, Refusal::kBadMac);
  EXPECT_TRUE(signer.Verify(new_id, kNow, kTtl).claims);
}

TEST_F(SignerTest, ABadKeyFileIsRefusedWithItsLineAndTheKeysStay) {
  const std::string path = KeyFile(kKeyA + "\n");
  SuggestionSigner signer(path);
  ASSERT_TRUE(signer.Reload().ok());
  const std::string id = signer.Sign(Claims());
  KeyFile("# keys\n" + kKeyB + "\nnot-hex-secret\n");
  const Status s = signer.Reload();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find(path + ":3: expected a key of 64 to 128 hex"),
            std::string::npos)
      << s.message();
  EXPECT_EQ(s.message().find("not-hex-secret"), std::string::npos)
      << "a key is never quoted";
  EXPECT_TRUE(signer.Verify(id, kNow, kTtl).claims) << "the old key stays";
  KeyFile("# no key\n");
  EXPECT_FALSE(signer.Reload().ok());
}

TEST_F(SignerTest, WithoutAKeyFileIdsVerifyInThisProcessOnly) {
  SuggestionSigner signer("");
  ASSERT_TRUE(signer.Reload().ok());
  const std::string id = signer.Sign(Claims());
  ASSERT_TRUE(signer.Reload().ok());  // the random key is kept
  EXPECT_TRUE(signer.Verify(id, kNow, kTtl).claims);
  SuggestionSigner restarted("");
  ASSERT_TRUE(restarted.Reload().ok());
  EXPECT_EQ(restarted.Verify(id, kNow, kTtl).refusal, Refusal::kUnknownKey);
}

}  // namespace
}  // namespace reply::server
