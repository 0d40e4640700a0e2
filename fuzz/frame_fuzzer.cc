// Fuzzes the decoding of client frames on /ws (server/protocol.h), the
// first thing replyd does with bytes from the network: DecodeFrame and
// PeekId on any text. Both must agree on the request id, a decoded frame
// must respect the protocol's limits, and the answer the server would send
// (an error or an ack) must be a JSON object echoing that id.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "server/protocol.h"

namespace {

using reply::server::ErrorCode;

// The answer parses, is of `type` and carries `id` (null when empty).
void CheckAnswer(const std::string& answer, std::string_view type,
                 const std::string& id) {
  const nlohmann::json parsed =
      nlohmann::json::parse(answer, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(parsed.is_object() && parsed.value("type", "") == type,
             "answer: " + answer);
  const auto echoed = parsed.find("id");
  FUZZ_CHECK(echoed != parsed.end(), "answer without an id: " + answer);
  FUZZ_CHECK(id.empty() ? echoed->is_null() : *echoed == id,
             "answer echoes another id: " + answer);
}

}  // namespace

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
  CheckAnswer(reply::server::EncodeAck(frame.id), "ack", frame.id);
  return 0;
}
