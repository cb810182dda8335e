#include "src/synth/profile.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "src/normalize/fields.h"

namespace matchguard::synth {
namespace {

TEST(ProfileTest, ProfilesAreFoundByName) {
  EXPECT_EQ(FindProfile("agency"), &AgencyProfile());
  EXPECT_EQ(FindProfile("registry"), &RegistryProfile());
  EXPECT_EQ(FindProfile("Registry"), nullptr);
  EXPECT_EQ(FindProfile(""), nullptr);
  EXPECT_TRUE(AgencyProfile().claims);
  EXPECT_FALSE(RegistryProfile().claims);
  EXPECT_FALSE(AgencyProfile().households.enabled());
  EXPECT_TRUE(RegistryProfile().households.enabled());
}

TEST(ProfileTest, AgencyNamesKeepTheirUsShares) {
  Sampling s(AgencyProfile());
  // James is 2-5% of men drawn from the list, Smith about 1-2% of surnames, in table order.
  EXPECT_GT(s.FirstNameShare(false, 0), 0.02);
  EXPECT_LT(s.FirstNameShare(false, 0), 0.05);
  EXPECT_GT(s.SurnameShare(0), 0.01);
  EXPECT_LT(s.SurnameShare(0), 0.03);
  EXPECT_GT(s.SurnameShare(0), s.SurnameShare(1));
}

// The registry's names are far more concentrated, and its ranking is its own.
TEST(ProfileTest, RegistryNamesAreConcentratedAndRankedDifferently) {
  Sampling agency(AgencyProfile());
  Sampling registry(RegistryProfile());
  const Tables& t = Tables::Get();
  auto top = [&](const Sampling& s, bool female, size_t k) {
    std::vector<double> shares;
    for (uint32_t i = 0; i < t.first_names(female).size(); ++i) shares.push_back(s.FirstNameShare(female, i));
    std::sort(shares.rbegin(), shares.rend());
    double sum = 0;
    for (size_t i = 0; i < k; ++i) sum += shares[i];
    return sum;
  };
  EXPECT_GT(top(registry, false, 1), 2 * top(agency, false, 1));
  EXPECT_GT(top(registry, false, 10), 0.35);
  EXPECT_LT(top(agency, false, 10), 0.26);
  double registry_top_surname = 0;
  uint32_t registry_top_index = 0;
  for (uint32_t i = 0; i < t.surnames().size(); ++i) {
    if (registry.SurnameShare(i) > registry_top_surname) {
      registry_top_surname = registry.SurnameShare(i);
      registry_top_index = i;
    }
  }
  EXPECT_GT(registry_top_surname, 0.035);
  EXPECT_LT(registry_top_index, 15u);  // a common name, not necessarily Smith
  // The ranking moved: some of the agency's top ten are not in the same place.
  int moved = 0;
  for (uint32_t i = 0; i < 10; ++i) moved += registry.SurnameShare(i) < registry.SurnameShare(i + 1) ? 1 : 0;
  EXPECT_GT(moved, 0);
}

TEST(ProfileTest, RegistryPeopleLiveMostlyInAFewMetroZips) {
  Sampling registry(RegistryProfile());
  Sampling agency(AgencyProfile());
  const Tables& t = Tables::Get();
  std::map<std::string, int> zip3;
  std::set<std::string> metro_zips;
  Rng rng(3, Stream::kPerson, 0);
  constexpr int kDraws = 100000;
  for (int i = 0; i < kDraws; ++i) {
    uint32_t city = registry.City(rng);
    uint32_t tail = registry.ZipTail(city, rng);
    ++zip3[std::string(t.cities()[city].zip3)];
    if (t.cities()[city].zip3 == "100") metro_zips.insert(std::to_string(tail));
  }
  EXPECT_NEAR(zip3["100"] / static_cast<double>(kDraws), 0.30 + 0.15 * 0.116, 0.01);  // New York
  int metros = zip3["100"] + zip3["900"] + zip3["606"] + zip3["770"] + zip3["331"] + zip3["021"];
  EXPECT_GT(metros / static_cast<double>(kDraws), 0.85);
  EXPECT_EQ(metro_zips.size(), 10u);  // several ZIP codes, always the same ones
  // The agency spreads people over every city and 100 ZIPs each.
  std::map<std::string, int> agency_zip3;
  for (int i = 0; i < kDraws; ++i) ++agency_zip3[std::string(t.cities()[agency.City(rng)].zip3)];
  EXPECT_LT(agency_zip3["100"] / static_cast<double>(kDraws), 0.15);
}

TEST(ProfileTest, HouseholdSizesFollowTheModel) {
  Sampling registry(RegistryProfile());
  Rng rng(5, Stream::kHousehold, 0);
  std::map<uint32_t, int> sizes;
  for (int i = 0; i < 100000; ++i) ++sizes[registry.HouseholdSize(rng)];
  const auto& shares = RegistryProfile().households.size_share;
  for (uint32_t size = 1; size <= 6; ++size) EXPECT_NEAR(sizes[size] / 100000.0, shares[size - 1], 0.005) << size;
}

// Every column of every layout is detected as the field it holds, so linkage needs no configuration.
TEST(ProfileTest, EveryHeaderIsDetectedAsItsField) {
  auto expected = [](ColumnFormat f) {
    switch (f) {
      case ColumnFormat::kFirstName:
        return FieldKind::kFirstName;
      case ColumnFormat::kMiddleName:
        return FieldKind::kMiddleName;
      case ColumnFormat::kLastName:
        return FieldKind::kLastName;
      case ColumnFormat::kFullName:
        return FieldKind::kFullName;
      case ColumnFormat::kDobIso:
      case ColumnFormat::kDobUs:
      case ColumnFormat::kDobCompact:
      case ColumnFormat::kDobTimestamp:
        return FieldKind::kDob;
      case ColumnFormat::kSexLetter:
      case ColumnFormat::kSexWord:
      case ColumnFormat::kSexDigit:
        return FieldKind::kSex;
      case ColumnFormat::kSsn:
      case ColumnFormat::kSsnSpaced:
      case ColumnFormat::kSsnNumber:
        return FieldKind::kSsn;
      case ColumnFormat::kStreet:
      case ColumnFormat::kStreetName:
        return FieldKind::kStreet;
      case ColumnFormat::kHouseNumber:
        return FieldKind::kStreetNumber;
      case ColumnFormat::kCity:
        return FieldKind::kCity;
      case ColumnFormat::kState:
        return FieldKind::kState;
      case ColumnFormat::kZip:
      case ColumnFormat::kZipPlus4:
      case ColumnFormat::kZipPlus4Digits:
      case ColumnFormat::kZipNumber:
        return FieldKind::kZip;
      case ColumnFormat::kPhone:
      case ColumnFormat::kPhoneDigits:
      case ColumnFormat::kPhoneDotted:
        return FieldKind::kPhone;
      case ColumnFormat::kMbi:
        return FieldKind::kMbi;
    }
    return FieldKind::kId;
  };
  for (const Profile* profile : {&AgencyProfile(), &RegistryProfile()}) {
    for (const FileLayout* layout : {&profile->left, &profile->right}) {
      EXPECT_EQ(DetectFieldKind(layout->id_header), FieldKind::kId) << layout->id_header;
      for (const ColumnSpec& column : layout->columns) {
        EXPECT_EQ(DetectFieldKind(column.header), expected(column.format)) << profile->name << " " << column.header;
      }
    }
  }
}

}  // namespace
}  // namespace matchguard::synth
