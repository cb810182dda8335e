// The synthetic population: true people, the hard negatives among them, and the records two agencies keep
// about them, each with its own errors.
//
// Person p is a pure function of (seed, p): its attributes come from Rng(seed, kPerson, p), so any record of
// any person can be rendered on any thread in any order. A person may be the RELATIVE of another (its
// anchor): a twin, a parent or child with the same name (Jr/Sr), a relative who uses the anchor's SSN, or a
// stranger with the same name and date of birth. Person p < num_left is a relative of p - 1 when its role
// draw says so and p - 1 is an ordinary person; a right-only person is a relative of a random left person.
//
// Records are "observed" from the truth through an ErrorModel (the rates live in error_model.h and are
// documented in docs/synthetic-data.md) and counted per error kind in Counts.
//
// Thread-safety: Population is immutable after construction; each thread renders with its own buffers and
// Counts.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "src/synth/error_model.h"
#include "src/synth/rng.h"

namespace matchguard::synth {

enum class Relation : uint8_t { kNone, kTwin, kParentChild, kSharedSsn, kSameNameAndDob };

struct Date {
  int year = 0;
  int month = 0;
  int day = 0;
};
bool IsValidDate(int year, int month, int day);
// Appends the last `width` decimal digits of `value`, zero-padded ("007").
void AppendZeroPadded(std::string* out, uint64_t value, int width);

// A name from a ranked table, or a rare name built from syllables (`synthetic`, identified by `value`).
struct NameRef {
  uint32_t value = 0;
  bool synthetic = false;
};

struct Person {
  uint64_t id = 0;
  bool female = false;
  bool writes_accents = false;  // writes the accents of an accented name (José, not Jose)
  NameRef first;
  NameRef middle;
  NameRef last;
  NameRef last2;  // second part of a hyphenated surname
  bool hyphenated = false;
  Date dob;
  uint32_t ssn = 0;  // nine digits
  uint32_t house_number = 0;
  uint32_t street = 0;
  uint32_t suffix = 0;
  uint32_t city = 0;
  uint32_t zip_tail = 0;  // last two digits of the ZIP
  uint32_t phone = 0;     // seven digits after the area code
  std::array<char, 11> mbi{};
  Relation relation = Relation::kNone;
  uint64_t anchor = 0;       // the relative's person id when relation != kNone
  uint32_t anchor_ssn = 0;   // for kSharedSsn: the SSN this person's other-agency records carry
};

// What one agency recorded about a person, before formatting (empty string = missing).
struct Observed {
  std::string first, middle, last;
  Date dob;
  bool dob_missing = false;
  char sex = 0;  // 'M', 'F' or 0 when missing
  std::string ssn;  // nine digits or empty
  std::string house_number, street_name, street_suffix_word, street_suffix_abbreviation;
  uint32_t city = 0;        // index into Tables::cities() (after any move)
  bool address_missing = false;  // house number and street blank
  std::string city_name;  // as written (may hold a typo)
  std::string zip;        // five digits or empty
  std::string phone;      // ten digits or empty
  std::string mbi;        // eleven characters or empty
};

struct PopulationConfig {
  uint64_t seed = 42;
  uint64_t num_left = 0;   // people 0..num_left-1 are in the left (or dedupe) file
  uint64_t num_extra = 0;  // people num_left..num_left+num_extra-1 are only in the right file
  double overlap = 0.5;    // share of left people also in the right file
};

class Population {
 public:
  explicit Population(const PopulationConfig& config);

  const PopulationConfig& config() const { return config_; }
  Person MakePerson(uint64_t id) const;
  // Whether left person `id` also appears in the right file.
  bool InRight(uint64_t id) const;
  // The relation person `id` would have as a left person next to `id - 1` (kNone for an ordinary person).
  Relation LeftRelation(uint64_t id) const;

  // Observes `person` through `model`, drawing from `rng` and counting every error in `counts`.
  // `other_agency` makes a shared-SSN relative carry the anchor's SSN.
  void Observe(const Person& person, const ErrorModel& model, bool other_agency, Rng& rng, Counts* counts,
               Observed* out) const;

  // Appends the true name (for tests and the twin rule).
  void AppendName(NameRef name, bool female, bool first_name, std::string* out) const;

 private:
  Person MakeBase(uint64_t id) const;
  Relation RoleOf(uint64_t id) const;
  uint32_t SsnOf(uint64_t id) const;
  void MakeRelative(Relation relation, const Person& anchor, Person* person) const;
  void ObserveDob(const Person& person, const ErrorModel& model, Rng& rng, Counts* counts, Observed* out) const;
  void ObserveAddress(const Person& person, const ErrorModel& model, bool moved, Rng& rng, Counts* counts,
                      Observed* out) const;

  PopulationConfig config_;
  uint64_t ssn_multiplier_;
  uint64_t ssn_offset_;
};

}  // namespace matchguard::synth
