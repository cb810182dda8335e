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
constexpr int kLatestBirthYear = 2008;
constexpr int kEarliestBirthYear = 1925;
constexpr int kReferenceYear = 2025;  // "today", for ages

// Syllables for the long tail of rare names ("Brenholm", "Kalyna").
constexpr std::string_view kSurnameStarts[] = {
    "Bar", "Kel", "Mor", "Hal", "Win", "Ash", "Brad", "Cal", "Dun", "Fair", "Gar", "Hart", "Kings", "Lang",
    "Mar", "North", "Pem", "Rad", "Stan", "Thorn", "Wal", "Whit", "Yar", "Bel", "Cor", "Dal", "Els", "Fen",
    "Grim", "Hol", "Lind", "Mel", "Nor", "Ost", "Pel", "Ros", "Sel", "Tal", "Ver", "Wen", "Kov", "Zel",
    "Brom", "Cran", "Drum", "Ey", "Ha", "Ja", "Ka", "Le", "Mi", "Na", "Pa", "Qui", "Ri", "Sa", "To", "Va"};
constexpr std::string_view kSurnameMiddles[] = {"", "", "", "a", "e", "i", "o", "er", "en", "ing", "and", "ow",
                                                "el", "ar", "ris", "ven"};
constexpr std::string_view kSurnameEnds[] = {
    "son", "ton", "ley", "man", "field", "wood", "berg", "stein", "ski", "er", "well", "worth", "by", "ford",
    "ham", "ridge", "dale", "more", "land", "ick", "sky", "enko", "ova", "ez", "ini", "ardt", "holm", "ström",
    "quist", "mann", "ian", "os", "ello", "akis", "escu", "ović", "ak", "ek", "ura", "oto"};
constexpr std::string_view kFirstStarts[] = {"Ja", "Ka", "Ma", "La", "Da", "Ra", "Sha", "Ta", "Bri", "Ky", "Ne",
                                             "Lo", "Ze", "Ar", "El", "Jo", "Ty", "Mi", "Re", "De", "Ca", "A",
                                             "E", "O", "Na", "Sa", "Ti", "Qu", "Ro", "Ve"};
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

NameRef DrawFirstName(bool female, Rng& rng) {
  if (rng.Chance(kPopulationModel.rare_first_name)) return NameRef{static_cast<uint32_t>(rng.Next()), true};
  return NameRef{static_cast<uint32_t>(Tables::Get().first_name_sampler(female).Sample(rng)), false};
}

NameRef DrawSurname(Rng& rng) {
  if (rng.Chance(kPopulationModel.rare_surname)) return NameRef{static_cast<uint32_t>(rng.Next()), true};
  return NameRef{static_cast<uint32_t>(Tables::Get().surname_sampler().Sample(rng)), false};
}

Date DrawDate(Rng& rng) {
  Date d;
  d.year = static_cast<int>(rng.Between(kEarliestBirthYear, kLatestBirthYear));
  d.month = static_cast<int>(rng.Between(1, 12));
  d.day = static_cast<int>(rng.Between(1, DaysIn(d.year, d.month)));
  return d;
}

void DrawAddress(Rng& rng, Person* p) {
  const Tables& t = Tables::Get();
  double size = rng.Real();
  p->house_number = static_cast<uint32_t>(size < 0.3    ? rng.Between(1, 99)
                                          : size < 0.7  ? rng.Between(100, 999)
                                          : size < 0.95 ? rng.Between(1000, 9999)
                                                        : rng.Between(10000, 29999));
  p->street = static_cast<uint32_t>(t.street_sampler().Sample(rng));
  p->suffix = static_cast<uint32_t>(t.suffix_sampler().Sample(rng));
  p->city = static_cast<uint32_t>(t.city_sampler().Sample(rng));
  p->zip_tail = static_cast<uint32_t>(rng.Below(100));
  p->phone = static_cast<uint32_t>(rng.Between(2'000'000, 9'999'999));
}

// CMS MBI layout: C A AN N A AN N A A N N, letters without S L O I B Z.
std::array<char, 11> DrawMbi(Rng& rng) {
  static constexpr std::string_view kAlpha = "ACDEFGHJKMNPQRTUVWXY";
  static constexpr std::string_view kAlnum = "ACDEFGHJKMNPQRTUVWXY0123456789";
  static constexpr std::string_view kLayout = "CAXNAXNAANN";
  std::array<char, 11> mbi{};
  for (size_t i = 0; i < mbi.size(); ++i) {
    switch (kLayout[i]) {
      case 'C': mbi[i] = static_cast<char>('1' + rng.Below(9)); break;
      case 'N': mbi[i] = static_cast<char>('0' + rng.Below(10)); break;
      case 'A': mbi[i] = kAlpha[rng.Below(kAlpha.size())]; break;
      default: mbi[i] = kAlnum[rng.Below(kAlnum.size())]; break;
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
    case TypoKind::kSubstitution: counts->Add(Event::kTypoSubstitution); break;
    case TypoKind::kInsertion: counts->Add(Event::kTypoInsertion); break;
    case TypoKind::kDeletion: counts->Add(Event::kTypoDeletion); break;
    case TypoKind::kTransposition: counts->Add(Event::kTypoTransposition); break;
    case TypoKind::kNone: break;
  }
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

Population::Population(const PopulationConfig& config)
    : config_(config),
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

Relation Population::RoleOf(uint64_t id) const {
  double r = Rng(config_.seed, Stream::kRole, id).Real();
  const PopulationModel& m = kPopulationModel;
  if (r < m.twin) return Relation::kTwin;
  if (r < m.twin + m.parent_child) return Relation::kParentChild;
  if (r < m.twin + m.parent_child + m.shared_ssn) return Relation::kSharedSsn;
  if (r < m.twin + m.parent_child + m.shared_ssn + m.same_name_and_dob) return Relation::kSameNameAndDob;
  return Relation::kNone;
}

Relation Population::LeftRelation(uint64_t id) const {
  if (id == 0 || id >= config_.num_left) return Relation::kNone;
  Relation role = RoleOf(id);
  if (role == Relation::kNone || RoleOf(id - 1) != Relation::kNone) return Relation::kNone;
  return role;
}

bool Population::InRight(uint64_t id) const {
  return id < config_.num_left && Rng(config_.seed, Stream::kMembership, id).Chance(config_.overlap);
}

Person Population::MakeBase(uint64_t id) const {
  Rng rng(config_.seed, Stream::kPerson, id);
  Person p;
  p.id = id;
  p.female = rng.Chance(kPopulationModel.female);
  p.first = DrawFirstName(p.female, rng);
  p.middle = DrawFirstName(p.female, rng);
  p.last = DrawSurname(rng);
  p.hyphenated = rng.Chance(kPopulationModel.hyphenated_surname);
  if (p.hyphenated) p.last2 = DrawSurname(rng);
  p.writes_accents = rng.Chance(kPopulationModel.writes_accents);
  p.dob = DrawDate(rng);
  p.ssn = SsnOf(id);
  DrawAddress(rng, &p);
  p.mbi = DrawMbi(rng);
  return p;
}

Person Population::MakePerson(uint64_t id) const {
  Person person = MakeBase(id);
  Relation relation = Relation::kNone;
  uint64_t anchor = 0;
  if (id < config_.num_left) {
    relation = LeftRelation(id);
    anchor = id - 1;
  } else if (config_.num_left > 0) {
    relation = RoleOf(id);
    anchor = Rng(config_.seed, Stream::kAnchor, id).Below(config_.num_left);
    // The anchor must be an ordinary person, so that its attributes are its base attributes.
    if (LeftRelation(anchor) != Relation::kNone) relation = Relation::kNone;
  }
  if (relation != Relation::kNone) MakeRelative(relation, MakeBase(anchor), &person);
  return person;
}

void Population::MakeRelative(Relation relation, const Person& anchor, Person* p) const {
  p->relation = relation;
  p->anchor = anchor.id;
  Rng rng(config_.seed, Stream::kPerson, p->id, /*copy=*/1);
  std::string anchor_first;
  AppendName(anchor.first, anchor.female, true, &anchor_first);
  // A different first name (twins often share the initial: Jason and Justin).
  auto differs = [&](bool same_initial) {
    std::string mine;
    AppendName(p->first, p->female, true, &mine);
    return mine != anchor_first && (!same_initial || (!mine.empty() && mine[0] == anchor_first[0]));
  };
  auto redraw_first = [&](bool same_initial) {
    for (int attempt = 0; attempt < 64 && !differs(same_initial); ++attempt) {
      p->first = DrawFirstName(p->female, rng);
    }
    while (!differs(false)) p->first = NameRef{static_cast<uint32_t>(rng.Next()), true};
  };
  switch (relation) {
    case Relation::kTwin:
      CopySurname(anchor, p);
      p->writes_accents = anchor.writes_accents;
      p->dob = anchor.dob;
      CopyAddress(anchor, p);
      redraw_first(rng.Chance(kPopulationModel.twin_same_initial));
      break;
    case Relation::kParentChild: {
      p->female = anchor.female;
      p->first = anchor.first;
      p->middle = anchor.middle;
      CopySurname(anchor, p);
      p->writes_accents = anchor.writes_accents;
      CopyAddress(anchor, p);
      int gap = static_cast<int>(rng.Between(20, 40));
      p->dob.year = anchor.dob.year + gap <= kLatestBirthYear ? anchor.dob.year + gap : anchor.dob.year - gap;
      p->dob.day = std::min(p->dob.day, DaysIn(p->dob.year, p->dob.month));
      break;
    }
    case Relation::kSharedSsn:
      CopySurname(anchor, p);
      CopyAddress(anchor, p);
      p->anchor_ssn = anchor.ssn;
      redraw_first(false);
      break;
    case Relation::kSameNameAndDob:
      p->female = anchor.female;
      p->first = anchor.first;
      CopySurname(anchor, p);
      p->dob = anchor.dob;
      break;
    case Relation::kNone:
      break;
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

void Population::Observe(const Person& person, const ErrorModel& m, bool other_agency, Rng& rng, Counts* counts,
                         Observed* out) const {
  const Tables& t = Tables::Get();
  // First name, perhaps a nickname.
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
  if (rng.Chance(m.first_missing)) {
    out->first.clear();
    counts->Add(Event::kFirstMissing);
  }

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

  // Surname: marriage, hyphenation, punctuation, accents, typing.
  bool moved = false;
  out->last.clear();
  int age = kReferenceYear - person.dob.year;
  if (person.female && age >= 20 && age <= 70 && rng.Chance(m.marriage)) {
    AppendName(DrawSurname(rng), false, false, &out->last);
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
  if (rng.Chance(m.last_missing)) {
    out->last.clear();
    counts->Add(Event::kLastMissing);
  }
  if (rng.Chance(m.names_swapped)) {
    std::swap(out->first, out->last);
    counts->Add(Event::kNamesSwapped);
  }

  ObserveDob(person, m, rng, counts, out);

  out->sex = person.female ? 'F' : 'M';
  if (rng.Chance(m.sex_missing)) {
    out->sex = 0;
    counts->Add(Event::kSexMissing);
  } else if (rng.Chance(m.sex_wrong)) {
    out->sex = person.female ? 'M' : 'F';
    counts->Add(Event::kSexWrong);
  }

  // SSN: the relative's, missing, or keyed wrongly.
  out->ssn.clear();
  uint32_t ssn = person.ssn;
  if (other_agency && person.relation == Relation::kSharedSsn) {
    ssn = person.anchor_ssn;
    counts->Add(Event::kSsnOfRelative);
  }
  if (rng.Chance(m.ssn_missing)) {
    counts->Add(Event::kSsnMissing);
  } else {
    AppendZeroPadded(&out->ssn, ssn, 9);
    if (rng.Chance(m.ssn_digit_typo) && ApplyDigitTypo(&out->ssn, rng)) counts->Add(Event::kSsnDigitTypo);
    if (rng.Chance(m.ssn_transposition) && TransposeAdjacentDigits(&out->ssn, rng)) {
      counts->Add(Event::kSsnTransposition);
    }
  }

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

void Population::ObserveDob(const Person& person, const ErrorModel& m, Rng& rng, Counts* counts,
                            Observed* out) const {
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
  if (r < swap_end) {
    if (d.day <= 12 && d.day != d.month) {
      std::swap(d.day, d.month);
      counts->Add(Event::kDobDayMonthSwapped);
    }
  } else if (r < typo_end) {
    // One digit of YYYYMMDD (not the century) replaced by a keypad neighbour, if that gives a valid date.
    for (int attempt = 0; attempt < 4; ++attempt) {
      std::string digits;
      AppendZeroPadded(&digits, static_cast<uint64_t>(d.year * 10000 + d.month * 100 + d.day), 8);
      size_t at = 2 + rng.Below(6);
      std::string_view options = KeyboardNeighbours(digits[at]);
      digits[at] = options[rng.Below(options.size())];
      int year = std::stoi(digits.substr(0, 4));
      int month = std::stoi(digits.substr(4, 2));
      int day = std::stoi(digits.substr(6, 2));
      if (IsValidDate(year, month, day) && year <= kReferenceYear) {
        d = Date{year, month, day};
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
  }
}

void Population::ObserveAddress(const Person& person, const ErrorModel& m, bool moved, Rng& rng, Counts* counts,
                                Observed* out) const {
  const Tables& t = Tables::Get();
  Person where = person;
  if (moved || rng.Chance(m.move)) {
    DrawAddress(rng, &where);
    counts->Add(Event::kMove);
  }
  const City& city = t.cities()[where.city];
  out->house_number.clear();
  out->street_name.clear();
  out->address_missing = rng.Chance(m.address_missing);
  if (out->address_missing) {
    counts->Add(Event::kAddressMissing);
  } else {
    AppendZeroPadded(&out->house_number, where.house_number, where.house_number >= 10000 ? 5
                                                         : where.house_number >= 1000 ? 4
                                                         : where.house_number >= 100  ? 3
                                                         : where.house_number >= 10   ? 2
                                                                                      : 1);
    out->street_name = t.street_names()[where.street];
    MaybeTypo(m.street_typo, Event::kStreetTypo, rng, counts, &out->street_name);
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
    out->zip.append(city.zip3);
    AppendZeroPadded(&out->zip, where.zip_tail, 2);
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
