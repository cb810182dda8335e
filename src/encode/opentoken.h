// OpenToken-compatible person tokens (TruvetaPublic/OpenToken 1.12.5 rules T1..T5).
//
// Each rule joins normalised attributes into a signature ("DOE|J|MALE|1980-01-02"), hashes it with SHA-256
// (lower-case hex), keys that hex with HMAC-SHA256 under the hashing secret and base64-encodes the MAC;
// with an encryption key the base64 text is then sealed with AES-256-GCM (random 12-byte IV, output
// base64(iv | ciphertext | tag)). A rule any of whose attributes is missing or invalid yields the literal
// 64-zero blank token. Attribute validation and normalisation follow OpenToken exactly, including the order
// in which a rule stops at its first invalid attribute (which decides what is counted as invalid).
//
// Thread-safety: an OpenTokenGenerator is immutable after Create; Generate may be called from several
// threads at once (each call uses its own OpenSSL contexts).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "matchguard/status.h"

namespace matchguard {

enum class PersonAttribute : uint8_t {
  kFirstName,
  kLastName,
  kBirthDate,
  kSex,
  kSocialSecurityNumber,
  kPostalCode,
};
constexpr size_t kPersonAttributeCount = 6;
constexpr size_t kOpenTokenRuleCount = 5;
inline constexpr std::string_view kOpenTokenBlank = "0000000000000000000000000000000000000000000000000000000000000000";

// OpenToken's attribute name ("FirstName", ...), used in its metadata.
std::string_view PersonAttributeName(PersonAttribute attribute);
// The attribute a CSV column header denotes (case-insensitive aliases: GivenName, Surname, Gender,
// NationalIdentificationNumber, ZipCode, ZIP3, ZIP4, ZIP5), or nullopt.
std::optional<PersonAttribute> PersonAttributeForHeader(std::string_view header);
// True for the record id column ("RecordId" or "Id", case-insensitive).
bool IsRecordIdHeader(std::string_view header);

// A record's attribute values; nullopt when the input has no column for the attribute.
using PersonValues = std::array<std::optional<std::string_view>, kPersonAttributeCount>;

struct OpenTokenResult {
  std::array<std::string, kOpenTokenRuleCount> tokens;  // T1..T5
  uint8_t invalid_attributes = 0;  // bit i set: PersonAttribute i was found invalid
  uint8_t blank_rules = 0;         // bit r set: rule T(r+1) gave the blank token
};

// Validation and normalisation of single attributes, as OpenToken does them (exposed for tests).
bool ValidatePersonAttribute(PersonAttribute attribute, std::string_view value);
std::string NormalizePersonAttribute(PersonAttribute attribute, std::string_view value);

class OpenTokenGenerator {
 public:
  // The generator copies the secrets and wipes its copies when destroyed. `encryption_key`, when given,
  // must be exactly 32 bytes (AES-256).
  static Result<std::unique_ptr<OpenTokenGenerator>> Create(std::string_view hashing_secret,
                                                            std::optional<std::string_view> encryption_key);
  ~OpenTokenGenerator();
  OpenTokenGenerator(const OpenTokenGenerator&) = delete;
  OpenTokenGenerator& operator=(const OpenTokenGenerator&) = delete;

  // The signature of rule `rule` (0 for T1), or nullopt when an attribute is missing or invalid (the first
  // invalid attribute is then added to `*invalid`).
  std::optional<std::string> Signature(size_t rule, const PersonValues& values, uint8_t* invalid) const;

  Status Generate(const PersonValues& values, OpenTokenResult* result) const;

  bool encrypts() const { return encryption_key_.has_value(); }

 private:
  OpenTokenGenerator() = default;
  Result<std::string> Seal(std::string_view plaintext) const;

  std::string hashing_secret_;
  std::optional<std::string> encryption_key_;
};

// SHA-256 of `text` as lower-case hex (OpenToken's metadata records the secrets' hashes this way).
std::string Sha256Hex(std::string_view text);

}  // namespace matchguard
