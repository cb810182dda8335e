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

// Rates are probabilities per record (or per record that can have the error, where said). The fields after
// `mbi_missing` are used by the registry profile only; a rate of 0 draws nothing, so adding one never
// changes another profile's bytes.
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
  // OCR of a paper form (rn/m, l/I, 0/O, 5/S), a name spelled as it sounds (ph/f, ck/k, y/ie), a name cut short.
  double first_ocr = 0, last_ocr = 0, first_phonetic = 0, last_phonetic = 0;
  double first_truncated = 0, last_truncated = 0;
  double dob_digits_transposed = 0 /* two adjacent digits of YYYYMMDD */, dob_year_wrong = 0 /* +-1 or +-10 */;
  double ssn_ocr_digit = 0 /* a digit read as its look-alike: 1/7, 3/8, 5/6 */, ssn_masked = 0 /* XXX-XX-1234 */;
  double street_suffix_dropped = 0, zip_other_in_zip3 = 0 /* another ZIP of the same area */;
};

// The rate tables keep one line per group of fields, so they read as tables.
// clang-format off

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

// The registry profile (docs/synthetic-data.md says why each rate differs from the agency's).
// A state registry's client file, keyed by clinic clerks from what the person says: more nicknames and
// sound-alike spellings than the agency's enrollment, dates defaulted to 1 January, fewer SSNs.
inline constexpr ErrorModel kRegistryClientErrors = {
    .first_missing = 0.005, .first_typo = 0.01, .first_nickname = 0.06, .names_swapped = 0.003,
    .middle_missing = 0.5, .middle_initial_only = 0.5,
    .last_missing = 0.002, .last_typo = 0.01, .marriage = 0.0, .move_with_marriage = 0.0,
    .hyphen_part_dropped = 0.3, .punctuation_dropped = 0.3, .accents_dropped = 0.0,
    .dob_missing = 0.003, .dob_day_month_swapped = 0.005, .dob_digit_typo = 0.005,
    .dob_day_unknown = 0.002, .dob_day_month_unknown = 0.01,
    .sex_missing = 0.01, .sex_wrong = 0.002,
    .ssn_missing = 0.15, .ssn_digit_typo = 0.005, .ssn_transposition = 0.003,
    .move = 0.0, .address_missing = 0.01, .street_typo = 0.01, .city_typo = 0.005, .zip_typo = 0.005,
    .zip_missing = 0.005, .phone_missing = 0.3, .mbi_missing = 1.0,
    .first_phonetic = 0.01, .last_phonetic = 0.01,
    .dob_digits_transposed = 0.003, .dob_year_wrong = 0.003,
    .street_suffix_dropped = 0.05, .zip_other_in_zip3 = 0.01,
};

// A county roll transcribed from scanned paper forms: OCR confusions, sound-alike and truncated names,
// transposed and defaulted dates, a third of SSNs missing or masked, whole households that moved.
inline constexpr ErrorModel kRegistryRollErrors = {
    .first_missing = 0.015, .first_typo = 0.015, .first_nickname = 0.12, .names_swapped = 0.015,
    .middle_missing = 0.4, .middle_initial_only = 0.7,
    .last_missing = 0.008, .last_typo = 0.015, .marriage = 0.08, .move_with_marriage = 0.5,
    .hyphen_part_dropped = 0.5, .punctuation_dropped = 0.6, .accents_dropped = 0.7,
    .dob_missing = 0.02, .dob_day_month_swapped = 0.02, .dob_digit_typo = 0.01,
    .dob_day_unknown = 0.005, .dob_day_month_unknown = 0.03,
    .sex_missing = 0.03, .sex_wrong = 0.005,
    .ssn_missing = 0.30, .ssn_digit_typo = 0.01, .ssn_transposition = 0.015,
    .move = 0.12, .address_missing = 0.04, .street_typo = 0.02, .city_typo = 0.02, .zip_typo = 0.015,
    .zip_missing = 0.02, .phone_missing = 0.5, .mbi_missing = 1.0,
    .first_ocr = 0.03, .last_ocr = 0.03, .first_phonetic = 0.02, .last_phonetic = 0.025,
    .first_truncated = 0.01, .last_truncated = 0.015,
    .dob_digits_transposed = 0.015, .dob_year_wrong = 0.015,
    .ssn_ocr_digit = 0.02, .ssn_masked = 0.05,
    .street_suffix_dropped = 0.15, .zip_other_in_zip3 = 0.03,
};

// A second registration of one client at another clinic (dedupe).
inline constexpr ErrorModel kRegistryDuplicateErrors = {
    .first_missing = 0.01, .first_typo = 0.02, .first_nickname = 0.1, .names_swapped = 0.008,
    .middle_missing = 0.6, .middle_initial_only = 0.5,
    .last_missing = 0.005, .last_typo = 0.02, .marriage = 0.05, .move_with_marriage = 0.5,
    .hyphen_part_dropped = 0.4, .punctuation_dropped = 0.4, .accents_dropped = 0.0,
    .dob_missing = 0.01, .dob_day_month_swapped = 0.015, .dob_digit_typo = 0.01,
    .dob_day_unknown = 0.005, .dob_day_month_unknown = 0.02,
    .sex_missing = 0.02, .sex_wrong = 0.004,
    .ssn_missing = 0.25, .ssn_digit_typo = 0.01, .ssn_transposition = 0.01,
    .move = 0.12, .address_missing = 0.03, .street_typo = 0.02, .city_typo = 0.01, .zip_typo = 0.01,
    .zip_missing = 0.01, .phone_missing = 0.4, .mbi_missing = 1.0,
    .first_phonetic = 0.02, .last_phonetic = 0.02, .first_truncated = 0.005, .last_truncated = 0.005,
    .dob_digits_transposed = 0.01, .dob_year_wrong = 0.01,
    .ssn_ocr_digit = 0.0, .ssn_masked = 0.02,
    .street_suffix_dropped = 0.1, .zip_other_in_zip3 = 0.02,
};

// clang-format on

// Share of people who are relatives of another person, by kind (hard negatives), and the share of names
// drawn from syllables instead of the ranked lists (the long tail of rare names). In a profile with
// households the four relative rates are shares of the people who live alone (see profile.h).
struct PopulationModel {
  double twin = 0.005;
  double parent_child = 0.005;
  double shared_ssn = 0.004;
  double same_name_and_dob = 0.003;
  double twin_same_initial = 0.3;  // of twins: first names share the initial (Jason and Justin)
  double rare_first_name = 0.08;
  double rare_surname = 0.30;
  double hyphenated_surname = 0.025;
  double writes_accents = 0.5;  // of people with an accented name
  double female = 0.52;
  int earliest_birth_year = 1925;  // dates of birth are uniform over these years
  int latest_birth_year = 2008;
};
inline constexpr PopulationModel kPopulationModel{};

// Everything the generator counts. Keep kEventNames in the same order; new kinds go at the end (a profile
// reports only the kinds it can produce, so the agency profile's summary keeps its bytes).
// clang-format off
enum class Event : uint8_t {
  kFirstMissing, kFirstTypo, kFirstNickname, kNamesSwapped, kMiddleMissing, kMiddleInitialOnly,
  kLastMissing, kLastTypo, kSurnameChangedByMarriage, kHyphenPartDropped, kPunctuationDropped,
  kAccentsDropped, kDobMissing, kDobDayMonthSwapped, kDobDigitTypo, kDobDayUnknown, kDobDayMonthUnknown,
  kSexMissing, kSexWrong, kSsnMissing, kSsnDigitTypo, kSsnTransposition, kSsnOfRelative, kMove,
  kAddressMissing, kStreetTypo, kCityTypo, kZipTypo, kZipMissing, kPhoneMissing, kMbiMissing,
  kTypoSubstitution, kTypoInsertion, kTypoDeletion, kTypoTransposition,
  kFirstOcr, kLastOcr, kFirstPhonetic, kLastPhonetic, kFirstTruncated, kLastTruncated,
  kDobDigitsTransposed, kDobYearWrong, kSsnOcrDigit, kSsnMasked, kStreetSuffixDropped, kZipOtherInZip3,
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
    "typo_insertion", "typo_deletion", "typo_transposition", "first_name_ocr_confusion",
    "last_name_ocr_confusion", "first_name_phonetic", "last_name_phonetic", "first_name_truncated",
    "last_name_truncated", "dob_digits_transposed", "dob_year_wrong", "ssn_ocr_digit", "ssn_masked",
    "street_suffix_dropped", "zip_other_in_zip3",
};
// clang-format on

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
