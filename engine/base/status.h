// Status and Result<T>: errors as values, never exceptions across module lines.
//
//   reply::Result<Order> order = ParseOrder(json);
//   if (!order.ok()) return order.status();  // "order.amount: expected a number"
//   Use(*order);
//
// Thread safety: plain values; const methods may be called concurrently.
#ifndef REPLY_ENGINE_BASE_STATUS_H_
#define REPLY_ENGINE_BASE_STATUS_H_

#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "engine/base/error_code.h"

namespace reply {

class Status {
 public:
  // The one error vocabulary (engine/base/error_code.h): the `code` of an
  // error response is the code's name.
  using Code = ErrorCode;

  Status() = default;
  static Status Ok() { return Status(); }
  static Status BadRequest(std::string message) {
    return Status(Code::kBadRequest, std::move(message));
  }
  static Status TooLarge(std::string message) {
    return Status(Code::kTooLarge, std::move(message));
  }
  static Status BadOrder(std::string message) {
    return Status(Code::kBadOrder, std::move(message));
  }
  static Status PackError(std::string message) {
    return Status(Code::kPackError, std::move(message));
  }
  static Status IoError(std::string message) {
    return Status(Code::kIoError, std::move(message));
  }
  static Status Internal(std::string message) {
    return Status(Code::kInternal, std::move(message));
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // "bad_request", "bad_order", ...: the wire name of the code.
  std::string_view code_name() const { return ErrorCodeName(code_); }
  // "bad_order: order.amount: expected a number".
  std::string ToString() const;

 private:
  Status(Code code, std::string message)
      : code_(code), message_(std::move(message)) {}

  Code code_ = Code::kOk;
  std::string message_;
};

// Either a value or the Status explaining why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : state_(std::move(status)) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(state_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(state_);
  }

  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace reply

#endif  // REPLY_ENGINE_BASE_STATUS_H_
