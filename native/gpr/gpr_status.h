// Status codes of the GPR codec core: one enum, mapped 1:1 to GprError codes by the binding (no exceptions in the
// core).
#pragma once
#include <string>
#include <utility>

namespace leakproof::gpr {

// Order and names mirror src/gpr/GprError.ts (GPR_E_*); kOk is success.
enum class StatusCode {
  kOk = 0,
  kFormat,       // GPR_E_FORMAT: not a GPR/DNG (or not a TIFF at all)
  kTruncated,    // GPR_E_TRUNCATED: an offset/size points past the end of the input
  kCorrupt,      // GPR_E_CORRUPT: inconsistent structure or bitstream
  kUnsupported,  // GPR_E_UNSUPPORTED: valid but outside what this codec handles
  kLimit,        // GPR_E_LIMIT: declared sizes beyond documented limits (gpr_limits.h)
  kIo,           // GPR_E_IO: file system errors
  kArgument,     // GPR_E_ARGUMENT: bad caller argument
  kClosed,       // GPR_E_CLOSED: use after close
};

// Stable string for a code, e.g. "GPR_E_CORRUPT" ("GPR_OK" for kOk).
inline const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "GPR_OK";
    case StatusCode::kFormat:
      return "GPR_E_FORMAT";
    case StatusCode::kTruncated:
      return "GPR_E_TRUNCATED";
    case StatusCode::kCorrupt:
      return "GPR_E_CORRUPT";
    case StatusCode::kUnsupported:
      return "GPR_E_UNSUPPORTED";
    case StatusCode::kLimit:
      return "GPR_E_LIMIT";
    case StatusCode::kIo:
      return "GPR_E_IO";
    case StatusCode::kArgument:
      return "GPR_E_ARGUMENT";
    case StatusCode::kClosed:
      return "GPR_E_CLOSED";
  }
  return "GPR_E_CORRUPT";
}

// Result of a codec operation: a code plus a message that says what and where (offset, tag, band).
class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Helpers so call sites read as `return Corrupt("...")`.
inline Status FormatError(std::string m) { return Status(StatusCode::kFormat, std::move(m)); }
inline Status TruncatedError(std::string m) { return Status(StatusCode::kTruncated, std::move(m)); }
inline Status CorruptError(std::string m) { return Status(StatusCode::kCorrupt, std::move(m)); }
inline Status UnsupportedError(std::string m) { return Status(StatusCode::kUnsupported, std::move(m)); }
inline Status LimitError(std::string m) { return Status(StatusCode::kLimit, std::move(m)); }
inline Status IoError(std::string m) { return Status(StatusCode::kIo, std::move(m)); }
inline Status ArgumentError(std::string m) { return Status(StatusCode::kArgument, std::move(m)); }

}  // namespace leakproof::gpr

// Propagate a non-ok Status to the caller.
#define GPR_RETURN_IF_ERROR(expr)                  \
  do {                                             \
    ::leakproof::gpr::Status gpr_status_ = (expr); \
    if (!gpr_status_.ok()) return gpr_status_;     \
  } while (0)
