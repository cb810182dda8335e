// The audit log's public API: key generation, verification, inclusion proofs and the accounting of
// disclosures, as the `matchguard audit` commands use them.
//
// The log is an append-only file of canonical JSON lines whose entries are leaves of an RFC 9162 Merkle
// tree, with Ed25519-signed checkpoints (see docs/governance.md). Entries hold ids, field names, counts and
// hashes only. Writing to the log is done by the governance layer (agreements, runs, cases, purges).
//
// Thread-safety: each function reads or writes files through the given FileSystem; one writer per log.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "matchguard/file_system.h"
#include "matchguard/status.h"

namespace matchguard {

// File names written by GenerateAuditKeys inside its folder.
inline constexpr char kAuditPrivateKeyFile[] = "audit_ed25519.pem";
inline constexpr char kAuditPublicKeyFile[] = "audit_ed25519.pub.pem";

struct AuditKeyFiles {
  std::string private_key_path;  // PKCS#8 PEM, mode 0600
  std::string public_key_path;   // SubjectPublicKeyInfo PEM
  std::string key_id;            // first 16 hex digits of SHA-256 of the raw public key
};
// Creates `dir` if needed and writes a fresh Ed25519 key pair. Refuses to overwrite an existing key.
Result<AuditKeyFiles> GenerateAuditKeys(FileSystem& fs, const std::string& dir);

struct AuditVerifyRequest {
  std::string log_path;
  std::string public_key_path;
  // A checkpoint seen earlier (size and root hex): the log must still contain it (detects truncation).
  std::optional<uint64_t> trusted_size;
  std::string trusted_root_hex;
  // A witness file kept by another party (the oversight role): the checkpoint (size and root) seen at the
  // last verification. When it exists the log must still contain that tree (a truncation or rollback is
  // detected without anyone supplying a size); after a successful verification it is advanced to the
  // log's last checkpoint. Created when absent.
  std::string witness_path;
};
struct AuditVerifySummary {
  uint64_t entries = 0;
  uint64_t checkpoints = 0;
  std::string root_hex;
  std::string last_checkpoint_time;        // RFC 3339, UTC
  std::optional<uint64_t> witnessed_size;  // the witness's size before this verification, when there was one
};
// Checks every signature, timestamp order and consistency between checkpoints; FailedPrecondition names
// the first line that fails.
Result<AuditVerifySummary> VerifyAuditLog(FileSystem& fs, const AuditVerifyRequest& request);

// A self-contained inclusion proof (JSON) of entry `index` (from 0) against the log's last checkpoint.
Result<std::string> ProveAuditEntry(FileSystem& fs, const std::string& log_path, uint64_t index);

struct AuditProofSummary {
  uint64_t index = 0;
  uint64_t tree_size = 0;
  std::string entry;  // the entry's canonical JSON
};
// Checks a proof file from ProveAuditEntry with nothing but the public key.
Result<AuditProofSummary> VerifyAuditProof(FileSystem& fs, const std::string& proof_path,
                                           const std::string& public_key_path);

struct AccountingItem {
  uint64_t entry_index = 0;
  std::string date;
  std::string agreement_id;
  std::string source;
  std::string recipient;
  std::string purpose;
  std::vector<std::string> fields;  // names of the disclosed fields
};
// What the log records as disclosed about record `subject_id`, after verifying the log with
// `public_key_path` (required: InvalidArgument when empty).
Result<std::vector<AccountingItem>> AccountingForSubject(FileSystem& fs, const std::string& log_path,
                                                         const std::string& subject_id,
                                                         const std::string& public_key_path = "");

}  // namespace matchguard
