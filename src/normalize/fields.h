// The person fields matchguard understands, and how a file's columns map onto them.
//
// Detection compares header names case-insensitively, ignoring spaces, dashes and underscores, against a
// synonym list per field (first_name: first_name, given_name, first, fname, forename, ...). An explicit
// mapping (from the [fields] table of a config file) overrides detection.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "matchguard/status.h"
#include "src/io/table.h"

namespace matchguard {

enum class FieldKind : uint8_t {
  kId,
  kFirstName,
  kMiddleName,
  kLastName,
  kFullName,
  kDob,
  kSex,
  kSsn,
  kStreet,
  kStreetNumber,
  kCity,
  kState,
  kZip,
  kPhone,
  kEmail,
  kMbi,
};
inline constexpr size_t kFieldKindCount = 16;

// Canonical snake_case name ("first_name", "dob", "mbi").
std::string_view FieldKindName(FieldKind kind);
// Inverse of FieldKindName; nullopt for an unknown name.
std::optional<FieldKind> ParseFieldKind(std::string_view name);

// The field a single column or feature name denotes by the synonym lists ("given_name" -> kFirstName);
// nullopt when it names none.
std::optional<FieldKind> DetectFieldKind(std::string_view header);

// Which column of a Table holds each field.
struct FieldMapping {
  std::array<std::optional<size_t>, kFieldKindCount> columns{};

  std::optional<size_t> column(FieldKind kind) const { return columns[static_cast<size_t>(kind)]; }
  bool has(FieldKind kind) const { return column(kind).has_value(); }
};

// Detects the mapping from `table`'s header. `overrides` maps a field to the exact header name that holds
// it; an override naming a column the table lacks is an error that lists the columns found.
Result<FieldMapping> DetectFields(const Table& table, const std::map<FieldKind, std::string>& overrides = {});

}  // namespace matchguard
