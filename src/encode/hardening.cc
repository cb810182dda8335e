#include "src/encode/hardening.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cmath>
#include <cstring>

namespace matchguard {

uint64_t Rng::Below(uint64_t n) {
  uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t v = Next();
  while (v >= limit) v = Next();
  return v % n;
}

BalancedPermutation::BalancedPermutation(std::string_view secret, uint32_t bits) {
  static constexpr std::string_view kLabel = "matchguard balanced bloom filter permutation v1";
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(kLabel.data()), kLabel.size(), mac, &mac_len);
  uint64_t seed = 0;
  std::memcpy(&seed, mac, sizeof seed);
  Rng rng(seed);
  target_.resize(2 * static_cast<size_t>(bits));
  for (uint32_t i = 0; i < target_.size(); ++i) target_[i] = i;
  for (size_t i = target_.size() - 1; i > 0; --i) std::swap(target_[i], target_[rng.Below(i + 1)]);
}

ClkSet BalancedPermutation::Apply(const ClkSet& in) const {
  ClkSet out;
  out.Resize(2 * in.bits, in.count);
  out.ids = in.ids;
  for (size_t r = 0; r < in.count; ++r) {
    uint8_t* dst = out.mutable_row(r);
    for (uint32_t j = 0; j < 2 * in.bits; ++j) {
      bool bit = j < in.bits ? in.GetBit(r, j) : !in.GetBit(r, j - in.bits);
      if (bit) dst[target_[j] >> 3] |= static_cast<uint8_t>(0x80u >> (target_[j] & 7));
    }
  }
  return out;
}

double BlipFlipProbability(double epsilon) { return 1.0 / (1.0 + std::exp(epsilon)); }

void ApplyBlip(ClkSet* set, double epsilon, uint64_t seed) {
  double p = BlipFlipProbability(epsilon);
  Rng rng(seed);
  for (size_t r = 0; r < set->count; ++r) {
    uint8_t* row = set->mutable_row(r);
    for (uint32_t j = 0; j < set->bits; ++j) {
      if (rng.Unit() < p) row[j >> 3] ^= static_cast<uint8_t>(0x80u >> (j & 7));
    }
  }
}

}  // namespace matchguard
