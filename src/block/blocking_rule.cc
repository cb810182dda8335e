// Parsing and printing of blocking rules.
#include <cctype>
#include <charconv>
#include <string>

#include "src/block/blocking.h"

namespace matchguard {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

constexpr int kMaxN = 64;
constexpr const char* kExpectedTransforms = "first, firstN, lastN, soundex, nysiis, year or exact (N in 1..64)";

// Reads the N of "firstN"/"lastN"; nullopt when `digits` is not a number in 1..kMaxN.
std::optional<int> ParseCount(std::string_view digits) {
  int n = 0;
  if (digits.empty() || digits.size() > 2) return std::nullopt;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || ptr != digits.data() + digits.size() || n < 1 || n > kMaxN) return std::nullopt;
  return n;
}

std::optional<KeyPart> ParseTransform(std::string_view fn, FieldKind field) {
  KeyPart part{field, KeyTransform::kExact, 0};
  if (fn == "exact") return part;
  if (fn == "first") return KeyPart{field, KeyTransform::kFirstChar, 0};
  if (fn == "soundex") return KeyPart{field, KeyTransform::kSoundex, 0};
  if (fn == "nysiis") return KeyPart{field, KeyTransform::kNysiis, 0};
  if (fn == "year") return KeyPart{field, KeyTransform::kYear, 0};
  for (auto [prefix, transform] : {std::pair{std::string_view("first"), KeyTransform::kFirstN},
                                   std::pair{std::string_view("last"), KeyTransform::kLastN}}) {
    if (fn.substr(0, prefix.size()) != prefix) continue;
    std::optional<int> n = ParseCount(fn.substr(prefix.size()));
    if (!n) return std::nullopt;
    if (transform == KeyTransform::kFirstN && *n == 1) return KeyPart{field, KeyTransform::kFirstChar, 0};
    return KeyPart{field, transform, *n};
  }
  return std::nullopt;
}

Result<KeyPart> ParsePart(std::string_view rule_text, size_t index, std::string_view text) {
  const std::string where =
      "blocking rule '" + std::string(rule_text) + "', part " + std::to_string(index + 1) + " ('" +
      std::string(text) + "')";
  if (text.empty()) return Error(Status::InvalidArgument(where + ": the part is empty; expected a field or transform(field)"));
  std::string fn;
  std::string_view field_text = text;
  const size_t open = text.find('(');
  if (open != std::string_view::npos) {
    if (text.back() != ')') {
      return Error(Status::InvalidArgument(where + ": expected ')' at the end of transform(field)"));
    }
    fn = Lower(Trim(text.substr(0, open)));
    field_text = Trim(text.substr(open + 1, text.size() - open - 2));
  } else if (text.find(')') != std::string_view::npos) {
    return Error(Status::InvalidArgument(where + ": ')' without '('"));
  }
  const std::string field_name = Lower(field_text);
  std::optional<FieldKind> field = ParseFieldKind(field_name);
  if (!field) {
    return Error(Status::InvalidArgument(where + ": unknown field '" + field_name +
                                         "'; expected a field name such as first_name, last_name, dob, ssn, zip"));
  }
  if (fn.empty()) return KeyPart{*field, KeyTransform::kExact, 0};
  std::optional<KeyPart> part = ParseTransform(fn, *field);
  if (!part) {
    return Error(Status::InvalidArgument(where + ": unknown transform '" + fn + "'; expected " + kExpectedTransforms));
  }
  return *part;
}

}  // namespace

Result<BlockingRule> ParseBlockingRule(std::string_view text) {
  const std::string_view trimmed = Trim(text);
  if (trimmed.empty()) {
    return Error(Status::InvalidArgument("blocking rule is empty; expected parts such as 'soundex(last_name)+year(dob)'"));
  }
  BlockingRule rule;
  size_t start = 0;
  for (size_t index = 0;; ++index) {
    const size_t plus = trimmed.find('+', start);
    const std::string_view piece =
        Trim(trimmed.substr(start, plus == std::string_view::npos ? std::string_view::npos : plus - start));
    MG_ASSIGN_OR_RETURN(KeyPart part, ParsePart(trimmed, index, piece));
    rule.parts.push_back(part);
    if (plus == std::string_view::npos) break;
    start = plus + 1;
  }
  rule.name = BlockingRuleToString(rule);
  return rule;
}

std::string BlockingRuleToString(const BlockingRule& rule) {
  std::string out;
  for (const KeyPart& part : rule.parts) {
    if (!out.empty()) out += '+';
    const std::string field(FieldKindName(part.field));
    switch (part.transform) {
      case KeyTransform::kExact:
        out += field;
        break;
      case KeyTransform::kFirstChar:
        out += "first(" + field + ")";
        break;
      case KeyTransform::kSoundex:
        out += "soundex(" + field + ")";
        break;
      case KeyTransform::kNysiis:
        out += "nysiis(" + field + ")";
        break;
      case KeyTransform::kYear:
        out += "year(" + field + ")";
        break;
      case KeyTransform::kFirstN:
        out += "first" + std::to_string(part.n) + "(" + field + ")";
        break;
      case KeyTransform::kLastN:
        out += "last" + std::to_string(part.n) + "(" + field + ")";
        break;
    }
  }
  return out;
}

}  // namespace matchguard
