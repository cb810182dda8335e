// Status and Result<T>: how every matchguard function reports failure.
//
// The library never prints, exits or throws across its API; a function that can fail on user input
// returns a Status (no value) or a Result<T> (a value or a Status). The CLI maps a Status to an exit code:
// user-caused codes (bad input, missing file, refused by an agreement) give 2, internal ones give 1.
// Messages name the file, line and field where they apply, and never contain secrets or raw identifiers.
//
// Thread-safety: plain values; safe to copy between threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace matchguard {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // bad input data, config or usage
  kNotFound,         // a file or entry the caller named does not exist
  kPermissionDenied, // a governance rule forbids the operation
  kFailedPrecondition,
  kIoError,          // the operating system failed a read or write
  kInternal,         // a bug or an invariant broken inside matchguard
};

struct ErrorValue;

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}
  // Lets MG_RETURN_IF_ERROR / MG_ASSIGN_OR_RETURN work in functions that return a plain Status.
  Status(ErrorValue failure);  // NOLINT(google-explicit-constructor)

  static Status Ok() { return {}; }
  static Status InvalidArgument(std::string msg) { return {StatusCode::kInvalidArgument, std::move(msg)}; }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status PermissionDenied(std::string msg) { return {StatusCode::kPermissionDenied, std::move(msg)}; }
  static Status FailedPrecondition(std::string msg) {
    return {StatusCode::kFailedPrecondition, std::move(msg)};
  }
  static Status IoError(std::string msg) { return {StatusCode::kIoError, std::move(msg)}; }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // True when the user, not matchguard, caused the failure (exit code 2 rather than 1).
  bool IsUserError() const { return code_ != StatusCode::kOk && code_ != StatusCode::kInternal &&
                                    code_ != StatusCode::kIoError; }

  // Returns a copy whose message is prefixed with `context: `.
  Status WithContext(std::string_view context) const {
    if (ok()) return *this;
    return {code_, std::string(context) + ": " + message_};
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// The error side of a Result, made by Error(): `return Error(Status::InvalidArgument(...));`
struct ErrorValue {
  Status status;
};
inline ErrorValue Error(Status status) { return ErrorValue{std::move(status)}; }
inline Status::Status(ErrorValue failure) : Status(std::move(failure.status)) {}

// A value or the Status explaining why there is none. The interface follows std::expected (has_value,
// value, error, operator*), which we cannot use directly because clang 14, our fuzzing compiler, lacks it.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(ErrorValue failure) : status_(std::move(failure.status)) {  // NOLINT(google-explicit-constructor)
    if (status_.ok()) status_ = Status::Internal("Result built from an OK status");
  }

  bool has_value() const { return value_.has_value(); }
  explicit operator bool() const { return has_value(); }
  // REQUIRES: has_value().
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }
  T&& operator*() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  // REQUIRES: !has_value().
  const Status& error() const& { return status_; }
  Status&& error() && { return std::move(status_); }
  // OK when there is a value.
  Status status() const { return status_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace matchguard

// Propagates a failed Status from an expression returning Status.
#define MG_RETURN_IF_ERROR(expr)                      \
  do {                                                \
    ::matchguard::Status mg_status_ = (expr);         \
    if (!mg_status_.ok()) return ::matchguard::Error(std::move(mg_status_)); \
  } while (false)

#define MG_CONCAT_INNER(a, b) a##b
#define MG_CONCAT(a, b) MG_CONCAT_INNER(a, b)
// Declares `lhs` from a Result expression, or returns its error.
#define MG_ASSIGN_OR_RETURN(lhs, expr) MG_ASSIGN_OR_RETURN_IMPL(MG_CONCAT(mg_result_, __LINE__), lhs, expr)
#define MG_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.has_value()) return ::matchguard::Error(std::move(tmp).error()); \
  lhs = std::move(tmp).value()
