#include "src/encode/secret.h"

#include <openssl/crypto.h>

#include <cstdlib>

#include "src/core/private_files.h"

namespace matchguard {

Secret& Secret::operator=(Secret&& other) noexcept {
  if (this != &other) {
    Wipe();
    bytes_ = std::move(other.bytes_);
    other.Wipe();
  }
  return *this;
}

void Secret::Wipe() {
  // Wipe the whole allocation, not just the current size, in case the string shrank.
  bytes_.resize(bytes_.capacity());
  OPENSSL_cleanse(bytes_.data(), bytes_.size());
  bytes_.clear();
}

Result<Secret> LoadSecret(FileSystem& fs, const std::string& file, const std::string& env_name,
                          std::string_view what, size_t min_bytes) {
  std::string label(what);
  if (!file.empty() && !env_name.empty()) {
    return Error(Status::InvalidArgument("give " + label + " either as a file or as an environment variable, not both"));
  }
  Secret secret;
  std::string source;
  if (!file.empty()) {
    source = "file " + file;
    // Whoever can read the secret can encode, link and re-identify: refused as ssh refuses a loose key.
    MG_RETURN_IF_ERROR(CheckNotReadableByOthers(file, label));
    auto data = fs.ReadFile(file);
    if (!data) {
      return Error(Status(data.error().code(), "cannot read " + label + " from " + source + ": " +
                                                   data.error().message()));
    }
    std::string bytes = std::move(data).value();
    if (!bytes.empty() && bytes.back() == '\n') {
      bytes.pop_back();
      if (!bytes.empty() && bytes.back() == '\r') bytes.pop_back();
    }
    secret = Secret(std::move(bytes));
  } else if (!env_name.empty()) {
    source = "environment variable " + env_name;
    const char* value = std::getenv(env_name.c_str());
    if (value == nullptr) {
      return Error(Status::InvalidArgument("cannot read " + label + ": " + source + " is not set"));
    }
    secret = Secret(std::string(value));
  } else {
    return Error(Status::InvalidArgument(label + " is required (--secret-file PATH or --secret-env NAME; "
                                         "secrets are never taken from the command line)"));
  }
  if (secret.size() == 0) return Error(Status::InvalidArgument(label + " from " + source + " is empty"));
  if (secret.size() < min_bytes) {
    return Error(Status::InvalidArgument(label + " from " + source + " is too short: " +
                                         std::to_string(secret.size()) + " bytes, at least " +
                                         std::to_string(min_bytes) + " are required"));
  }
  return secret;
}

}  // namespace matchguard
