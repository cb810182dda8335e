// Fuzzes the audit log reader and the proof checker: any bytes must verify or fail with a message, never
// crash, hang or be accepted without a valid signature.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "src/audit/log.h"

namespace {

const matchguard::Ed25519KeyPair& Key() {
  static const matchguard::Ed25519KeyPair key = *matchguard::GenerateEd25519KeyPair();
  return key;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = matchguard::ParseLog(text, "fuzz.log");
  if (!parsed.has_value() && parsed.error().message().empty()) __builtin_trap();
  // A fresh key signed nothing in the input, so nothing with a checkpoint can verify.
  auto verified = matchguard::VerifyLog(text, "fuzz.log", Key().public_pem);
  if (verified.has_value() || verified.error().message().empty()) __builtin_trap();
  if (parsed.has_value() && !parsed->checkpoints.empty()) {
    auto proof = matchguard::ProveInclusion(text, "fuzz.log", 0);
    if (!proof.has_value() && proof.error().message().empty()) __builtin_trap();
  }
  auto proof = matchguard::VerifyInclusionProof(text, "fuzz.json", Key().public_pem);
  if (proof.has_value() || proof.error().message().empty()) __builtin_trap();
  return 0;
}
