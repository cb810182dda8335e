// A synthetic-data profile: everything that makes one generator's people, errors and files differ from
// another's, as plain values, so that every profile runs through one code path (population.h renders
// people from a Profile, layout.h writes its files).
//
//   agency:   the original model, on which the linker was tuned (docs/synthetic-data.md, first part).
//   registry: designed independently, to test the linker on data it was not tuned on: names concentrated
//             on the common ones, most people in a few dense metro areas, households at one address
//             (spouses, children, Jr, twins, a child using a parent's SSN), OCR and phonetic errors, other
//             headers and formats (docs/synthetic-data.md, "The registry profile").
//
// Sampling turns a profile's distributions into samplers; it is built once per Population.
//
// Thread-safety: profiles are immutable statics; a Sampling is immutable after construction.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "src/synth/error_model.h"
#include "src/synth/layout.h"
#include "src/synth/rng.h"
#include "src/synth/tables.h"

namespace matchguard::synth {

// How a person relates to another person who is not the same person (a hard negative). kSibling only
// describes pairs (two children of one household); no person has it as their own relation.
enum class Relation : uint8_t {
  kNone,
  kTwin,
  kParentChild,
  kSharedSsn,
  kSameNameAndDob,
  kSpouse,
  kChild,
  kSibling,
  kCount
};
inline constexpr size_t kRelationCount = static_cast<size_t>(Relation::kCount);
// Summary names: "twins", "parent_child_same_name", ...
std::string_view RelationName(Relation relation);

// A Zipf law over a ranked table: rank r is drawn with weight 1 / (r + offset)^exponent, after the table is
// re-ranked by `rerank_spread` (0 keeps the table's order; s moves each name's log-rank by up to +-s/2, a
// fixed reordering that is a property of the profile, not of the seed).
struct RankModel {
  double offset = 1;
  double exponent = 1;
  double rerank_spread = 0;
};

struct NameModel {
  RankModel male_first, female_first, surname;
};

// A dense metro area: a city of tables.cc and its share of all people.
struct Metro {
  std::string_view city;
  double share;
};

struct GeographyModel {
  RankModel city;                 // everyone outside the metros: a city by population rank
  std::span<const Metro> metros;  // empty: no metros, ZIPs uniform over the city's ZIP3
  int zips_per_metro = 0;         // ZIP codes of a metro (its ZIP3 and 01, 02, ...), Zipf 1 / (k + 1)^zip_exponent
  double zip_exponent = 0;
};

// Households: runs of consecutive people at one address. With max_size 1 (the agency profile) there are
// none, and relatives come in pairs (PopulationModel) instead.
struct HouseholdModel {
  std::array<double, 6> size_share = {1.0};  // of households: 1, 2, ..., 6 people
  double couple = 0;                         // of households of 2 or more: the second person is the first one's spouse
  double twin = 0;                           // of children after the first: the previous child's twin
  double junior = 0;                         // of children: named after the head (Jr)
  double shared_ssn = 0;                     // of children: uses the head's SSN at the other agency
  int first_parent_birth_year = 0, last_parent_birth_year = 0;  // heads of households of 2 or more
  int latest_child_birth_year = 0;
  int max_spouse_age_gap = 0;
  int min_parent_age_gap = 0, max_parent_age_gap = 0;

  bool enabled() const { return size_share[0] < 1.0; }
};

struct Profile {
  std::string_view name;
  PopulationModel population;
  NameModel names;
  GeographyModel geography;
  HouseholdModel households;
  ErrorModel left_errors, right_errors, duplicate_errors;
  FileLayout left, right;  // a dedupe file has the left layout
  char dedupe_id_prefix;
  bool claims;                          // has a claims layout (--claims)
  std::span<const Event> events;        // the error kinds it reports, in summary order
  std::span<const Relation> relations;  // the hard-negative kinds it reports
};

const Profile& AgencyProfile();
const Profile& RegistryProfile();
// nullptr for an unknown name.
const Profile* FindProfile(std::string_view name);
// "agency, registry" (for messages).
std::string_view ProfileNames();

// The samplers of a profile's distributions.
class Sampling {
 public:
  explicit Sampling(const Profile& profile);

  // Indexes into Tables' lists.
  uint32_t FirstName(bool female, Rng& rng) const;
  uint32_t Surname(Rng& rng) const;
  uint32_t City(Rng& rng) const;
  // The last two digits of a ZIP in `city`: one of its metro's ZIPs, or uniform.
  uint32_t ZipTail(uint32_t city, Rng& rng) const;
  // 1 to 6 people.
  uint32_t HouseholdSize(Rng& rng) const;

  // Probability that a person drawn from the list gets the table entry at `index` (for tests and docs).
  double FirstNameShare(bool female, uint32_t index) const;
  double SurnameShare(uint32_t index) const;

 private:
  struct Ranked {
    ZipfSampler sampler;
    std::vector<uint32_t> order;  // rank -> table index
    uint32_t Sample(Rng& rng) const { return order[sampler.Sample(rng)]; }
    double Share(uint32_t index) const;
  };
  static Ranked MakeRanked(size_t size, const RankModel& model, uint64_t key);

  Ranked male_, female_, surname_, city_;
  ZipfSampler metro_zip_;
  std::vector<uint32_t> metro_city_;  // metro -> city index
  std::vector<int> metro_of_city_;    // city index -> metro, or -1
  std::vector<double> metro_cumulative_;
  std::vector<double> household_cumulative_;
};

}  // namespace matchguard::synth
