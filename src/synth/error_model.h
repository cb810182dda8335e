// The rates of every error and variation the synthetic generator applies, and the counters that report
// how often each one happened. docs/synthetic-data.md lists the same numbers and says where they come from;
// change both together.
//
// Thread-safety: plain values.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace matchguard::synth {

// Rates are probabilities per record (or per record that can have the error, where said).
struct ErrorModel {
  double first_missing, first_typo, first_nickname /* of names that have a nickname */, names_swapped;
  double middle_missing, middle_initial_only;
  double last_missing, last_typo, marriage /* of women aged 20-70 */, move_with_marriage;
  double hyphen_part_dropped /* of hyphenated surnames */, punctuation_dropped /* of O'Brien, De León */;
  double accents_dropped /* of names written with accents */;
  double dob_missing, dob_day_month_swapped /* when the swap is a valid, different date */, dob_digit_typo;
  double dob_day_unknown /* recorded as the 1st */, dob_day_month_unknown /* recorded as 1 January */;
  double sex_missing, sex_wrong;
  double ssn_missing, ssn_digit_typo, ssn_transposition;
  double move, address_missing, street_typo, city_typo, zip_typo, zip_missing;
  double phone_missing, mbi_missing;
};

// The custodian's enrollment file: keyed carefully from documents, but with gaps.
inline constexpr ErrorModel kEnrollmentErrors = {
    .first_missing = 0.002, .first_typo = 0.005, .first_nickname = 0.03, .names_swapped = 0.001,
    .middle_missing = 0.35, .middle_initial_only = 0.25,
    .last_missing = 0.001, .last_typo = 0.005, .marriage = 0.0, .move_with_marriage = 0.0,
    .hyphen_part_dropped = 0.05, .punctuation_dropped = 0.05, .accents_dropped = 0.1,
    .dob_missing = 0.002, .dob_day_month_swapped = 0.002, .dob_digit_typo = 0.003,
    .dob_day_unknown = 0.002, .dob_day_month_unknown = 0.001,
    .sex_missing = 0.002, .sex_wrong = 0.001,
    .ssn_missing = 0.02, .ssn_digit_typo = 0.003, .ssn_transposition = 0.002,
    .move = 0.0, .address_missing = 0.005, .street_typo = 0.005, .city_typo = 0.002, .zip_typo = 0.003,
    .zip_missing = 0.003, .phone_missing = 0.2, .mbi_missing = 0.03,
};

// Another agency's list, keyed later and elsewhere: more typing errors, nicknames, surname changes, moves,
// and far fewer SSNs.
inline constexpr ErrorModel kOtherAgencyErrors = {
    .first_missing = 0.01, .first_typo = 0.03, .first_nickname = 0.08, .names_swapped = 0.005,
    .middle_missing = 1.0, .middle_initial_only = 0.0,
    .last_missing = 0.005, .last_typo = 0.03, .marriage = 0.06, .move_with_marriage = 0.8,
    .hyphen_part_dropped = 0.4, .punctuation_dropped = 0.5, .accents_dropped = 0.6,
    .dob_missing = 0.015, .dob_day_month_swapped = 0.01, .dob_digit_typo = 0.015,
    .dob_day_unknown = 0.01, .dob_day_month_unknown = 0.005,
    .sex_missing = 0.01, .sex_wrong = 0.003,
    .ssn_missing = 0.10, .ssn_digit_typo = 0.02, .ssn_transposition = 0.01,
    .move = 0.08, .address_missing = 0.02, .street_typo = 0.03, .city_typo = 0.01, .zip_typo = 0.01,
    .zip_missing = 0.01, .phone_missing = 1.0, .mbi_missing = 1.0,
};

// A duplicate record in one agency's own file (dedupe): keyed again at another visit.
inline constexpr ErrorModel kDuplicateErrors = {
    .first_missing = 0.01, .first_typo = 0.03, .first_nickname = 0.08, .names_swapped = 0.005,
    .middle_missing = 0.5, .middle_initial_only = 0.3,
    .last_missing = 0.005, .last_typo = 0.03, .marriage = 0.04, .move_with_marriage = 0.8,
    .hyphen_part_dropped = 0.4, .punctuation_dropped = 0.3, .accents_dropped = 0.5,
    .dob_missing = 0.01, .dob_day_month_swapped = 0.01, .dob_digit_typo = 0.015,
    .dob_day_unknown = 0.01, .dob_day_month_unknown = 0.005,
    .sex_missing = 0.01, .sex_wrong = 0.003,
    .ssn_missing = 0.08, .ssn_digit_typo = 0.02, .ssn_transposition = 0.01,
    .move = 0.08, .address_missing = 0.02, .street_typo = 0.03, .city_typo = 0.01, .zip_typo = 0.01,
    .zip_missing = 0.01, .phone_missing = 0.3, .mbi_missing = 0.1,
};

// Share of people who are relatives of another person, by kind (hard negatives), and the share of names
// drawn from syllables instead of the ranked lists (the long tail of rare names).
struct PopulationModel {
  double twin = 0.005;
  double parent_child = 0.005;
  double shared_ssn = 0.004;
  double same_name_and_dob = 0.003;
  double twin_same_initial = 0.3;    // of twins: first names share the initial (Jason and Justin)
  double rare_first_name = 0.08;
  double rare_surname = 0.30;
  double hyphenated_surname = 0.025;
  double writes_accents = 0.5;       // of people with an accented name
  double female = 0.52;
};
inline constexpr PopulationModel kPopulationModel{};

// Everything the generator counts. Keep kEventNames in the same order.
enum class Event : uint8_t {
  kFirstMissing, kFirstTypo, kFirstNickname, kNamesSwapped, kMiddleMissing, kMiddleInitialOnly,
  kLastMissing, kLastTypo, kSurnameChangedByMarriage, kHyphenPartDropped, kPunctuationDropped,
  kAccentsDropped, kDobMissing, kDobDayMonthSwapped, kDobDigitTypo, kDobDayUnknown, kDobDayMonthUnknown,
  kSexMissing, kSexWrong, kSsnMissing, kSsnDigitTypo, kSsnTransposition, kSsnOfRelative, kMove,
  kAddressMissing, kStreetTypo, kCityTypo, kZipTypo, kZipMissing, kPhoneMissing, kMbiMissing,
  kTypoSubstitution, kTypoInsertion, kTypoDeletion, kTypoTransposition,
  kCount,
};
inline constexpr size_t kEventCount = static_cast<size_t>(Event::kCount);
inline constexpr std::array<std::string_view, kEventCount> kEventNames = {
    "first_name_missing", "first_name_typo", "first_name_nickname", "first_last_swapped",
    "middle_name_missing", "middle_name_initial_only", "last_name_missing", "last_name_typo",
    "surname_changed_by_marriage", "hyphenated_surname_part_dropped", "name_punctuation_dropped",
    "accents_dropped", "dob_missing", "dob_day_month_swapped", "dob_digit_typo", "dob_day_unknown",
    "dob_day_and_month_unknown", "sex_missing", "sex_wrong", "ssn_missing", "ssn_digit_typo",
    "ssn_adjacent_transposition", "ssn_of_relative_used", "moved", "address_missing", "street_typo",
    "city_typo", "zip_typo", "zip_missing", "phone_missing", "mbi_missing", "typo_substitution",
    "typo_insertion", "typo_deletion", "typo_transposition",
};

struct Counts {
  std::array<uint64_t, kEventCount> events{};
  void Add(Event e) { ++events[static_cast<size_t>(e)]; }
  uint64_t operator[](Event e) const { return events[static_cast<size_t>(e)]; }
  Counts& operator+=(const Counts& other) {
    for (size_t i = 0; i < kEventCount; ++i) events[i] += other.events[i];
    return *this;
  }
};

}  // namespace matchguard::synth
