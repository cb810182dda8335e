#include "src/encode/clk_encoder.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <utf8proc.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <unordered_map>

#include "src/core/utf8.h"

namespace matchguard {
namespace {

constexpr size_t kMaxCachedTokens = 1 << 16;

// Python integers are unbounded; 128 bits cover every value an identifier can scale to.
__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

// ---------------------------------------------------------------- text helpers

void DecodeUtf8(std::string_view s, std::vector<char32_t>* out) {
  out->clear();
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<uint8_t>(s[i]);
    if (c < 0x80) {
      out->push_back(c);
      ++i;
      continue;
    }
    int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    char32_t cp = c & (0x7F >> len);
    for (int k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<uint8_t>(s[i + k]) & 0x3F);
    out->push_back(cp);
    i += static_cast<size_t>(len);
  }
}

void AppendUtf8(std::string* out, char32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

void AppendLe(std::string* out, uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// Python's str.encode(encoding) of a token: utf-16 and utf-32 start every encoded string with a
// little-endian byte-order mark, which clkhash therefore hashes as part of each token.
void EncodeToken(const char32_t* cps, size_t n, TextEncoding encoding, std::string* out) {
  switch (encoding) {
    case TextEncoding::kUtf8:
    case TextEncoding::kAscii:
      for (size_t i = 0; i < n; ++i) AppendUtf8(out, cps[i]);
      return;
    case TextEncoding::kUtf16:
      out->append("\xFF\xFE", 2);
      for (size_t i = 0; i < n; ++i) {
        char32_t cp = cps[i];
        if (cp >= 0x10000) {
          cp -= 0x10000;
          AppendLe(out, 0xD800 + (cp >> 10), 2);
          AppendLe(out, 0xDC00 + (cp & 0x3FF), 2);
        } else {
          AppendLe(out, cp, 2);
        }
      }
      return;
    case TextEncoding::kUtf32:
      out->append("\xFF\xFE\0\0", 4);
      for (size_t i = 0; i < n; ++i) AppendLe(out, cps[i], 4);
      return;
  }
}

bool IsPyWhitespace(char c) { return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1C && c <= 0x1F); }

std::string_view StripPy(std::string_view s) {
  while (!s.empty() && IsPyWhitespace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsPyWhitespace(s.back())) s.remove_suffix(1);
  return s;
}

// Python's int(s, 10): surrounding whitespace, an optional sign, digits with single underscores between
// them. Values beyond int64 are refused (clkhash would accept them; no identifier needs them).
bool ParsePyInt(std::string_view s, int64_t* out) {
  s = StripPy(s);
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return false;
  UInt128 v = 0;
  bool last_digit = false;
  for (char c : s) {
    if (c == '_') {
      if (!last_digit) return false;
      last_digit = false;
      continue;
    }
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
    if (v > static_cast<UInt128>(INT64_MAX) + 1) return false;
    last_digit = true;
  }
  if (!last_digit) return false;
  if (!negative && v > static_cast<UInt128>(INT64_MAX)) return false;
  *out = negative ? static_cast<int64_t>(-static_cast<Int128>(v)) : static_cast<int64_t>(v);
  return true;
}

// Python's float(s) for the forms identifiers use (no underscores, no hexadecimal).
bool ParsePyFloat(std::string_view s, double* out) {
  s = StripPy(s);
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-' || c == 'i' ||
          c == 'n' || c == 'f' || c == 'a' || c == 't' || c == 'y' || c == 'I' || c == 'N' || c == 'F' ||
          c == 'A' || c == 'T' || c == 'Y')) {
      return false;
    }
  }
  std::string copy(s);
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size()) return false;
  *out = v;
  return true;
}

std::string I128ToString(Int128 v) {
  if (v == 0) return "0";
  bool negative = v < 0;
  UInt128 u = negative ? static_cast<UInt128>(-(v + 1)) + 1 : static_cast<UInt128>(v);
  std::string digits;
  while (u > 0) {
    digits.push_back(static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  }
  if (negative) digits.push_back('-');
  std::reverse(digits.begin(), digits.end());
  return digits;
}

// clkhash's NumericComparison: quantise to the grid of threshold/(2*resolution) and emit the 2*resolution+1
// neighbouring grid points, all scaled by 2*resolution to stay in integers.
bool NumericTokens(const FeatureSpec& f, std::string_view word, std::vector<std::string>* tokens) {
  constexpr Int128 kLimit = static_cast<Int128>(1) << 100;
  double scale = std::pow(10.0, f.fractional_precision);
  Int128 interval = static_cast<Int128>(std::nearbyint(f.threshold_distance * scale));
  Int128 v = 0;
  int64_t integer = 0;
  if (ParsePyInt(word, &integer)) {
    v = integer;
    for (int i = 0; i < f.fractional_precision; ++i) v *= 10;
  } else {
    double d = 0;
    if (!ParsePyFloat(word, &d) || !std::isfinite(d)) return false;
    double scaled = f.fractional_precision > 0 ? std::nearbyint(d * scale) : std::trunc(d);
    if (std::fabs(scaled) > 1e29) return false;
    v = static_cast<Int128>(scaled);
  }
  v = v * 2 * f.resolution;
  if (v > kLimit || v < -kLimit) return false;
  Int128 residue = v % interval;
  if (residue < 0) residue += interval;  // Python's modulo has the divisor's sign
  if (residue != 0) {
    if (static_cast<double>(residue) < static_cast<double>(interval) / 2) {
      v -= residue;
    } else {
      v += interval - residue;
    }
  }
  for (int64_t i = -f.resolution; i <= f.resolution; ++i) tokens->push_back(I128ToString(v + i * interval));
  return true;
}

bool IsLowerCase(const std::vector<char32_t>& cps) {
  for (char32_t c : cps) {
    if (utf8proc_tolower(static_cast<utf8proc_int32_t>(c)) != static_cast<utf8proc_int32_t>(c)) return false;
  }
  return true;
}

bool IsUpperCase(const std::vector<char32_t>& cps) {
  for (char32_t c : cps) {
    if (utf8proc_toupper(static_cast<utf8proc_int32_t>(c)) != static_cast<utf8proc_int32_t>(c)) return false;
  }
  return true;
}

// ---------------------------------------------------------------- OpenSSL helpers

struct MacDeleter {
  void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};
using MacCtx = std::unique_ptr<EVP_MAC_CTX, MacDeleter>;

MacCtx NewHmac(const char* digest, const std::string& key) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac == nullptr) return nullptr;
  MacCtx ctx(EVP_MAC_CTX_new(mac));
  EVP_MAC_free(mac);
  if (!ctx) return nullptr;
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(digest), 0),
                         OSSL_PARAM_construct_end()};
  if (EVP_MAC_init(ctx.get(), reinterpret_cast<const unsigned char*>(key.data()), key.size(), params) != 1) {
    return nullptr;
  }
  return ctx;
}

MacCtx NewBlake(const std::string& key, size_t salt_index) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "BLAKE2BMAC", nullptr);
  if (mac == nullptr) return nullptr;
  MacCtx ctx(EVP_MAC_CTX_new(mac));
  EVP_MAC_free(mac);
  if (!ctx) return nullptr;
  // clkhash salts the i-th digest with str(i); BLAKE2b zero-pads the salt to 16 bytes.
  std::string salt = std::to_string(salt_index);
  size_t size = 64;
  OSSL_PARAM params[] = {OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_SALT, salt.data(), salt.size()),
                         OSSL_PARAM_construct_size_t(OSSL_MAC_PARAM_SIZE, &size), OSSL_PARAM_construct_end()};
  if (EVP_MAC_init(ctx.get(), reinterpret_cast<const unsigned char*>(key.data()), key.size(), params) != 1) {
    return nullptr;
  }
  return ctx;
}

// One MAC of `data` with a context keyed earlier: re-initialising without a key reuses the keyed state.
bool Mac(EVP_MAC_CTX* ctx, std::string_view data, unsigned char* out, size_t out_size) {
  size_t len = 0;
  return EVP_MAC_init(ctx, nullptr, 0, nullptr) == 1 &&
         EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1 &&
         EVP_MAC_final(ctx, out, &len, out_size) == 1;
}

uint32_t BigEndianMod(const unsigned char* bytes, size_t n, uint32_t modulus) {
  uint64_t r = 0;
  for (size_t i = 0; i < n; ++i) r = ((r << 8) | bytes[i]) % modulus;
  return static_cast<uint32_t>(r);
}

Result<std::string> Hkdf(const ClkSchema& schema, std::string_view secret, size_t length) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  if (kdf == nullptr) return Error(Status::Internal("OpenSSL has no HKDF"));
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  EVP_KDF_free(kdf);
  if (ctx == nullptr) return Error(Status::Internal("cannot allocate an HKDF context"));
  std::vector<OSSL_PARAM> params;
  params.push_back(OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
                                                    const_cast<char*>(schema.kdf_sha512 ? "SHA512" : "SHA256"), 0));
  params.push_back(OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<char*>(secret.data()),
                                                     secret.size()));
  // An absent or empty salt means HashLen zero bytes (RFC 5869), which is OpenSSL's default too.
  if (schema.kdf_salt && !schema.kdf_salt->empty()) {
    params.push_back(OSSL_PARAM_construct_octet_string(
        OSSL_KDF_PARAM_SALT, const_cast<char*>(schema.kdf_salt->data()), schema.kdf_salt->size()));
  }
  if (schema.kdf_info && !schema.kdf_info->empty()) {
    params.push_back(OSSL_PARAM_construct_octet_string(
        OSSL_KDF_PARAM_INFO, const_cast<char*>(schema.kdf_info->data()), schema.kdf_info->size()));
  }
  params.push_back(OSSL_PARAM_construct_end());
  std::string out(length, '\0');
  int ok = EVP_KDF_derive(ctx, reinterpret_cast<unsigned char*>(out.data()), out.size(), params.data());
  EVP_KDF_CTX_free(ctx);
  if (ok != 1) return Error(Status::Internal("HKDF key derivation failed"));
  return out;
}

void SetBit(uint8_t* filter, uint32_t bit) { filter[bit >> 3] |= static_cast<uint8_t>(0x80u >> (bit & 7)); }

}  // namespace

// ---------------------------------------------------------------- Worker

class ClkEncoder::Worker {
 public:
  struct Cached {
    uint32_t sha1 = 0;  // doubleHash: HMAC-SHA1 mod bits
    uint32_t md5 = 0;   // doubleHash: HMAC-MD5 mod bits (non-zero when the singularity is prevented)
    std::vector<uint16_t> shorts;  // blakeHash: the digests' uint16 words computed so far
  };
  struct FeatureState {
    MacCtx sha1;
    MacCtx md5;
    std::vector<MacCtx> blake;  // one per salt index, created when first needed
    std::unordered_map<std::string, Cached> cache;
    uint32_t cache_bits = 0;
  };

  std::vector<FeatureState> features;
  std::vector<std::string> tokens;
  std::vector<uint32_t> ks;
  std::vector<char32_t> cps;
  std::vector<char32_t> token_cps;
  std::string formatted;
  std::vector<uint8_t> filter;
  bool broken = false;  // an OpenSSL context could not be created
};

ClkEncoder::~ClkEncoder() {
  for (std::string& key : keys_) OPENSSL_cleanse(key.data(), key.size());
}

Result<std::unique_ptr<ClkEncoder>> ClkEncoder::Create(ClkSchema schema, std::string_view secret) {
  std::unique_ptr<ClkEncoder> encoder(new ClkEncoder(std::move(schema)));
  const ClkSchema& s = encoder->schema_;
  size_t key_size = s.key_size;
  MG_ASSIGN_OR_RETURN(std::string material, Hkdf(s, secret, s.features.size() * 2 * key_size));
  for (size_t i = 0; i < s.features.size() * 2; ++i) encoder->keys_.push_back(material.substr(i * key_size, key_size));
  OPENSSL_cleanse(material.data(), material.size());
  // Fail now, not per record, if this OpenSSL lacks an algorithm the schema needs.
  auto probe = encoder->NewWorker();
  if (probe->broken) return Error(Status::Internal("OpenSSL lacks HMAC-SHA1, HMAC-MD5 or BLAKE2BMAC"));
  return encoder;
}

void ClkEncoder::WorkerDeleter::operator()(Worker* worker) const { delete worker; }

ClkEncoder::WorkerPtr ClkEncoder::NewWorker() const {
  WorkerPtr worker(new Worker());
  worker->features.resize(schema_.features.size());
  for (size_t i = 0; i < schema_.features.size(); ++i) {
    const FeatureSpec& f = schema_.features[i];
    if (!f.hashed()) continue;
    Worker::FeatureState& state = worker->features[i];
    if (f.hash == ClkHashType::kDouble) {
      state.sha1 = NewHmac("SHA1", keys_[2 * i]);
      state.md5 = NewHmac("MD5", keys_[2 * i + 1]);
      if (!state.sha1 || !state.md5) worker->broken = true;
    } else {
      state.blake.push_back(NewBlake(keys_[2 * i], 0));
      if (!state.blake[0]) worker->broken = true;
    }
  }
  return worker;
}

// ---------------------------------------------------------------- validation and formatting

namespace {

// Validates `value` (not a sentinel) and writes what clkhash hashes into `formatted`.
bool FormatValue(const FeatureSpec& f, std::string_view value, std::vector<char32_t>* cps, std::string* formatted,
                 std::string* error) {
  if (!IsValidUtf8(value)) {
    *error = "not valid UTF-8";
    return false;
  }
  switch (f.type) {
    case FeatureType::kIgnored:
      formatted->clear();
      return true;
    case FeatureType::kString: {
      DecodeUtf8(value, cps);
      if (f.encoding == TextEncoding::kAscii) {
        for (char32_t c : *cps) {
          if (c >= 0x80) {
            *error = "expected text that can be encoded as ascii";
            return false;
          }
        }
      }
      if (f.regex) {
        if (!std::regex_match(value.begin(), value.end(), *f.regex)) {
          *error = "expected a value matching the pattern '" + *f.pattern + "'";
          return false;
        }
      } else {
        auto length = static_cast<int64_t>(cps->size());
        if (length < f.min_length) {
          *error = "expected at least " + std::to_string(f.min_length) + " characters, found " + std::to_string(length);
          return false;
        }
        if (f.max_length && length > *f.max_length) {
          *error = "expected at most " + std::to_string(*f.max_length) + " characters, found " + std::to_string(length);
          return false;
        }
        if (f.letter_case == LetterCase::kLower && !IsLowerCase(*cps)) {
          *error = "expected lower-case text";
          return false;
        }
        if (f.letter_case == LetterCase::kUpper && !IsUpperCase(*cps)) {
          *error = "expected upper-case text";
          return false;
        }
      }
      formatted->assign(value);
      return true;
    }
    case FeatureType::kInteger: {
      int64_t v = 0;
      if (!ParsePyInt(value, &v)) {
        *error = "expected a base-10 integer";
        return false;
      }
      if ((f.minimum && v < *f.minimum) || (f.maximum && v > *f.maximum)) {
        *error = "expected an integer" + (f.minimum ? " of at least " + std::to_string(*f.minimum) : std::string()) +
                 (f.minimum && f.maximum ? " and" : "") +
                 (f.maximum ? " of at most " + std::to_string(*f.maximum) : std::string());
        return false;
      }
      *formatted = std::to_string(v);
      return true;
    }
    case FeatureType::kDate: {
      auto date = f.date->Parse(value);
      if (!date) {
        *error = "expected a valid date in the format '" + f.date_format + "'";
        return false;
      }
      *formatted = PythonDateFormat::FormatYmd(*date);
      return true;
    }
    case FeatureType::kEnum:
      if (!std::binary_search(f.enum_values.begin(), f.enum_values.end(), value)) {
        *error = "expected one of the feature's " + std::to_string(f.enum_values.size()) + " enum values";
        return false;
      }
      formatted->assign(value);
      return true;
  }
  return false;
}

// Appends the tokens clkhash's comparator produces for `word` (already formatted) to `tokens`.
bool Tokenize(const FeatureSpec& f, std::string_view word, std::vector<char32_t>* cps,
              std::vector<char32_t>* token_cps, std::vector<std::string>* tokens) {
  tokens->clear();
  if (word.empty()) return true;
  switch (f.comparison) {
    case ComparisonType::kExact:
      DecodeUtf8(word, cps);
      tokens->emplace_back();
      EncodeToken(cps->data(), cps->size(), f.encoding, &tokens->back());
      return true;
    case ComparisonType::kNumeric:
      return NumericTokens(f, word, tokens);
    case ComparisonType::kNgram: {
      DecodeUtf8(word, cps);
      size_t n = static_cast<size_t>(f.ngram_n);
      if (n > 1) {
        cps->insert(cps->begin(), n - 1, U' ');
        cps->insert(cps->end(), n - 1, U' ');
      }
      if (cps->size() < n) return true;
      for (size_t i = 0; i + n <= cps->size(); ++i) {
        tokens->emplace_back();
        if (f.positional) {
          token_cps->clear();
          for (char c : std::to_string(i + 1)) token_cps->push_back(static_cast<char32_t>(c));
          token_cps->push_back(U' ');
          token_cps->insert(token_cps->end(), cps->begin() + static_cast<ptrdiff_t>(i),
                            cps->begin() + static_cast<ptrdiff_t>(i + n));
          EncodeToken(token_cps->data(), token_cps->size(), f.encoding, &tokens->back());
        } else {
          EncodeToken(cps->data() + i, n, f.encoding, &tokens->back());
        }
      }
      return true;
    }
  }
  return false;
}

}  // namespace

bool ClkEncoder::Validate(size_t feature, std::string_view value, FieldError* error) const {
  const FeatureSpec& f = schema_.features[feature];
  if (!f.hashed() || (f.missing_sentinel && value == *f.missing_sentinel)) return true;
  std::vector<char32_t> cps;
  std::string formatted;
  error->feature = feature;
  return FormatValue(f, value, &cps, &formatted, &error->message);
}

Result<std::vector<std::string>> ClkEncoder::Tokens(size_t feature, std::string_view value) const {
  const FeatureSpec& f = schema_.features[feature];
  std::vector<char32_t> cps;
  std::vector<char32_t> token_cps;
  std::string formatted;
  std::string error;
  std::vector<std::string> tokens;
  if (!f.hashed()) return tokens;
  if (f.missing_sentinel && value == *f.missing_sentinel) {
    formatted = f.missing_replacement;
  } else if (!FormatValue(f, value, &cps, &formatted, &error)) {
    return Error(Status::InvalidArgument(f.identifier + ": " + error));
  }
  if (!Tokenize(f, formatted, &cps, &token_cps, &tokens)) {
    return Error(Status::InvalidArgument(f.identifier + ": expected a number for the numeric comparison"));
  }
  return tokens;
}

// ---------------------------------------------------------------- hashing

bool ClkEncoder::HashFeature(Worker& w, size_t feature, std::string_view value, uint32_t bits, uint8_t* filter,
                             FieldError* error, std::string_view salt) const {
  const FeatureSpec& f = schema_.features[feature];
  if (!f.hashed()) return true;
  std::string_view word;
  if (f.missing_sentinel && value == *f.missing_sentinel) {
    word = f.missing_replacement;  // clkhash neither validates nor formats the replacement
  } else {
    if (!FormatValue(f, value, &w.cps, &w.formatted, &error->message)) {
      error->feature = feature;
      return false;
    }
    word = w.formatted;
  }
  if (!Tokenize(f, word, &w.cps, &w.token_cps, &w.tokens)) {
    error->feature = feature;
    error->message = "expected a number for the numeric comparison";
    return false;
  }
  size_t n = w.tokens.size();
  if (n == 0) return true;
  if (!salt.empty()) {
    for (std::string& token : w.tokens) {
      token.push_back('\x1f');
      token.append(salt);
    }
  }
  w.ks.assign(n, static_cast<uint32_t>(f.strategy_bits));
  if (f.bits_per_feature) {
    auto k = static_cast<uint32_t>(f.strategy_bits / static_cast<int64_t>(n));
    auto residue = static_cast<size_t>(f.strategy_bits % static_cast<int64_t>(n));
    for (size_t i = 0; i < n; ++i) w.ks[i] = i < residue ? k + 1 : k;
  }

  Worker::FeatureState& state = w.features[feature];
  if (state.cache_bits != bits || state.cache.size() > kMaxCachedTokens) {
    state.cache.clear();
    state.cache_bits = bits;
  }
  for (size_t t = 0; t < n; ++t) {
    uint32_t k = w.ks[t];
    if (k == 0) continue;
    auto [it, inserted] = state.cache.try_emplace(w.tokens[t]);
    Worker::Cached& c = it->second;
    if (f.hash == ClkHashType::kDouble) {
      if (inserted) {
        unsigned char sha1[EVP_MAX_MD_SIZE];
        unsigned char md5[EVP_MAX_MD_SIZE];
        if (!Mac(state.sha1.get(), w.tokens[t], sha1, sizeof sha1) ||
            !Mac(state.md5.get(), w.tokens[t], md5, sizeof md5)) {
          state.cache.erase(it);
          error->feature = feature;
          error->message = "internal error: HMAC failed";
          return false;
        }
        c.sha1 = BigEndianMod(sha1, 20, bits);
        c.md5 = BigEndianMod(md5, 16, bits);
        // clkhash's fix for issue 33: re-hash token + chr(i) until the step is non-zero.
        std::string extended;
        for (char32_t i = 0; f.prevent_singularity && c.md5 == 0 && i < 0x110000; ++i) {
          extended.assign(w.tokens[t]);
          AppendUtf8(&extended, i);
          if (!Mac(state.md5.get(), extended, md5, sizeof md5)) break;
          c.md5 = BigEndianMod(md5, 16, bits);
        }
      }
      uint64_t pos = c.sha1;
      for (uint32_t i = 0; i < k; ++i) {
        SetBit(filter, static_cast<uint32_t>(pos));
        pos += c.md5;
        if (pos >= bits) pos -= bits;
      }
    } else {
      size_t needed = (static_cast<size_t>(k) + 31) / 32 * 32;
      while (c.shorts.size() < needed) {
        size_t salt_index = c.shorts.size() / 32;
        while (state.blake.size() <= salt_index) state.blake.push_back(NewBlake(keys_[2 * feature], state.blake.size()));
        unsigned char digest[64];
        if (!state.blake[salt_index] || !Mac(state.blake[salt_index].get(), w.tokens[t], digest, sizeof digest)) {
          state.cache.erase(it);
          error->feature = feature;
          error->message = "internal error: BLAKE2b failed";
          return false;
        }
        for (int i = 0; i < 32; ++i) {
          c.shorts.push_back(static_cast<uint16_t>(digest[2 * i] | (digest[2 * i + 1] << 8)));
        }
      }
      uint32_t mask = bits - 1;  // blakeHash lengths are powers of two
      for (uint32_t i = 0; i < k; ++i) SetBit(filter, c.shorts[i] & mask);
    }
  }
  return true;
}

bool ClkEncoder::Encode(Worker& w, const std::vector<std::string_view>& values, uint8_t* out,
                        FieldError* error, std::string_view salt) const {
  uint32_t bits = schema_.hash_bits();
  w.filter.assign(bits / 8, 0);
  for (size_t i = 0; i < schema_.features.size(); ++i) {
    if (!HashFeature(w, i, values[i], bits, w.filter.data(), error, salt)) return false;
  }
  // XOR-fold: each fold XORs the first half with the second.
  size_t bytes = bits / 8;
  for (uint32_t fold = 0; fold < schema_.xor_folds; ++fold) {
    bytes /= 2;
    for (size_t b = 0; b < bytes; ++b) w.filter[b] ^= w.filter[b + bytes];
  }
  std::memcpy(out, w.filter.data(), clk_bytes());
  return true;
}

bool ClkEncoder::EncodeFeature(Worker& w, size_t feature, std::string_view value, uint32_t bits, uint8_t* out,
                               FieldError* error, std::string_view salt) const {
  std::memset(out, 0, bits / 8);
  return HashFeature(w, feature, value, bits, out, error, salt);
}

}  // namespace matchguard
