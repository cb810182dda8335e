#include "src/synth/population.h"

#include <algorithm>
#include <cctype>

#include "src/synth/tables.h"
#include "src/synth/typos.h"

namespace matchguard::synth {
namespace {

// The SSN of person p is a bijection of p onto the valid SSNs (area 001-899 except 666, group 01-99,
// serial 0001-9999): p -> (a * p + b) mod P, P the largest prime below 898 * 99 * 9999. So no two people
// share an SSN unless the error model says so.
constexpr uint64_t kSsnPrime = 888'931'063;
constexpr int kReferenceYear = 2025;      // "today", for ages
constexpr uint64_t kHouseholdBlock = 64;  // households never straddle a block of person numbers

// Syllables for the long tail of rare names ("Brenholm", "Kalyna").
constexpr std::string_view kSurnameStarts[] = {
    "Bar",   "Kel", "Mor", "Hal",  "Win",   "Ash", "Brad", "Cal", "Dun", "Fair", "Gar", "Hart", "Kings", "Lang", "Mar",
    "North", "Pem", "Rad", "Stan", "Thorn", "Wal", "Whit", "Yar", "Bel", "Cor",  "Dal", "Els",  "Fen",   "Grim", "Hol",
    "Lind",  "Mel", "Nor", "Ost",  "Pel",   "Ros", "Sel",  "Tal", "Ver", "Wen",  "Kov", "Zel",  "Brom",  "Cran", "Drum",
    "Ey",    "Ha",  "Ja",  "Ka",   "Le",    "Mi",  "Na",   "Pa",  "Qui", "Ri",   "Sa",  "To",   "Va"};
constexpr std::string_view kSurnameMiddles[] = {"",   "",    "",    "a",  "e",  "i",  "o",   "er",
                                                "en", "ing", "and", "ow", "el", "ar", "ris", "ven"};
constexpr std::string_view kSurnameEnds[] = {
    "son",   "ton",   "ley",  "man",  "field", "wood", "berg", "stein", "ski", "er", "well", "worth", "by",   "ford",
    "ham",   "ridge", "dale", "more", "land",  "ick",  "sky",  "enko",  "ova", "ez", "ini",  "ardt",  "holm", "ström",
    "quist", "mann",  "ian",  "os",   "ello",  "akis", "escu", "ović",  "ak",  "ek", "ura",  "oto"};
constexpr std::string_view kFirstStarts[] = {"Ja", "Ka", "Ma", "La", "Da", "Ra", "Sha", "Ta", "Bri", "Ky",
                                             "Ne", "Lo", "Ze", "Ar", "El", "Jo", "Ty",  "Mi", "Re",  "De",
                                             "Ca", "A",  "E",  "O",  "Na", "Sa", "Ti",  "Qu", "Ro",  "Ve"};
constexpr std::string_view kFirstMiddles[] = {"", "", "la", "ri", "na", "ve", "lo", "dan", "mar", "sha", "ni"};
constexpr std::string_view kMaleEnds[] = {"n", "ton", "son", "el", "o", "us", "ian", "en", "ard", "ias", "ek"};
constexpr std::string_view kFemaleEnds[] = {"ya", "lyn", "ra", "ah", "a", "ie", "ette", "ana", "ley", "elle", "ina"};

template <size_t N>
std::string_view Pick(const std::string_view (&options)[N], Rng& rng) {
  return options[rng.Below(N)];
}

int DaysIn(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// Keeps a date valid after its year changed (29 February).
void ClampDay(Date* d) { d->day = std::min(d->day, DaysIn(d->year, d->month)); }

// A date from the eight digits YYYYMMDD, when they make a valid date no later than the reference year.
bool DateFromDigits(const std::string& digits, Date* d) {
  int year = std::stoi(digits.substr(0, 4));
  int month = std::stoi(digits.substr(4, 2));
  int day = std::stoi(digits.substr(6, 2));
  if (!IsValidDate(year, month, day) || year > kReferenceYear) return false;
  *d = Date{year, month, day};
  return true;
}

std::string DateDigits(const Date& d) {
  std::string digits;
  AppendZeroPadded(&digits, static_cast<uint64_t>(d.year * 10000 + d.month * 100 + d.day), 8);
  return digits;
}

// Draws an error only where the model has it, so a rate of 0 draws nothing (and another profile's bytes
// never depend on this one's errors).
bool Fires(double rate, Rng& rng) { return rate > 0 && rng.Chance(rate); }

// CMS MBI layout: C A AN N A AN N A A N N, letters without S L O I B Z.
std::array<char, 11> DrawMbi(Rng& rng) {
  static constexpr std::string_view kAlpha = "ACDEFGHJKMNPQRTUVWXY";
  static constexpr std::string_view kAlnum = "ACDEFGHJKMNPQRTUVWXY0123456789";
  static constexpr std::string_view kLayout = "CAXNAXNAANN";
  std::array<char, 11> mbi{};
  for (size_t i = 0; i < mbi.size(); ++i) {
    switch (kLayout[i]) {
      case 'C':
        mbi[i] = static_cast<char>('1' + rng.Below(9));
        break;
      case 'N':
        mbi[i] = static_cast<char>('0' + rng.Below(10));
        break;
      case 'A':
        mbi[i] = kAlpha[rng.Below(kAlpha.size())];
        break;
      default:
        mbi[i] = kAlnum[rng.Below(kAlnum.size())];
        break;
    }
  }
  return mbi;
}

void CopyAddress(const Person& from, Person* to) {
  to->house_number = from.house_number;
  to->street = from.street;
  to->suffix = from.suffix;
  to->city = from.city;
  to->zip_tail = from.zip_tail;
  to->phone = from.phone;
}

void CopySurname(const Person& from, Person* to) {
  to->last = from.last;
  to->last2 = from.last2;
  to->hyphenated = from.hyphenated;
}

void CountTypo(TypoKind kind, Counts* counts) {
  switch (kind) {
    case TypoKind::kSubstitution:
      counts->Add(Event::kTypoSubstitution);
      break;
    case TypoKind::kInsertion:
      counts->Add(Event::kTypoInsertion);
      break;
    case TypoKind::kDeletion:
      counts->Add(Event::kTypoDeletion);
      break;
    case TypoKind::kTransposition:
      counts->Add(Event::kTypoTransposition);
      break;
    case TypoKind::kNone:
      break;
  }
}

// An error that rewrites a name (OCR, phonetic, truncation), counted only when the text really changed.
void MaybeRewrite(double rate, Event event, bool (*rewrite)(std::string*, Rng&), Rng& rng, Counts* counts,
                  std::string* text) {
  if (text->empty() || !Fires(rate, rng)) return;
  if (rewrite(text, rng)) counts->Add(event);
}

// A typo of the given field, counted only when the text really changed.
void MaybeTypo(double rate, Event event, Rng& rng, Counts* counts, std::string* text) {
  if (text->empty() || !rng.Chance(rate)) return;
  TypoKind kind = ApplyTypo(text, rng);
  if (kind == TypoKind::kNone) return;
  counts->Add(event);
  CountTypo(kind, counts);
}

// Removes accents when the person does not write them (no error) or the agency drops them (an error).
void ResolveAccents(bool writes_accents, double drop_rate, Rng& rng, Counts* counts, std::string* text) {
  if (!HasAccent(*text)) return;
  bool drop = !writes_accents;
  if (writes_accents && rng.Chance(drop_rate)) {
    drop = true;
    counts->Add(Event::kAccentsDropped);
  }
  if (!drop) return;
  std::string plain;
  AppendWithoutAccents(&plain, *text);
  *text = std::move(plain);
}

bool HasPunctuationOrSpace(std::string_view text) {
  return text.find('\'') != std::string_view::npos || text.find(' ') != std::string_view::npos;
}

}  // namespace

void AppendZeroPadded(std::string* out, uint64_t value, int width) {
  char buf[24];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out->append(buf, static_cast<size_t>(width));
}

bool IsValidDate(int year, int month, int day) {
  return year >= 1800 && year <= 2100 && month >= 1 && month <= 12 && day >= 1 && day <= DaysIn(year, month);
}

HardNegatives& HardNegatives::operator+=(const HardNegatives& other) {
  for (size_t i = 0; i < kRelationCount; ++i) {
    people[i] += other.people[i];
    pairs[i] += other.pairs[i];
  }
  return *this;
}

Population::Population(const PopulationConfig& config)
    : config_(config),
      profile_(config.profile != nullptr ? *config.profile : AgencyProfile()),
      sampling_(profile_),
      ssn_multiplier_(1 + Mix64(config.seed ^ 0x5353'4e00) % (kSsnPrime - 1)),
      ssn_offset_(Mix64(config.seed ^ 0x5353'4e01) % kSsnPrime) {}

uint32_t Population::SsnOf(uint64_t id) const {
  uint64_t index = (ssn_multiplier_ * (id % kSsnPrime) + ssn_offset_) % kSsnPrime;  // < 2^60: no overflow
  uint64_t serial = index % 9999 + 1;
  index /= 9999;
  uint64_t group = index % 99 + 1;
  uint64_t area = index / 99 + 1;  // 1..898
  if (area >= 666) ++area;         // skip 666: 1..665, 667..899
  return static_cast<uint32_t>(area * 1'000'000 + group * 10'000 + serial);
}

// ---- true attributes -----------------------------------------------------------------------------------

NameRef Population::DrawFirstName(bool female, Rng& rng) const {
  if (rng.Chance(profile_.population.rare_first_name)) return NameRef{static_cast<uint32_t>(rng.Next()), true};
  return NameRef{sampling_.FirstName(female, rng), false};
}

NameRef Population::DrawSurname(Rng& rng) const {
  if (rng.Chance(profile_.population.rare_surname)) return NameRef{static_cast<uint32_t>(rng.Next()), true};
  return NameRef{sampling_.Surname(rng), false};
}

Date Population::DrawDate(Rng& rng) const {
  Date d;
  d.year =
      static_cast<int>(rng.Between(profile_.population.earliest_birth_year, profile_.population.latest_birth_year));
  d.month = static_cast<int>(rng.Between(1, 12));
  d.day = static_cast<int>(rng.Between(1, DaysIn(d.year, d.month)));
  return d;
}

void Population::DrawAddress(Rng& rng, Person* p) const {
  const Tables& t = Tables::Get();
  double size = rng.Real();
  p->house_number = static_cast<uint32_t>(size < 0.3    ? rng.Between(1, 99)
                                          : size < 0.7  ? rng.Between(100, 999)
                                          : size < 0.95 ? rng.Between(1000, 9999)
                                                        : rng.Between(10000, 29999));
  p->street = static_cast<uint32_t>(t.street_sampler().Sample(rng));
  p->suffix = static_cast<uint32_t>(t.suffix_sampler().Sample(rng));
  p->city = sampling_.City(rng);
  p->zip_tail = sampling_.ZipTail(p->city, rng);
  p->phone = static_cast<uint32_t>(rng.Between(2'000'000, 9'999'999));
}

Person Population::MakeBase(uint64_t id) const {
  const PopulationModel& m = profile_.population;
  Rng rng(config_.seed, Stream::kPerson, id);
  Person p;
  p.id = id;
  p.household.head = id;
  p.female = rng.Chance(m.female);
  p.first = DrawFirstName(p.female, rng);
  p.middle = DrawFirstName(p.female, rng);
  p.last = DrawSurname(rng);
  p.hyphenated = rng.Chance(m.hyphenated_surname);
  if (p.hyphenated) p.last2 = DrawSurname(rng);
  p.writes_accents = rng.Chance(m.writes_accents);
  p.dob = DrawDate(rng);
  p.ssn = SsnOf(id);
  DrawAddress(rng, &p);
  p.mbi = DrawMbi(rng);
  return p;
}

bool Population::InRight(uint64_t id) const {
  return id < config_.num_left && Rng(config_.seed, Stream::kMembership, id).Chance(config_.overlap);
}

// ---- who is whose relative -------------------------------------------------------------------------

Relation Population::DrawRelation(uint64_t id) const {
  double r = Rng(config_.seed, Stream::kRole, id).Real();
  const PopulationModel& m = profile_.population;
  if (r < m.twin) return Relation::kTwin;
  if (r < m.twin + m.parent_child) return Relation::kParentChild;
  if (r < m.twin + m.parent_child + m.shared_ssn) return Relation::kSharedSsn;
  if (r < m.twin + m.parent_child + m.shared_ssn + m.same_name_and_dob) return Relation::kSameNameAndDob;
  return Relation::kNone;
}

Relation Population::LeftRelation(uint64_t id) const {
  if (id == 0 || id >= config_.num_left) return Relation::kNone;
  Relation role = DrawRelation(id);
  if (role == Relation::kNone || DrawRelation(id - 1) != Relation::kNone) return Relation::kNone;
  return role;
}

Population::Role Population::PairRole(uint64_t id) const {
  if (id < config_.num_left) return {LeftRelation(id), id - 1};
  if (config_.num_left == 0) return {};
  Relation relation = DrawRelation(id);
  uint64_t anchor = Rng(config_.seed, Stream::kAnchor, id).Below(config_.num_left);
  // The anchor must be an ordinary person, so that its attributes are its base attributes.
  if (LeftRelation(anchor) != Relation::kNone) relation = Relation::kNone;
  return {relation, anchor};
}

Household Population::HouseholdOf(uint64_t id) const {
  if (!profile_.households.enabled()) return Household{id, 0, 1, false};
  const bool left = id < config_.num_left;
  const uint64_t start = left ? 0 : config_.num_left;
  const uint64_t end = std::max(left ? config_.num_left : config_.num_left + config_.num_extra, id + 1);
  const uint64_t block = start + (id - start) / kHouseholdBlock * kHouseholdBlock;
  const uint64_t block_end = std::min(block + kHouseholdBlock, end);
  Rng rng(config_.seed, Stream::kHousehold, block);
  for (uint64_t head = block;;) {
    uint64_t size = std::min<uint64_t>(sampling_.HouseholdSize(rng), block_end - head);
    bool couple = rng.Chance(profile_.households.couple);
    if (id < head + size) {
      return Household{head, static_cast<uint32_t>(id - head), static_cast<uint32_t>(size), couple && size >= 2};
    }
    head += size;
  }
}

Population::Role Population::MemberRole(const Household& h, uint64_t id) const {
  const HouseholdModel& m = profile_.households;
  if (h.index == 0) return {};
  if (h.index == 1 && h.couple) return {Relation::kSpouse, h.head};
  const bool after_child = h.index >= (h.couple ? 3u : 2u);
  double r = Rng(config_.seed, Stream::kRole, id).Real();
  if (r < m.twin && after_child) return {Relation::kTwin, id - 1};
  if (r < m.twin) return {Relation::kChild, h.head};
  if (r < m.twin + m.junior) return {Relation::kParentChild, h.head};
  if (r < m.twin + m.junior + m.shared_ssn) return {Relation::kSharedSsn, h.head};
  return {Relation::kChild, h.head};
}

Population::Role Population::OutsideRole(uint64_t id) const {
  if (config_.num_left == 0) return {};
  Relation relation = DrawRelation(id);
  if (relation == Relation::kNone) return {};
  uint64_t anchor = Rng(config_.seed, Stream::kAnchor, id).Below(config_.num_left);
  // The anchor must not be a relative elsewhere itself, so that chains stay one link long.
  if (anchor == id || (HouseholdOf(anchor).size == 1 && DrawRelation(anchor) != Relation::kNone)) return {};
  return {relation, anchor};
}

// The closest relation of two members of one household: the one either has to the other, else siblings or
// parent and child.
Relation Population::PairKind(const Household& h, uint64_t a, uint64_t b) const {
  auto role = [&](uint64_t id) {
    Household member = h;
    member.index = static_cast<uint32_t>(id - h.head);
    return MemberRole(member, id);
  };
  auto is_child = [&](uint64_t id) { return id > h.head && !(id == h.head + 1 && h.couple); };
  Role ra = role(a);
  Role rb = role(b);
  if (ra.relation != Relation::kNone && ra.anchor == b) return ra.relation;
  if (rb.relation != Relation::kNone && rb.anchor == a) return rb.relation;
  return is_child(a) && is_child(b) ? Relation::kSibling : Relation::kChild;
}

// ---- making a person -------------------------------------------------------------------------------

Person Population::MakePerson(uint64_t id) const {
  if (profile_.households.enabled()) return MakeMember(id, HouseholdOf(id));
  Person person = MakeBase(id);
  Role role = PairRole(id);
  if (role.relation != Relation::kNone) {
    MakeRelative(role.relation, MakePerson(role.anchor), profile_.population.latest_birth_year, &person);
  }
  return person;
}

// Person `id` of household `h` (h.index is its place), so that making a member's head or twin does not walk
// the block again.
Person Population::MakeMember(uint64_t id, const Household& h) const {
  Person person = MakeBase(id);
  person.household = h;
  if (h.index > 0) {
    Role role = MemberRole(h, id);
    Household head = h;
    head.index = 0;
    JoinHousehold(role, MakeMember(h.head, head), &person);
  } else if (h.size > 1) {
    MakeFamilyHead(&person);
  } else {
    Role role = OutsideRole(id);
    if (role.relation != Relation::kNone) RelateElsewhere(role, &person);
  }
  return person;
}

void Population::RedrawFirstNameUnlike(const Person& other, bool same_initial, Rng& rng, Person* p) const {
  std::string other_first;
  AppendName(other.first, other.female, true, &other_first);
  auto differs = [&](bool initial) {
    std::string mine;
    AppendName(p->first, p->female, true, &mine);
    return mine != other_first && (!initial || (!mine.empty() && mine[0] == other_first[0]));
  };
  for (int attempt = 0; attempt < 64 && !differs(same_initial); ++attempt) p->first = DrawFirstName(p->female, rng);
  while (!differs(false)) p->first = NameRef{static_cast<uint32_t>(rng.Next()), true};
}

void Population::MakeRelative(Relation relation, const Person& anchor, int latest_birth_year, Person* p) const {
  p->relation = relation;
  p->anchor = anchor.id;
  Rng rng(config_.seed, Stream::kPerson, p->id, /*copy=*/1);
  switch (relation) {
    case Relation::kTwin:  // a different first name; twins often share the initial (Jason and Justin)
      CopySurname(anchor, p);
      p->writes_accents = anchor.writes_accents;
      p->dob = anchor.dob;
      CopyAddress(anchor, p);
      RedrawFirstNameUnlike(anchor, rng.Chance(profile_.population.twin_same_initial), rng, p);
      break;
    case Relation::kParentChild: {
      p->female = anchor.female;
      p->first = anchor.first;
      p->middle = anchor.middle;
      CopySurname(anchor, p);
      p->writes_accents = anchor.writes_accents;
      CopyAddress(anchor, p);
      int gap = static_cast<int>(rng.Between(20, 40));
      p->dob.year = anchor.dob.year + gap <= latest_birth_year ? anchor.dob.year + gap : anchor.dob.year - gap;
      ClampDay(&p->dob);
      p->generation = p->dob.year > anchor.dob.year ? 'J' : 'S';
      break;
    }
    case Relation::kSharedSsn:
      CopySurname(anchor, p);
      CopyAddress(anchor, p);
      p->anchor_ssn = anchor.ssn;
      RedrawFirstNameUnlike(anchor, false, rng, p);
      break;
    case Relation::kSameNameAndDob:
      p->female = anchor.female;
      p->first = anchor.first;
      CopySurname(anchor, p);
      p->dob = anchor.dob;
      break;
    default:
      break;
  }
}

// Heads of households with a spouse or children are adults: the drawn birth year is mapped onto the
// parents' years, keeping its spread.
void Population::MakeFamilyHead(Person* p) const {
  const PopulationModel& pm = profile_.population;
  const HouseholdModel& hm = profile_.households;
  p->dob.year = hm.first_parent_birth_year + (p->dob.year - pm.earliest_birth_year) *
                                                 (hm.last_parent_birth_year - hm.first_parent_birth_year) /
                                                 (pm.latest_birth_year - pm.earliest_birth_year);
  ClampDay(&p->dob);
}

void Population::JoinHousehold(Role role, const Person& head, Person* p) const {
  const HouseholdModel& hm = profile_.households;
  Rng rng(config_.seed, Stream::kPerson, p->id, /*copy=*/2);
  p->relation = role.relation;
  p->anchor = role.anchor;
  p->anchor_in_household = true;
  CopyAddress(head, p);
  if (role.relation == Relation::kSpouse) {
    MakeSpouse(head, rng, p);
    return;
  }
  CopySurname(head, p);
  p->writes_accents = head.writes_accents;
  p->dob.year = std::min(head.dob.year + static_cast<int>(rng.Between(hm.min_parent_age_gap, hm.max_parent_age_gap)),
                         hm.latest_child_birth_year);
  ClampDay(&p->dob);
  switch (role.relation) {
    case Relation::kTwin: {  // the previous child, one place up in the household
      Household sibling = p->household;
      --sibling.index;
      MakeRelative(role.relation, MakeMember(role.anchor, sibling), hm.latest_child_birth_year, p);
      break;
    }
    case Relation::kParentChild:
    case Relation::kSharedSsn:
      MakeRelative(role.relation, head, hm.latest_child_birth_year, p);
      break;
    default:
      RedrawFirstNameUnlike(head, false, rng, p);
      break;
  }
}

// The head's spouse: the other sex, the head's surname (hers before marriage kept as her maiden name), an
// age near the head's.
void Population::MakeSpouse(const Person& head, Rng& rng, Person* p) const {
  const PopulationModel& pm = profile_.population;
  const bool female = !head.female;
  if (p->female != female) {
    p->female = female;
    p->first = DrawFirstName(female, rng);
    p->middle = DrawFirstName(female, rng);
  }
  p->has_maiden = female;
  p->maiden = p->last;
  CopySurname(head, p);
  const int gap = profile_.households.max_spouse_age_gap;
  p->dob.year = std::clamp(head.dob.year + static_cast<int>(rng.Between(-gap, gap)), pm.earliest_birth_year,
                           pm.latest_birth_year);
  ClampDay(&p->dob);
}

// A person living alone who is a relative of someone elsewhere: the relation's attributes, but their own
// address; a stranger with the same name and date of birth lives in the same city.
void Population::RelateElsewhere(Role role, Person* p) const {
  const Person home = *p;
  const Person anchor = MakePerson(role.anchor);
  MakeRelative(role.relation, anchor, profile_.population.latest_birth_year, p);
  CopyAddress(home, p);
  if (role.relation == Relation::kSameNameAndDob) {
    Rng rng(config_.seed, Stream::kPerson, p->id, /*copy=*/3);
    p->city = anchor.city;
    p->zip_tail = sampling_.ZipTail(p->city, rng);
  }
}

void Population::AppendName(NameRef name, bool female, bool first_name, std::string* out) const {
  const Tables& t = Tables::Get();
  if (!name.synthetic) {
    out->append(first_name ? t.first_names(female)[name.value].name : t.surnames()[name.value]);
    return;
  }
  Rng rng(name.value, Stream::kPerson, first_name ? 1 : 2);
  if (first_name) {
    out->append(Pick(kFirstStarts, rng));
    out->append(Pick(kFirstMiddles, rng));
    out->append(female ? Pick(kFemaleEnds, rng) : Pick(kMaleEnds, rng));
  } else {
    out->append(Pick(kSurnameStarts, rng));
    out->append(Pick(kSurnameMiddles, rng));
    out->append(Pick(kSurnameEnds, rng));
  }
}

// ---- hard negatives ----------------------------------------------------------------------------------

void Population::CountLeft(const Person& p, HardNegatives* out) const {
  if (p.relation == Relation::kNone) return;
  const auto kind = static_cast<size_t>(p.relation);
  ++out->people[kind];
  if (!p.anchor_in_household && InRight(p.anchor)) ++out->pairs[kind];  // left relative, right anchor
}

void Population::CountRight(const Person& p, HardNegatives* out) const {
  if (p.relation != Relation::kNone) {
    const auto kind = static_cast<size_t>(p.relation);
    if (p.id >= config_.num_left) ++out->people[kind];  // left people are counted in the left file
    if (!p.anchor_in_household) ++out->pairs[kind];     // anchors are always left people
  }
  if (p.id < config_.num_left) CountHouseholdPairs(p, UINT64_MAX, out);
}

void Population::CountDedupe(const Person& p, HardNegatives* out) const {
  if (p.relation != Relation::kNone) {
    const auto kind = static_cast<size_t>(p.relation);
    ++out->people[kind];
    if (!p.anchor_in_household) ++out->pairs[kind];
  }
  CountHouseholdPairs(p, p.id, out);
}

// One pair for each other member of the household with a number below `below`.
void Population::CountHouseholdPairs(const Person& p, uint64_t below, HardNegatives* out) const {
  const Household& h = p.household;
  for (uint64_t m = h.head; m < h.head + h.size && m < below; ++m) {
    if (m != p.id) ++out->pairs[static_cast<size_t>(PairKind(h, p.id, m))];
  }
}

// ---- observing a record --------------------------------------------------------------------------------

void Population::Observe(const Person& person, const ErrorModel& m, bool other_agency, Rng& rng, Counts* counts,
                         Observed* out) const {
  ObserveFirstName(person, m, rng, counts, out);

  // Middle name: often blank or an initial.
  out->middle.clear();
  if (m.middle_missing >= 1.0) {
    // This agency does not record the field: not an error.
  } else if (rng.Chance(m.middle_missing)) {
    counts->Add(Event::kMiddleMissing);
  } else {
    AppendName(person.middle, person.female, true, &out->middle);
    ResolveAccents(person.writes_accents, m.accents_dropped, rng, counts, &out->middle);
    if (rng.Chance(m.middle_initial_only)) {
      std::string plain;
      AppendWithoutAccents(&plain, out->middle);
      out->middle = plain.substr(0, 1);
      counts->Add(Event::kMiddleInitialOnly);
    }
  }

  bool moved = ObserveSurname(person, m, rng, counts, out);
  if (rng.Chance(m.names_swapped)) {
    std::swap(out->first, out->last);
    counts->Add(Event::kNamesSwapped);
  }
  out->generation = person.generation;

  ObserveDob(person, m, rng, counts, out);

  out->sex = person.female ? 'F' : 'M';
  if (rng.Chance(m.sex_missing)) {
    out->sex = 0;
    counts->Add(Event::kSexMissing);
  } else if (rng.Chance(m.sex_wrong)) {
    out->sex = person.female ? 'M' : 'F';
    counts->Add(Event::kSexWrong);
  }

  ObserveSsn(person, m, other_agency, rng, counts, out);
  ObserveAddress(person, m, moved, rng, counts, out);

  out->mbi.clear();
  if (m.mbi_missing >= 1.0) {
    // Not recorded by this agency.
  } else if (rng.Chance(m.mbi_missing)) {
    counts->Add(Event::kMbiMissing);
  } else {
    out->mbi.assign(person.mbi.data(), person.mbi.size());
  }
}

void Population::ObserveFirstName(const Person& person, const ErrorModel& m, Rng& rng, Counts* counts,
                                  Observed* out) const {
  const Tables& t = Tables::Get();
  out->first.clear();
  const std::vector<std::string>* nicknames =
      person.first.synthetic ? nullptr : &t.first_names(person.female)[person.first.value].nicknames;
  if (nicknames != nullptr && !nicknames->empty() && rng.Chance(m.first_nickname)) {
    out->first = (*nicknames)[rng.Below(nicknames->size())];
    counts->Add(Event::kFirstNickname);
  } else {
    AppendName(person.first, person.female, true, &out->first);
  }
  ResolveAccents(person.writes_accents, m.accents_dropped, rng, counts, &out->first);
  MaybeTypo(m.first_typo, Event::kFirstTypo, rng, counts, &out->first);
  MaybeRewrite(m.first_ocr, Event::kFirstOcr, ApplyOcrConfusion, rng, counts, &out->first);
  MaybeRewrite(m.first_phonetic, Event::kFirstPhonetic, ApplyPhoneticMisspelling, rng, counts, &out->first);
  MaybeRewrite(m.first_truncated, Event::kFirstTruncated, TruncateName, rng, counts, &out->first);
  if (rng.Chance(m.first_missing)) {
    out->first.clear();
    counts->Add(Event::kFirstMissing);
  }
}

// Surname: marriage, hyphenation, punctuation, accents, keying. Returns whether a marriage came with a move.
bool Population::ObserveSurname(const Person& person, const ErrorModel& m, Rng& rng, Counts* counts,
                                Observed* out) const {
  bool moved = false;
  out->last.clear();
  int age = kReferenceYear - person.dob.year;
  if (person.female && age >= 20 && age <= 70 && rng.Chance(m.marriage)) {
    // A spouse appears under her maiden name; anyone else under a new married name.
    AppendName(person.has_maiden ? person.maiden : DrawSurname(rng), false, false, &out->last);
    counts->Add(Event::kSurnameChangedByMarriage);
    moved = rng.Chance(m.move_with_marriage);
  } else {
    AppendName(person.last, person.female, false, &out->last);
    if (person.hyphenated) {
      std::string second;
      AppendName(person.last2, person.female, false, &second);
      if (rng.Chance(m.hyphen_part_dropped)) {
        counts->Add(Event::kHyphenPartDropped);
        double which = rng.Real();
        if (which < 0.3) {
          out->last = second;
        } else if (which < 0.8) {
          // keep the first part only
        } else {
          out->last += " " + second;  // the hyphen lost, both parts kept
        }
      } else {
        out->last += "-" + second;
      }
    }
  }
  if (HasPunctuationOrSpace(out->last) && rng.Chance(m.punctuation_dropped)) {
    std::erase_if(out->last, [](char c) { return c == '\'' || c == ' ' || c == '.'; });
    counts->Add(Event::kPunctuationDropped);
  }
  ResolveAccents(person.writes_accents, m.accents_dropped, rng, counts, &out->last);
  MaybeTypo(m.last_typo, Event::kLastTypo, rng, counts, &out->last);
  MaybeRewrite(m.last_ocr, Event::kLastOcr, ApplyOcrConfusion, rng, counts, &out->last);
  MaybeRewrite(m.last_phonetic, Event::kLastPhonetic, ApplyPhoneticMisspelling, rng, counts, &out->last);
  MaybeRewrite(m.last_truncated, Event::kLastTruncated, TruncateName, rng, counts, &out->last);
  if (rng.Chance(m.last_missing)) {
    out->last.clear();
    counts->Add(Event::kLastMissing);
  }
  return moved;
}

void Population::ObserveDob(const Person& person, const ErrorModel& m, Rng& rng, Counts* counts, Observed* out) const {
  out->dob = person.dob;
  out->dob_missing = false;
  if (rng.Chance(m.dob_missing)) {
    out->dob_missing = true;
    counts->Add(Event::kDobMissing);
    return;
  }
  Date& d = out->dob;
  double r = rng.Real();
  double swap_end = m.dob_day_month_swapped;
  double typo_end = swap_end + m.dob_digit_typo;
  double day_end = typo_end + m.dob_day_unknown;
  double day_month_end = day_end + m.dob_day_month_unknown;
  double transposed_end = day_month_end + m.dob_digits_transposed;
  double year_end = transposed_end + m.dob_year_wrong;
  if (r < swap_end) {
    if (d.day <= 12 && d.day != d.month) {
      std::swap(d.day, d.month);
      counts->Add(Event::kDobDayMonthSwapped);
    }
  } else if (r < typo_end) {
    // One digit of YYYYMMDD (not the century) replaced by a keypad neighbour, if that gives a valid date.
    for (int attempt = 0; attempt < 4; ++attempt) {
      std::string digits = DateDigits(d);
      size_t at = 2 + rng.Below(6);
      std::string_view options = KeyboardNeighbours(digits[at]);
      digits[at] = options[rng.Below(options.size())];
      if (DateFromDigits(digits, &d)) {
        counts->Add(Event::kDobDigitTypo);
        break;
      }
    }
  } else if (r < day_end) {
    if (d.day != 1) {
      d.day = 1;
      counts->Add(Event::kDobDayUnknown);
    }
  } else if (r < day_month_end) {
    if (d.day != 1 || d.month != 1) {
      d.day = 1;
      d.month = 1;
      counts->Add(Event::kDobDayMonthUnknown);
    }
  } else if (r < transposed_end) {
    // Two adjacent, different digits of YYYYMMDD (not the century) swapped, if that gives a valid date.
    for (int attempt = 0; attempt < 4; ++attempt) {
      std::string digits = DateDigits(d);
      size_t at = 2 + rng.Below(5);
      if (digits[at] == digits[at + 1]) continue;
      std::swap(digits[at], digits[at + 1]);
      if (DateFromDigits(digits, &d)) {
        counts->Add(Event::kDobDigitsTransposed);
        break;
      }
    }
  } else if (r < year_end) {
    // The year off by one (an age miscounted) or by ten (a 5 read as a 6 in the decade).
    int delta = rng.Chance(0.7) ? 1 : 10;
    int year = d.year + (rng.Chance(0.5) ? delta : -delta);
    if (IsValidDate(year, d.month, d.day) && year <= kReferenceYear) {
      d.year = year;
      counts->Add(Event::kDobYearWrong);
    }
  }
}

// SSN: the relative's, missing, keyed wrongly, misread or masked.
void Population::ObserveSsn(const Person& person, const ErrorModel& m, bool other_agency, Rng& rng, Counts* counts,
                            Observed* out) const {
  out->ssn.clear();
  uint32_t ssn = person.ssn;
  if (other_agency && person.relation == Relation::kSharedSsn) {
    ssn = person.anchor_ssn;
    counts->Add(Event::kSsnOfRelative);
  }
  if (rng.Chance(m.ssn_missing)) {
    counts->Add(Event::kSsnMissing);
    return;
  }
  AppendZeroPadded(&out->ssn, ssn, 9);
  if (rng.Chance(m.ssn_digit_typo) && ApplyDigitTypo(&out->ssn, rng)) counts->Add(Event::kSsnDigitTypo);
  if (rng.Chance(m.ssn_transposition) && TransposeAdjacentDigits(&out->ssn, rng)) {
    counts->Add(Event::kSsnTransposition);
  }
  if (Fires(m.ssn_ocr_digit, rng) && ApplyOcrDigit(&out->ssn, rng)) counts->Add(Event::kSsnOcrDigit);
  if (Fires(m.ssn_masked, rng)) {
    out->ssn.replace(0, 5, "XXXXX");  // only the last four digits shown: XXX-XX-1234
    counts->Add(Event::kSsnMasked);
  }
}

// A household moves together: every member's record at this agency shows the same new address.
bool Population::MovedWithHousehold(const Person& person, const ErrorModel& m, Person* where) const {
  if (m.move <= 0) return false;
  Rng rng(config_.seed, Stream::kHouseholdMove, person.household.head);
  if (!rng.Chance(m.move)) return false;
  DrawAddress(rng, where);
  return true;
}

void Population::ObserveAddress(const Person& person, const ErrorModel& m, bool moved, Rng& rng, Counts* counts,
                                Observed* out) const {
  const Tables& t = Tables::Get();
  Person where = person;
  if (moved) {
    DrawAddress(rng, &where);
  } else if (profile_.households.enabled()) {
    moved = MovedWithHousehold(person, m, &where);
  } else if (rng.Chance(m.move)) {
    DrawAddress(rng, &where);
    moved = true;
  }
  if (moved) counts->Add(Event::kMove);
  const City& city = t.cities()[where.city];
  out->house_number.clear();
  out->street_name.clear();
  out->suffix_dropped = false;
  out->address_missing = rng.Chance(m.address_missing);
  if (out->address_missing) {
    counts->Add(Event::kAddressMissing);
  } else {
    AppendZeroPadded(&out->house_number, where.house_number,
                     where.house_number >= 10000  ? 5
                     : where.house_number >= 1000 ? 4
                     : where.house_number >= 100  ? 3
                     : where.house_number >= 10   ? 2
                                                  : 1);
    out->street_name = t.street_names()[where.street];
    MaybeTypo(m.street_typo, Event::kStreetTypo, rng, counts, &out->street_name);
    out->suffix_dropped = Fires(m.street_suffix_dropped, rng);
    if (out->suffix_dropped) counts->Add(Event::kStreetSuffixDropped);
  }
  const StreetSuffixChoice& suffix = t.suffixes()[where.suffix];
  out->street_suffix_word = suffix.word;
  out->street_suffix_abbreviation = suffix.abbreviation;
  out->city = where.city;
  out->city_name.assign(city.name);
  ResolveAccents(person.writes_accents, m.accents_dropped, rng, counts, &out->city_name);
  MaybeTypo(m.city_typo, Event::kCityTypo, rng, counts, &out->city_name);
  out->zip.clear();
  if (rng.Chance(m.zip_missing)) {
    counts->Add(Event::kZipMissing);
  } else {
    uint32_t tail = where.zip_tail;
    if (Fires(m.zip_other_in_zip3, rng)) {
      tail = sampling_.ZipTail(where.city, rng);
      if (tail != where.zip_tail) counts->Add(Event::kZipOtherInZip3);
    }
    out->zip.append(city.zip3);
    AppendZeroPadded(&out->zip, tail, 2);
    if (rng.Chance(m.zip_typo) && ApplyDigitTypo(&out->zip, rng)) counts->Add(Event::kZipTypo);
  }
  out->phone.clear();
  if (m.phone_missing >= 1.0) {
    // Not recorded by this agency.
  } else if (rng.Chance(m.phone_missing)) {
    counts->Add(Event::kPhoneMissing);
  } else {
    out->phone.append(city.area_code);
    AppendZeroPadded(&out->phone, where.phone, 7);
  }
}

}  // namespace matchguard::synth
