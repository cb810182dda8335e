// The word lists the synthetic generator draws from, with the frequency models of streets, suffixes and
// procedures (names and cities are drawn as each profile says: profile.h).
//
// First names (by sex), surnames, street names, cities (with state, ZIP prefix and telephone area code) and
// Medicare procedure codes were written for matchguard from general knowledge of US frequency rankings (the
// order of each list is its rank). A draw picks rank r with weight 1 / (r + offset)^exponent (a Zipf-like
// law), so "Smith" and "James" are far more common than "Yoder" and "Otis". Nicknames and street suffixes come
// from the normalize layer's tables (names.h), so the generator and the matcher share one vocabulary.
//
// Thread-safety: Tables::Get() builds the tables once (thread-safe static) and they are immutable after.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "src/synth/rng.h"

namespace matchguard::synth {

// Samples ranks 0..n-1 with weight 1 / (rank + offset)^exponent.
class ZipfSampler {
 public:
  ZipfSampler() = default;
  ZipfSampler(size_t n, double offset, double exponent);
  size_t Sample(Rng& rng) const;
  size_t size() const { return cumulative_.size(); }
  // Probability of one rank (for tests and documentation).
  double Probability(size_t rank) const;

 private:
  std::vector<double> cumulative_;  // normalised, last == 1
};

struct City {
  std::string_view name;
  std::string_view state;
  std::string_view zip3;
  std::string_view area_code;
};

struct Procedure {
  std::string_view code;  // HCPCS / CPT
  double typical_paid;    // typical Medicare payment in dollars
};

// A first name with the nicknames people use for it (from NicknamePairs(), title-cased).
struct FirstName {
  std::string name;  // as written by its bearer, possibly accented ("José")
  std::vector<std::string> nicknames;
};

struct StreetSuffixChoice {
  std::string word;          // "Street"
  std::string abbreviation;  // "St"
};

class Tables {
 public:
  static const Tables& Get();

  const std::vector<FirstName>& first_names(bool female) const { return female ? female_ : male_; }
  const std::vector<std::string>& surnames() const { return surnames_; }
  const std::vector<std::string>& street_names() const { return streets_; }
  const ZipfSampler& street_sampler() const { return street_zipf_; }
  const std::vector<StreetSuffixChoice>& suffixes() const { return suffixes_; }
  const ZipfSampler& suffix_sampler() const { return suffix_zipf_; }
  std::span<const City> cities() const;
  std::span<const Procedure> procedures() const;
  const ZipfSampler& procedure_sampler() const { return procedure_zipf_; }

 private:
  Tables();

  std::vector<FirstName> male_;
  std::vector<FirstName> female_;
  std::vector<std::string> surnames_;
  std::vector<std::string> streets_;
  std::vector<StreetSuffixChoice> suffixes_;
  ZipfSampler street_zipf_, suffix_zipf_, procedure_zipf_;
};

// Text helpers for names that may hold Latin-1 accented letters (UTF-8 C3 xx).
bool HasAccent(std::string_view text);
// Appends `text` with accents removed ("Núñez" -> "Nunez"), case kept.
void AppendWithoutAccents(std::string* out, std::string_view text);
// Appends `text` in upper case, accented Latin-1 letters included ("José" -> "JOSÉ").
void AppendUpper(std::string* out, std::string_view text);

}  // namespace matchguard::synth
