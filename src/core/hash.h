// Non-cryptographic 64-bit mixing shared by seeded generators (synthetic data, BLIP noise) and hash keys
// (blocking). For anything an adversary may choose or see, use OpenSSL instead.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>

namespace matchguard {

// The SplitMix64 finaliser (Steele, Lea and Flood 2014): a bijection that spreads every input bit over
// the whole output.
constexpr uint64_t Mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// The SplitMix64 increment (2^64 / golden ratio): successive states Mix64(s += kSplitMixGamma).
inline constexpr uint64_t kSplitMixGamma = 0x9e3779b97f4a7c15ULL;

}  // namespace matchguard
