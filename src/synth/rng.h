// A small counter-based random source for the synthetic generator.
//
// Every random choice about person p is drawn from Rng(seed, stream, p): the stream says what the draws are
// for (the person's attributes, the errors of one copy, the claims), so the values of one person never
// depend on another person, on the order of generation or on thread scheduling. Same seed, same bytes.
// SplitMix64 (Steele, Lea and Flood 2014) passes BigCrush and needs one add and three mixes per draw.
//
// Thread-safety: an Rng belongs to one thread; constructing many is cheap (no shared state).
#pragma once

#include <cstdint>

#include "src/core/hash.h"

namespace matchguard::synth {

using ::matchguard::kSplitMixGamma;
using ::matchguard::Mix64;

// What a sequence of draws is for; each person has an independent sequence per stream.
enum class Stream : uint64_t {
  kRole = 1,            // whether a person is a relative of another (a hard negative)
  kPerson = 2,          // true attributes
  kLeft = 3,            // errors of the left (enrollment) record
  kRight = 4,           // errors of the right (other agency) record
  kMembership = 5,      // whether a left person is in the right file
  kOrder = 6,           // position in a shuffled file
  kClaims = 7,          // claim rows
  kCopies = 8,          // duplicates in a dedupe file
  kAnchor = 9,          // which person a right-only relative belongs to
  kHousehold = 10,      // household sizes of a block of people (profiles with households)
  kHouseholdMove = 11,  // whether a household moved, and where to
};

__extension__ typedef unsigned __int128 Uint128;  // __extension__: -Wpedantic accepts it

class Rng {
 public:
  Rng(uint64_t seed, Stream stream, uint64_t index, uint64_t copy = 0)
      : state_(Mix64(Mix64(seed ^ (static_cast<uint64_t>(stream) << 56)) + Mix64(index) + copy * kSplitMixGamma)) {}

  uint64_t Next() {
    state_ += kSplitMixGamma;
    return Mix64(state_);
  }
  // Uniform in [0, n); n > 0. Lemire's multiply-shift (bias below 2^-32 for our n, which is fine here).
  uint64_t Below(uint64_t n) { return static_cast<uint64_t>((static_cast<Uint128>(Next()) * n) >> 64); }
  // Uniform in [lo, hi].
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo + 1)));
  }
  // Uniform in [0, 1).
  double Real() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Real() < p; }

 private:
  uint64_t state_;
};

}  // namespace matchguard::synth
