// Fuzzes what replyd does with a text frame from the network, minus the
// socket: DecodeFrame and PeekId (server/protocol.h), and for a suggest or
// trigger frame the engine on the bundled packs and the hand-written
// encoder of its answer (EncodeSuggestions). DecodeFrame and PeekId must
// agree on the request id, a decoded frame must respect the protocol's
// limits, and every answer (error, ack or suggestions) must be a JSON object
// echoing that id; the suggestions answer must carry exactly the engine's
// suggestions and their ids. A feedback frame's suggestion_id goes through
// SuggestionSigner::Verify, which must refuse it (the fuzzer cannot forge
// the MAC) without crashing; the ids the fuzzer's suggestions get are
// signed and must verify.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "engine/api/json_codec.h"
#include "engine/base/time.h"
#include "engine/engine.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_fixtures.h"
#include "server/protocol.h"
#include "server/suggestion_id.h"
#include "server/suggestion_signer.h"

namespace {

using reply::ErrorCode;

constexpr int64_t kNowMs = 1'800'000'000'000;
constexpr int64_t kTtlMs = 3'600'000;

// A per-process random key, as replyd without --suggestion-key-file.
const reply::server::SuggestionSigner& TheSigner() {
  static reply::server::SuggestionSigner* signer = [] {
    auto* s = new reply::server::SuggestionSigner("");
    FUZZ_CHECK(s->Reload().ok(), "no signing key");
    return s;
  }();
  return *signer;
}

// The answer parses, is of `type` and carries `id` (null when empty).
nlohmann::json CheckAnswer(const std::string& answer, std::string_view type,
                           const std::string& id) {
  nlohmann::json parsed =
      nlohmann::json::parse(answer, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(parsed.is_object() && parsed.value("type", "") == type,
             "answer: " + answer);
  const auto echoed = parsed.find("id");
  FUZZ_CHECK(echoed != parsed.end(), "answer without an id: " + answer);
  FUZZ_CHECK(id.empty() ? echoed->is_null() : *echoed == id,
             "answer echoes another id: " + answer);
  return parsed;
}

// What replyd's request handler does with a decoded suggest or trigger.
void Suggest(const reply::server::ClientMessage& m) {
  reply::Result<reply::Response> response =
      reply::fuzz::TheEngine().Suggest(m.request);
  if (!response.ok()) {
    const reply::server::WireError error =
        reply::server::FromStatus(response.status());
    FUZZ_CHECK(error.code != ErrorCode::kInternal,
               "engine failed: " + error.message);
    CheckAnswer(reply::server::EncodeError(m.id, error), "error", m.id);
    return;
  }
  std::vector<std::string> ids;
  for (const reply::Suggestion& s : response->suggestions) {
    const reply::server::SuggestionClaims claims{
        .nonce = reply::server::SuggestionId::Random(),
        .issued_at_ms = kNowMs,
        .shop = "",
        .intent = s.intent,
        .template_id = s.template_id,
        .pack_version = response->pack_version};
    ids.push_back(TheSigner().Sign(claims));
    const auto back = TheSigner().Verify(ids.back(), kNowMs, kTtlMs);
    FUZZ_CHECK(back.claims && back.claims->template_id == s.template_id &&
                   back.claims->nonce == claims.nonce,
               "a signed id does not verify: " + ids.back());
  }
  const std::string answer =
      reply::server::EncodeSuggestions(m.id, *response, ids, 1234);
  const nlohmann::json parsed = CheckAnswer(answer, "suggestions", m.id);
  const auto suggestions = parsed.find("suggestions");
  FUZZ_CHECK(suggestions != parsed.end() && suggestions->is_array() &&
                 suggestions->size() == ids.size(),
             "suggestions lost: " + answer);
  for (size_t i = 0; i < ids.size(); ++i) {
    const nlohmann::json& s = (*suggestions)[i];
    FUZZ_CHECK(s.is_object() && s.value("suggestion_id", "") == ids[i] &&
                   s.value("text", "") == response->suggestions[i].text &&
                   s.value("intent", "") == response->suggestions[i].intent,
               "suggestion " + std::to_string(i) + " garbled: " + answer);
  }
  FUZZ_CHECK(parsed.value("normalized", "") == response->normalized,
             "normalized garbled: " + answer);
}

}  // namespace

// Loading the packs takes seconds under ASan: done before the first input,
// so it never counts against -timeout.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  reply::fuzz::TheEngine();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const reply::server::DecodedFrame frame = reply::server::DecodeFrame(text);
  const std::string peeked = reply::server::PeekId(text);
  FUZZ_CHECK(frame.id.empty() || peeked == frame.id,
             "PeekId '" + peeked + "' but DecodeFrame '" + frame.id + "'");
  FUZZ_CHECK(frame.id.size() <= reply::server::kMaxIdBytes, "id too long");

  if (frame.error) {
    FUZZ_CHECK(frame.error->code != ErrorCode::kInternal &&
                   !frame.error->message.empty(),
               "decoding error: " + frame.error->message);
    CheckAnswer(reply::server::EncodeError(frame.id, *frame.error), "error",
                frame.id);
    return 0;
  }
  const reply::server::ClientMessage& m = frame.message;
  FUZZ_CHECK(frame.type && *frame.type == m.type, "type not recorded");
  FUZZ_CHECK(!frame.id.empty() && m.id == frame.id && peeked == frame.id,
             "a decoded frame without its id");
  FUZZ_CHECK(m.request.message.size() <= reply::Request::kMaxMessageBytes,
             "message over its limit");
  FUZZ_CHECK(m.conversation_id.size() <= reply::server::kMaxIdBytes,
             "conversation id over its limit");
  FUZZ_CHECK(!m.final_text ||
                 m.final_text->size() <= reply::server::kMaxFinalTextBytes,
             "final text over its limit");
  FUZZ_CHECK(!m.key || (m.key->size() >= reply::server::kMinFeedbackKeyBytes &&
                        m.key->size() <= reply::server::kMaxFeedbackKeyBytes),
             "feedback key outside its limits");
  if (m.type == reply::server::MessageType::kSuggest ||
      m.type == reply::server::MessageType::kTrigger) {
    Suggest(m);
  } else {
    if (m.type == reply::server::MessageType::kFeedback &&
        !m.suggestion_id.empty()) {
      FUZZ_CHECK(!TheSigner().Verify(m.suggestion_id, kNowMs, kTtlMs).claims,
                 "a forged suggestion id verified: " + m.suggestion_id);
    }
    CheckAnswer(reply::server::EncodeAck(frame.id), "ack", frame.id);
  }
  return 0;
}
