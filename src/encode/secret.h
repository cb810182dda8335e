// Secrets for encodings: read from a file or an environment variable (never from the command line), held
// in a buffer that is wiped (OPENSSL_cleanse) when it goes out of scope, and refused when empty or short.
// Messages name where the secret came from and its length, never its bytes.
//
// Thread-safety: a Secret is a move-only value owned by one thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "matchguard/file_system.h"
#include "matchguard/status.h"

namespace matchguard {

constexpr size_t kMinSecretBytes = 16;

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string bytes) : bytes_(std::move(bytes)) {}
  ~Secret() { Wipe(); }
  Secret(Secret&& other) noexcept : bytes_(std::move(other.bytes_)) { other.Wipe(); }
  Secret& operator=(Secret&& other) noexcept;
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;

  std::string_view view() const { return bytes_; }
  size_t size() const { return bytes_.size(); }
  void Wipe();

 private:
  std::string bytes_;
};

// Loads a secret from exactly one of `file` (read through `fs`; one trailing "\n" or "\r\n" is dropped, as
// editors and `echo` add it) or the environment variable `env_name`. `what` names the secret in messages
// ("the hashing secret"). Refuses a missing source, an empty secret, or one shorter than `min_bytes`.
Result<Secret> LoadSecret(FileSystem& fs, const std::string& file, const std::string& env_name,
                          std::string_view what, size_t min_bytes = kMinSecretBytes);

}  // namespace matchguard
