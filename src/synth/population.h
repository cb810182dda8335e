// The synthetic population: true people, the hard negatives among them, and the records two agencies keep
// about them, each with its own errors, all as a Profile (profile.h) describes them.
//
// Person p is a pure function of (seed, profile, p): its attributes come from Rng(seed, kPerson, p), so any
// record of any person can be rendered on any thread in any order. A person may be the RELATIVE of another
// (its anchor), a different person who looks alike:
//   - pairs (a profile without households, the agency's): a twin, a parent or child with the same name
//     (Jr/Sr), a relative who uses the anchor's SSN, or a stranger with the same name and date of birth.
//     Person p < num_left is a relative of p - 1 when its role draw says so and p - 1 is an ordinary
//     person; a right-only person is a relative of a random left person.
//   - households (the registry's): runs of consecutive people at one address, laid out in blocks of 64
//     person numbers (left and right-only people apart), so a person finds its household by walking its
//     block. The first person is the head; the second may be the head's spouse; the others are children
//     (some named after the head, some twins of the previous child, some using the head's SSN at the
//     other agency). A person living alone may instead be a relative elsewhere, or a stranger with the
//     same name and date of birth in the same city, of a random left person.
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
#include "src/synth/profile.h"
#include "src/synth/rng.h"

namespace matchguard::synth {

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

// Where a person stands in its household: the head is index 0; with `couple` index 1 is the head's spouse.
struct Household {
  uint64_t head = 0;
  uint32_t index = 0;
  uint32_t size = 1;
  bool couple = false;
};

struct Person {
  uint64_t id = 0;
  Household household;
  bool female = false;
  bool writes_accents = false;  // writes the accents of an accented name (José, not Jose)
  NameRef first;
  NameRef middle;
  NameRef last;
  NameRef last2;  // second part of a hyphenated surname
  bool hyphenated = false;
  bool has_maiden = false;  // a spouse who took the head's surname
  NameRef maiden;
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
  uint64_t anchor = 0;  // the relative's person id when relation != kNone
  bool anchor_in_household = false;
  uint32_t anchor_ssn = 0;  // for kSharedSsn: the SSN this person's other-agency records carry
  char generation = 0;      // for kParentChild: 'J' (the younger of the two) or 'S'
};

// What one agency recorded about a person, before formatting (empty string = missing).
struct Observed {
  std::string first, middle, last;
  Date dob;
  bool dob_missing = false;
  char sex = 0;     // 'M', 'F' or 0 when missing
  std::string ssn;  // nine digits or empty
  std::string house_number, street_name, street_suffix_word, street_suffix_abbreviation;
  bool suffix_dropped = false;   // the street written without its suffix ("1234 Oak")
  uint32_t city = 0;             // index into Tables::cities() (after any move)
  bool address_missing = false;  // house number and street blank
  std::string city_name;         // as written (may hold a typo)
  std::string zip;               // five digits or empty
  std::string phone;             // ten digits or empty
  std::string mbi;               // eleven characters or empty
  char generation = 0;           // 'J' or 'S' when the person is known as Jr or Sr
};

// Hard negatives: relatives by kind (people), and record pairs of different people that a naive join
// could link (across the two files for linkage, within the file for dedupe).
struct HardNegatives {
  std::array<uint64_t, kRelationCount> people{};
  std::array<uint64_t, kRelationCount> pairs{};
  HardNegatives& operator+=(const HardNegatives& other);
};

struct PopulationConfig {
  uint64_t seed = 42;
  uint64_t num_left = 0;             // people 0..num_left-1 are in the left (or dedupe) file
  uint64_t num_extra = 0;            // people num_left..num_left+num_extra-1 are only in the right file
  double overlap = 0.5;              // share of left people also in the right file
  const Profile* profile = nullptr;  // nullptr: the agency profile
};

class Population {
 public:
  explicit Population(const PopulationConfig& config);

  const PopulationConfig& config() const { return config_; }
  const Profile& profile() const { return profile_; }
  Person MakePerson(uint64_t id) const;
  // Whether left person `id` also appears in the right file.
  bool InRight(uint64_t id) const;

  // Observes `person` through `model`, drawing from `rng` and counting every error in `counts`.
  // `other_agency` makes a shared-SSN relative carry the anchor's SSN.
  void Observe(const Person& person, const ErrorModel& model, bool other_agency, Rng& rng, Counts* counts,
               Observed* out) const;

  // Counts the hard negatives `person` brings to a file: as a left record, as a right record, or as the
  // first record of a dedupe person (each relative once, each pair once).
  void CountLeft(const Person& person, HardNegatives* out) const;
  void CountRight(const Person& person, HardNegatives* out) const;
  void CountDedupe(const Person& person, HardNegatives* out) const;

  // Appends the true name (for tests and the twin rule).
  void AppendName(NameRef name, bool female, bool first_name, std::string* out) const;

 private:
  struct Role {
    Relation relation = Relation::kNone;
    uint64_t anchor = 0;
  };

  Person MakeBase(uint64_t id) const;
  Person MakeMember(uint64_t id, const Household& household) const;
  NameRef DrawFirstName(bool female, Rng& rng) const;
  NameRef DrawSurname(Rng& rng) const;
  Date DrawDate(Rng& rng) const;
  void DrawAddress(Rng& rng, Person* p) const;
  uint32_t SsnOf(uint64_t id) const;
  Relation DrawRelation(uint64_t id) const;

  // Pairs (no households).
  Relation LeftRelation(uint64_t id) const;
  Role PairRole(uint64_t id) const;
  // Households.
  Household HouseholdOf(uint64_t id) const;
  Role MemberRole(const Household& household, uint64_t id) const;
  Role OutsideRole(uint64_t id) const;
  Relation PairKind(const Household& household, uint64_t a, uint64_t b) const;
  void CountHouseholdPairs(const Person& person, uint64_t below, HardNegatives* out) const;

  void MakeRelative(Relation relation, const Person& anchor, int latest_birth_year, Person* person) const;
  void RedrawFirstNameUnlike(const Person& other, bool same_initial, Rng& rng, Person* p) const;
  void MakeFamilyHead(Person* person) const;
  void JoinHousehold(Role role, const Person& head, Person* person) const;
  void MakeSpouse(const Person& head, Rng& rng, Person* person) const;
  void RelateElsewhere(Role role, Person* person) const;

  void ObserveFirstName(const Person& person, const ErrorModel& model, Rng& rng, Counts* counts, Observed* out) const;
  bool ObserveSurname(const Person& person, const ErrorModel& model, Rng& rng, Counts* counts, Observed* out) const;
  void ObserveDob(const Person& person, const ErrorModel& model, Rng& rng, Counts* counts, Observed* out) const;
  void ObserveSsn(const Person& person, const ErrorModel& model, bool other_agency, Rng& rng, Counts* counts,
                  Observed* out) const;
  void ObserveAddress(const Person& person, const ErrorModel& model, bool moved, Rng& rng, Counts* counts,
                      Observed* out) const;
  bool MovedWithHousehold(const Person& person, const ErrorModel& model, Person* where) const;

  PopulationConfig config_;
  const Profile& profile_;
  Sampling sampling_;
  uint64_t ssn_multiplier_;
  uint64_t ssn_offset_;
};

}  // namespace matchguard::synth
