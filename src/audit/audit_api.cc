// Implements include/matchguard/audit.h over the audit layer.
#include <sys/stat.h>

#include "matchguard/audit.h"
#include "src/audit/accounting.h"
#include "src/audit/date.h"
#include "src/audit/log.h"
#include "src/core/private_files.h"

namespace matchguard {
namespace {

std::string JoinPath(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

// Writes a secret so that it is never readable by others, not even as the temporary file.
Status WriteSecretFile(FileSystem& fs, const std::string& path, const std::string& data) {
  const ScopedPrivateUmask private_files;
  return fs.WriteFileAtomically(path, data);
}

// The witness file: one canonical JSON line {"format":..,"root":..,"tree_size":..}.
constexpr char kWitnessFormat[] = "matchguard-audit-witness/v1";

std::string WitnessText(uint64_t size, const Hash& root) {
  return CanonicalJson(nlohmann::json{{"format", kWitnessFormat}, {"root", ToHex(root)}, {"tree_size", size}}) + "\n";
}

Result<VerifyOptions> ReadWitness(FileSystem& fs, const std::string& path) {
  MG_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(path));
  const nlohmann::json w = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (w.is_discarded() || !w.is_object() || w.value("format", "") != kWitnessFormat || !w.contains("tree_size") ||
      !w["tree_size"].is_number_unsigned() || !w.contains("root") || !w["root"].is_string()) {
    return Error(Status::InvalidArgument(path + ": not a witness file (" + kWitnessFormat + ")"));
  }
  VerifyOptions options;
  options.trusted_size = w["tree_size"].get<uint64_t>();
  MG_ASSIGN_OR_RETURN(Hash root, HashFromHex(w["root"].get<std::string>(), path + ": root"));
  options.trusted_root = root;
  return options;
}

}  // namespace

Result<AuditKeyFiles> GenerateAuditKeys(FileSystem& fs, const std::string& dir) {
  AuditKeyFiles files;
  files.private_key_path = JoinPath(dir, kAuditPrivateKeyFile);
  files.public_key_path = JoinPath(dir, kAuditPublicKeyFile);
  for (const std::string& path : {files.private_key_path, files.public_key_path}) {
    if (fs.Exists(path)) {
      return Error(Status::FailedPrecondition(path + " already exists; refusing to overwrite an audit key"));
    }
  }
  if (!dir.empty()) MG_RETURN_IF_ERROR(fs.CreateDirectories(dir));
  MG_ASSIGN_OR_RETURN(Ed25519KeyPair pair, GenerateEd25519KeyPair());
  MG_ASSIGN_OR_RETURN(files.key_id, KeyId(pair.public_pem));
  MG_RETURN_IF_ERROR(WriteSecretFile(fs, files.private_key_path, pair.private_pem));
  MG_RETURN_IF_ERROR(fs.WriteFileAtomically(files.public_key_path, pair.public_pem));
  return files;
}

Result<AuditVerifySummary> VerifyAuditLog(FileSystem& fs, const AuditVerifyRequest& request) {
  // A root without its size was silently ignored once, passing a truncated log.
  if (!request.trusted_root_hex.empty() && !request.trusted_size) {
    return Error(
        Status::InvalidArgument("--trusted-root needs --trusted-size (the size of the tree it is the root of)"));
  }
  if (!request.witness_path.empty() && (request.trusted_size || !request.trusted_root_hex.empty())) {
    return Error(Status::InvalidArgument("give a witness file or --trusted-size/--trusted-root, not both"));
  }
  MG_ASSIGN_OR_RETURN(std::string public_pem, fs.ReadFile(request.public_key_path));
  MG_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(request.log_path));
  VerifyOptions options;
  options.trusted_size = request.trusted_size;
  if (!request.trusted_root_hex.empty()) {
    MG_ASSIGN_OR_RETURN(Hash root, HashFromHex(request.trusted_root_hex, "--trusted-root"));
    options.trusted_root = root;
  }
  if (!request.witness_path.empty() && fs.Exists(request.witness_path)) {
    MG_ASSIGN_OR_RETURN(options, ReadWitness(fs, request.witness_path));
  }
  auto summary = VerifyLog(text, request.log_path, public_pem, options);
  if (!summary) {
    if (!request.witness_path.empty() && options.trusted_size) {
      return Error(summary.error().WithContext("the log does not hold the checkpoint witnessed in " +
                                               request.witness_path + " (truncated or rolled back?)"));
    }
    return Error(std::move(summary).error());
  }
  if (!request.witness_path.empty()) {
    MG_RETURN_IF_ERROR(WriteSecretFile(fs, request.witness_path, WitnessText(summary->entries, summary->root)));
  }
  AuditVerifySummary out;
  out.witnessed_size = request.witness_path.empty() ? std::nullopt : options.trusted_size;
  out.entries = summary->entries;
  out.checkpoints = summary->checkpoints;
  out.root_hex = ToHex(summary->root);
  out.last_checkpoint_time = FormatTimestamp(summary->last_timestamp);
  return out;
}

Result<std::string> ProveAuditEntry(FileSystem& fs, const std::string& log_path, uint64_t index) {
  MG_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(log_path));
  return ProveInclusion(text, log_path, index);
}

Result<AuditProofSummary> VerifyAuditProof(FileSystem& fs, const std::string& proof_path,
                                           const std::string& public_key_path) {
  MG_ASSIGN_OR_RETURN(std::string public_pem, fs.ReadFile(public_key_path));
  MG_ASSIGN_OR_RETURN(std::string proof, fs.ReadFile(proof_path));
  MG_ASSIGN_OR_RETURN(ProofSummary summary, VerifyInclusionProof(proof, proof_path, public_pem));
  return AuditProofSummary{summary.index, summary.tree_size, summary.entry};
}

Result<std::vector<AccountingItem>> AccountingForSubject(FileSystem& fs, const std::string& log_path,
                                                         const std::string& subject_id,
                                                         const std::string& public_key_path) {
  // An accounting read from a log nobody checked could list forged disclosures or miss deleted ones.
  if (public_key_path.empty()) {
    return Error(
        Status::InvalidArgument("the accounting needs the log's public key (--public-key) to verify it first"));
  }
  MG_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(log_path));
  MG_ASSIGN_OR_RETURN(std::string public_pem, fs.ReadFile(public_key_path));
  auto verified = VerifyLog(text, log_path, public_pem);
  if (!verified) return Error(std::move(verified).error());
  MG_ASSIGN_OR_RETURN(ParsedLog log, ParseLog(text, log_path));
  std::vector<AccountingItem> items;
  for (AccountingLine& line : AccountFor(log, subject_id)) {
    Disclosure& d = line.disclosure;
    items.push_back(AccountingItem{line.entry_index, std::move(d.date), std::move(d.agreement_id), std::move(d.source),
                                   std::move(d.recipient), std::move(d.purpose), std::move(d.fields)});
  }
  return items;
}

}  // namespace matchguard
