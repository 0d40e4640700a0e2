// ErrorCode: the one vocabulary of errors. A Status carries one
// (engine/base/status.h), the engine's JSON API writes its name
// (docs/api.md), and replyd's protocol sends it (docs/protocol.md); the names
// are written here only.
//
//   ErrorCodeName(ErrorCode::kTooLarge);  // "too_large"
//   for (const ErrorCodeDef& e : kErrorCodeDefs)
//     if (e.sent) ...  // every code a client can receive
//
// Thread safety: constexpr tables.
#ifndef REPLY_ENGINE_BASE_ERROR_CODE_H_
#define REPLY_ENGINE_BASE_ERROR_CODE_H_

#include <iterator>
#include <string_view>

#include "engine/base/enum_table.h"

namespace reply {

enum class ErrorCode {
  kOk,
  kBadRequest,    // not JSON, a missing or mistyped field, a value out of range
  kBadOrder,      // the order breaks the order contract (docs/orders.md)
  kTooLarge,      // a field over its limit
  kRateLimited,   // replyd: the connection sends faster than its limit
  kUnauthorized,  // replyd: the request needs a token this connection lacks
  kPackError,     // a knowledge pack failed to load
  kIoError,       // a file could not be read or written
  kInternal,      // the engine or server failed, not the request
  kConflict,      // replyd: a feedback key already names other feedback
  kAlreadyAnswered,    // replyd: the suggestion has another final action
  kUnknownSuggestion,  // replyd: feedback on a suggestion it does not know
                       // (made before a restart, or expired)
};

struct ErrorCodeDef {
  ErrorCode value;
  std::string_view name;
  // Sent to clients (docs/api.md, docs/protocol.md). The others stay inside:
  // ok is no error, and an io_error reaches a client as internal.
  bool sent;
};

inline constexpr ErrorCodeDef kErrorCodeDefs[] = {
    {ErrorCode::kOk, "ok", false},
    {ErrorCode::kBadRequest, "bad_request", true},
    {ErrorCode::kBadOrder, "bad_order", true},
    {ErrorCode::kTooLarge, "too_large", true},
    {ErrorCode::kRateLimited, "rate_limited", true},
    {ErrorCode::kUnauthorized, "unauthorized", true},
    {ErrorCode::kPackError, "pack_error", true},
    {ErrorCode::kIoError, "io_error", false},
    {ErrorCode::kInternal, "internal", true},
    {ErrorCode::kConflict, "conflict", true},
    {ErrorCode::kAlreadyAnswered, "already_answered", true},
    {ErrorCode::kUnknownSuggestion, "unknown_suggestion", true},
};
static_assert(InEnumOrder(kErrorCodeDefs));
inline constexpr int kErrorCodes = static_cast<int>(std::size(kErrorCodeDefs));

constexpr std::string_view ErrorCodeName(ErrorCode code) {
  return NameOf(kErrorCodeDefs, code);
}

}  // namespace reply

#endif  // REPLY_ENGINE_BASE_ERROR_CODE_H_
