#include "src/synth/layout.h"

#include "src/io/csv.h"
#include "src/synth/population.h"
#include "src/synth/tables.h"

namespace matchguard::synth {
namespace {

// Draws a format variation only where the layout has one, so layouts without it draw nothing.
bool Varies(double share, Rng& rng) { return share > 0 && rng.Chance(share); }

void AppendCased(std::string_view text, TextCase text_case, std::string* out) {
  switch (text_case) {
    case TextCase::kAsWritten:
      out->append(text);
      break;
    case TextCase::kUpper:
      AppendUpper(out, text);
      break;
    case TextCase::kUpperAscii: {
      std::string plain;
      AppendWithoutAccents(&plain, text);
      AppendUpper(out, plain);
      break;
    }
  }
}

void AppendDate(const Date& d, std::string_view order, char separator, std::string* out) {
  for (size_t i = 0; i < order.size(); ++i) {
    if (i > 0 && separator != 0) out->push_back(separator);
    switch (order[i]) {
      case 'Y':
        AppendZeroPadded(out, static_cast<uint64_t>(d.year), 4);
        break;
      case 'M':
        AppendZeroPadded(out, static_cast<uint64_t>(d.month), 2);
        break;
      default:
        AppendZeroPadded(out, static_cast<uint64_t>(d.day), 2);
        break;
    }
  }
}

// Digits split into groups ("123", "45", "6789") joined by `separator`.
void AppendGrouped(std::string_view digits, std::initializer_list<size_t> groups, char separator, std::string* out) {
  size_t at = 0;
  for (size_t size : groups) {
    if (at > 0) out->push_back(separator);
    out->append(digits.substr(at, size));
    at += size;
  }
}

void AppendWithoutLeadingZeros(std::string_view digits, std::string* out) {
  size_t first = digits.find_first_not_of('0');
  out->append(first == std::string_view::npos ? std::string_view("0") : digits.substr(first));
}

// "1234 Oak Street" / "Oak St" / "1234 Oak" (suffix dropped).
void AppendStreet(const Observed& o, bool with_number, bool suffix_word, std::string* out) {
  if (o.address_missing) return;
  if (with_number) {
    out->append(o.house_number);
    out->push_back(' ');
  }
  out->append(o.street_name);
  if (o.suffix_dropped) return;
  out->push_back(' ');
  out->append(suffix_word ? o.street_suffix_word : o.street_suffix_abbreviation);
}

// "SMITH JR, WILLIAM J" or "WILLIAM J SMITH JR". The surname-first form keeps its comma when a part is
// missing ("SMITH," or ", WILLIAM"), as a system that prints "LAST, FIRST" does.
void AppendFullName(const Observed& o, bool surname_first, std::string* out) {
  std::string_view suffix = o.last.empty() ? "" : o.generation == 'J' ? " Jr" : o.generation == 'S' ? " Sr" : "";
  std::string given = o.first;
  if (!o.middle.empty()) given += (given.empty() ? "" : " ") + o.middle;
  if (surname_first) {
    *out += o.last;
    *out += suffix;
    out->push_back(',');
    if (!given.empty()) *out += " " + given;
    return;
  }
  *out += given;
  if (!given.empty() && !o.last.empty()) out->push_back(' ');
  *out += o.last;
  *out += suffix;
}

bool IsMissing(ColumnFormat format, const Observed& o) {
  switch (format) {
    case ColumnFormat::kFirstName:
      return o.first.empty();
    case ColumnFormat::kMiddleName:
      return o.middle.empty();
    case ColumnFormat::kLastName:
      return o.last.empty();
    case ColumnFormat::kFullName:
      return o.first.empty() && o.last.empty();
    case ColumnFormat::kDobIso:
    case ColumnFormat::kDobUs:
    case ColumnFormat::kDobCompact:
    case ColumnFormat::kDobTimestamp:
      return o.dob_missing;
    case ColumnFormat::kSexLetter:
    case ColumnFormat::kSexWord:
    case ColumnFormat::kSexDigit:
      return o.sex == 0;
    case ColumnFormat::kSsn:
    case ColumnFormat::kSsnSpaced:
    case ColumnFormat::kSsnNumber:
      return o.ssn.empty();
    case ColumnFormat::kZip:
    case ColumnFormat::kZipPlus4:
    case ColumnFormat::kZipPlus4Digits:
    case ColumnFormat::kZipNumber:
      return o.zip.empty();
    case ColumnFormat::kPhone:
    case ColumnFormat::kPhoneDigits:
    case ColumnFormat::kPhoneDotted:
      return o.phone.empty();
    case ColumnFormat::kMbi:
      return o.mbi.empty();
    case ColumnFormat::kStreet:
    case ColumnFormat::kHouseNumber:
    case ColumnFormat::kStreetName:
    case ColumnFormat::kCity:
    case ColumnFormat::kState:
      return false;  // written blank where blank, variations drawn regardless
  }
  return false;
}

// Names, streets and cities: written in the column's case, and quoted where they hold a comma.
bool IsText(ColumnFormat format) {
  switch (format) {
    case ColumnFormat::kFirstName:
    case ColumnFormat::kMiddleName:
    case ColumnFormat::kLastName:
    case ColumnFormat::kFullName:
    case ColumnFormat::kStreet:
    case ColumnFormat::kStreetName:
    case ColumnFormat::kCity:
      return true;
    default:
      return false;
  }
}

// The value of one column, before its text case is applied.
void AppendValue(const ColumnSpec& spec, const Observed& o, Rng& rng, std::string* out) {
  switch (spec.format) {
    case ColumnFormat::kFirstName:
      out->append(o.first);
      break;
    case ColumnFormat::kMiddleName:
      out->append(o.middle);
      break;
    case ColumnFormat::kLastName:
      out->append(o.last);
      break;
    case ColumnFormat::kFullName:
      AppendFullName(o, Varies(spec.share, rng), out);
      break;
    case ColumnFormat::kDobIso:
      AppendDate(o.dob, "YMD", '-', out);
      break;
    case ColumnFormat::kDobUs:
      AppendDate(o.dob, "MDY", '/', out);
      break;
    case ColumnFormat::kDobCompact:
      AppendDate(o.dob, "YMD", 0, out);
      break;
    case ColumnFormat::kDobTimestamp:
      AppendDate(o.dob, "YMD", '-', out);
      out->append(" 00:00:00");
      break;
    case ColumnFormat::kSexLetter:
      out->push_back(o.sex);
      break;
    case ColumnFormat::kSexWord:
      out->append(o.sex == 'F' ? "Female" : "Male");
      break;
    case ColumnFormat::kSexDigit:
      out->push_back(o.sex == 'F' ? '2' : '1');
      break;
    case ColumnFormat::kSsn:
    case ColumnFormat::kSsnSpaced:
      if (Varies(spec.share, rng)) {
        AppendGrouped(o.ssn, {3, 2, 4}, spec.format == ColumnFormat::kSsn ? '-' : ' ', out);
      } else {
        out->append(o.ssn);
      }
      break;
    case ColumnFormat::kSsnNumber:
      AppendWithoutLeadingZeros(o.ssn, out);
      break;
    case ColumnFormat::kStreet:
      AppendStreet(o, true, Varies(spec.share, rng), out);
      break;
    case ColumnFormat::kHouseNumber:
      out->append(o.address_missing ? "" : o.house_number);
      break;
    case ColumnFormat::kStreetName:
      AppendStreet(o, false, Varies(spec.share, rng), out);
      break;
    case ColumnFormat::kCity:
      out->append(o.city_name);
      break;
    case ColumnFormat::kState:
      out->append(Tables::Get().cities()[o.city].state);
      break;
    case ColumnFormat::kZip:
      out->append(o.zip);
      break;
    case ColumnFormat::kZipPlus4:
    case ColumnFormat::kZipPlus4Digits:
      out->append(o.zip);
      if (Varies(spec.share, rng)) {
        if (spec.format == ColumnFormat::kZipPlus4) out->push_back('-');
        AppendZeroPadded(out, rng.Below(10000), 4);
      }
      break;
    case ColumnFormat::kZipNumber:
      AppendWithoutLeadingZeros(o.zip, out);
      break;
    case ColumnFormat::kPhone:
      if (Varies(spec.share, rng)) {
        *out += "(" + o.phone.substr(0, 3) + ") ";
        AppendGrouped(std::string_view(o.phone).substr(3), {3, 4}, '-', out);
      } else {
        AppendGrouped(o.phone, {3, 3, 4}, '-', out);
      }
      break;
    case ColumnFormat::kPhoneDigits:
      out->append(o.phone);
      break;
    case ColumnFormat::kPhoneDotted:
      AppendGrouped(o.phone, {3, 3, 4}, '.', out);
      break;
    case ColumnFormat::kMbi:
      if (Varies(spec.share, rng)) {  // printed on the card as 1EG4-TE5-MK73
        AppendGrouped(o.mbi, {4, 3, 4}, '-', out);
      } else {
        out->append(o.mbi);
      }
      break;
  }
}

}  // namespace

std::string LayoutHeader(const FileLayout& layout) {
  std::string header(layout.id_header);
  for (const ColumnSpec& spec : layout.columns) {
    header.push_back(',');
    header.append(spec.header);
  }
  return header;
}

void AppendColumns(const FileLayout& layout, const Observed& record, Rng& rng, std::string* out, std::string* scratch) {
  thread_local std::string cased;
  for (const ColumnSpec& spec : layout.columns) {
    out->push_back(',');
    if (IsMissing(spec.format, record)) {
      out->append(spec.missing);
      continue;
    }
    if (!IsText(spec.format)) {  // digits and codes: nothing to case or quote
      AppendValue(spec, record, rng, out);
      continue;
    }
    scratch->clear();
    AppendValue(spec, record, rng, scratch);
    if (spec.text_case == TextCase::kAsWritten) {
      AppendCsvField(out, *scratch);
      continue;
    }
    cased.clear();
    AppendCased(*scratch, spec.text_case, &cased);
    AppendCsvField(out, cased);
  }
}

}  // namespace matchguard::synth
