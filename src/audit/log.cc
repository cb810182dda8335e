#include "src/audit/log.h"

#include <string>

#include "src/audit/date.h"

namespace matchguard {
namespace {

using nlohmann::json;

Status Tampered(const std::string& where, const std::string& what) {
  return Status::FailedPrecondition(where + ": " + what);
}

std::string Where(const std::string& path, uint64_t line) { return path + " line " + std::to_string(line); }

// Entries are small and flat; refusing deep nesting keeps parsing and re-serialising bounded.
bool NestedTooDeep(std::string_view line, int limit) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > limit) return true;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return false;
}

Result<json> ParseLine(std::string_view line, const std::string& where) {
  if (NestedTooDeep(line, 32)) return Error(Tampered(where, "JSON nested more than 32 levels deep"));
  json value = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded() || !value.is_object()) {
    return Error(Tampered(where, "not a JSON object"));
  }
  return value;
}

}  // namespace

std::string CheckpointMessage(const Checkpoint& cp) {
  return "matchguard-audit-checkpoint/v1\n" + std::to_string(cp.sequence) + "\n" + std::to_string(cp.tree_size) + "\n" +
         ToHex(cp.root) + "\n" + std::to_string(cp.timestamp) + "\n";
}

std::string CanonicalJson(const json& value) {
  return value.dump(-1, ' ', /*ensure_ascii=*/true, json::error_handler_t::replace);
}

json CheckpointToJson(const Checkpoint& checkpoint) {
  return json{{"checkpoint",
               {{"key_id", checkpoint.key_id},
                {"root", ToHex(checkpoint.root)},
                {"sequence", checkpoint.sequence},
                {"signature", ToHex(checkpoint.signature)},
                {"timestamp", checkpoint.timestamp},
                {"tree_size", checkpoint.tree_size}}}};
}

Result<Checkpoint> CheckpointFromJson(const json& value, const std::string& where) {
  const json& body = value.at("checkpoint");
  if (!body.is_object() || body.size() != 6 || !body.contains("tree_size") || !body.contains("sequence") ||
      !body["sequence"].is_number_unsigned() || !body["tree_size"].is_number_unsigned() ||
      !body.contains("timestamp") || !body["timestamp"].is_number_integer() || !body.contains("root") ||
      !body["root"].is_string() || !body.contains("signature") || !body["signature"].is_string() ||
      !body.contains("key_id") || !body["key_id"].is_string()) {
    return Error(Tampered(where,
                          "a checkpoint needs exactly key_id, root, sequence, signature, timestamp and "
                          "tree_size"));
  }
  Checkpoint checkpoint;
  checkpoint.tree_size = body["tree_size"].get<uint64_t>();
  checkpoint.sequence = body["sequence"].get<uint64_t>();
  checkpoint.timestamp = body["timestamp"].get<int64_t>();
  checkpoint.key_id = body["key_id"].get<std::string>();
  auto root = HashFromHex(body["root"].get<std::string>(), where + ": checkpoint root");
  if (!root) return Error(Tampered(where, root.error().message()));
  checkpoint.root = *root;
  auto signature = FromHex(body["signature"].get<std::string>(), where + ": checkpoint signature");
  if (!signature) return Error(Tampered(where, signature.error().message()));
  checkpoint.signature = *signature;
  // Hex has two spellings per byte; only the lower-case one is accepted, so that no edit goes unnoticed.
  if (ToHex(checkpoint.root) != body["root"].get<std::string>() ||
      ToHex(checkpoint.signature) != body["signature"].get<std::string>()) {
    return Error(Tampered(where, "checkpoint hex must be lower case"));
  }
  return checkpoint;
}

Result<ParsedLog> ParseLog(std::string_view text, const std::string& path) {
  ParsedLog log;
  if (!text.empty() && text.back() != '\n') {
    return Error(Tampered(path, "the last line is cut off (no final newline)"));
  }
  uint64_t line_number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t end = text.find('\n', pos);
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    const std::string where = Where(path, ++line_number);
    if (line.empty()) return Error(Tampered(where, "empty line"));
    MG_ASSIGN_OR_RETURN(json value, ParseLine(line, where));
    if (CanonicalJson(value) != line) return Error(Tampered(where, "the line is not in canonical JSON form"));
    if (value.contains("checkpoint")) {
      if (value.size() != 1) return Error(Tampered(where, "a checkpoint line holds only \"checkpoint\""));
      MG_ASSIGN_OR_RETURN(Checkpoint checkpoint, CheckpointFromJson(value, where));
      log.checkpoints.push_back(std::move(checkpoint));
      log.checkpoint_lines.push_back(line_number);
      continue;
    }
    if (!value.contains("kind") || !value["kind"].is_string()) {
      return Error(Tampered(where, "an entry needs a string \"kind\""));
    }
    log.entries.emplace_back(line);
    log.entry_json.push_back(std::move(value));
    log.entry_lines.push_back(line_number);
  }
  return log;
}

namespace {

// Checks one checkpoint against the tree of the entries before it and the previous checkpoint.
Status CheckCheckpoint(const Checkpoint& cp, const Checkpoint* previous, const MerkleTree& tree,
                       const std::string& public_pem, const std::string& key_id, const std::string& where) {
  if (cp.key_id != key_id)
    return Tampered(where, "checkpoint names key " + cp.key_id + ", not the given key " + key_id);
  const uint64_t expected_sequence = previous == nullptr ? 0 : previous->sequence + 1;
  if (cp.sequence != expected_sequence) {
    return Tampered(where, "checkpoint number " + std::to_string(cp.sequence) + " where " +
                               std::to_string(expected_sequence) + " was due (a checkpoint was removed or moved)");
  }
  if (cp.tree_size != tree.size()) {
    return Tampered(where, "checkpoint covers " + std::to_string(cp.tree_size) + " entries but " +
                               std::to_string(tree.size()) + " precede it");
  }
  MG_ASSIGN_OR_RETURN(bool signed_ok, VerifyEd25519(public_pem, CheckpointMessage(cp), cp.signature));
  if (!signed_ok) return Tampered(where, "checkpoint signature does not verify with the public key");
  if (tree.RootAt(cp.tree_size) != cp.root) {
    return Tampered(where, "checkpoint root does not match the entries (an entry was changed, added or removed)");
  }
  if (previous != nullptr) {
    if (cp.timestamp < previous->timestamp) {
      return Tampered(where, "checkpoint timestamp " + FormatTimestamp(cp.timestamp) + " is before the previous " +
                                 FormatTimestamp(previous->timestamp));
    }
    const auto proof = tree.ConsistencyProof(previous->tree_size, cp.tree_size);
    if (!VerifyConsistency(previous->tree_size, cp.tree_size, previous->root, cp.root, proof)) {
      return Tampered(where, "checkpoint is not consistent with the previous one");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<LogSummary> VerifyLog(std::string_view text, const std::string& path, const std::string& public_pem,
                             const VerifyOptions& options) {
  MG_ASSIGN_OR_RETURN(ParsedLog log, ParseLog(text, path));
  if (log.entries.empty()) return Error(Tampered(path, "the log has no entries"));
  MG_ASSIGN_OR_RETURN(std::string key_id, KeyId(public_pem));
  MerkleTree tree;
  size_t next_entry = 0;
  for (size_t c = 0; c < log.checkpoints.size(); ++c) {
    while (next_entry < log.entries.size() && log.entry_lines[next_entry] < log.checkpoint_lines[c]) {
      tree.Append(LeafHash(log.entries[next_entry++]));
    }
    MG_RETURN_IF_ERROR(CheckCheckpoint(log.checkpoints[c], c == 0 ? nullptr : &log.checkpoints[c - 1], tree, public_pem,
                                       key_id, Where(path, log.checkpoint_lines[c])));
  }
  if (next_entry < log.entries.size()) {
    return Error(Tampered(Where(path, log.entry_lines[next_entry]),
                          std::to_string(log.entries.size() - next_entry) +
                              " entries from here on are not covered by a signed checkpoint"));
  }
  if (options.trusted_size) {
    if (*options.trusted_size > tree.size()) {
      return Error(Tampered(path, "the log has " + std::to_string(tree.size()) + " entries, fewer than the " +
                                      std::to_string(*options.trusted_size) + " of the trusted checkpoint"));
    }
    if (options.trusted_root && tree.RootAt(*options.trusted_size) != *options.trusted_root) {
      return Error(Tampered(path, "the log's first " + std::to_string(*options.trusted_size) +
                                      " entries do not match the trusted checkpoint's root"));
    }
  }
  LogSummary summary;
  summary.entries = tree.size();
  summary.checkpoints = log.checkpoints.size();
  summary.root = tree.Root();
  summary.last_timestamp = log.checkpoints.back().timestamp;
  return summary;
}

Result<uint64_t> AppendToLog(FileSystem& fs, const std::string& path, const std::string& private_pem,
                             const std::vector<json>& entries) {
  MG_ASSIGN_OR_RETURN(std::string public_pem, PublicKeyOf(private_pem));
  MG_ASSIGN_OR_RETURN(std::string key_id, KeyId(public_pem));
  // Held from the read to the commit: two runs appending at once would otherwise both rewrite the log
  // from the same old copy, and one run's entries (a disclosure) would silently vanish.
  MG_ASSIGN_OR_RETURN(std::unique_ptr<FileLock> writer, fs.LockExclusive(path));
  std::string text;
  MerkleTree tree;
  int64_t last_timestamp = 0;
  uint64_t sequence = 0;
  if (fs.Exists(path)) {
    MG_ASSIGN_OR_RETURN(text, fs.ReadFile(path));
    auto verified = VerifyLog(text, path, public_pem);
    if (!verified) return Error(verified.error().WithContext("refusing to append to the audit log"));
    MG_ASSIGN_OR_RETURN(ParsedLog log, ParseLog(text, path));
    for (const std::string& entry : log.entries) tree.Append(LeafHash(entry));
    last_timestamp = verified->last_timestamp;
    sequence = verified->checkpoints;
  }
  for (const json& entry : entries) {
    if (!entry.is_object() || !entry.contains("kind") || !entry["kind"].is_string() || entry.contains("checkpoint")) {
      return Error(Status::Internal("an audit entry must be an object with a string \"kind\""));
    }
    const std::string line = CanonicalJson(entry);
    tree.Append(LeafHash(line));
    text += line;
    text += '\n';
  }
  MG_ASSIGN_OR_RETURN(int64_t now, NowSeconds());
  if (now < last_timestamp) {
    return Error(Status::FailedPrecondition("the clock (" + FormatTimestamp(now) +
                                            ") is behind the last checkpoint of " + path + " (" +
                                            FormatTimestamp(last_timestamp) + ")"));
  }
  Checkpoint cp;
  cp.sequence = sequence;
  cp.tree_size = tree.size();
  cp.root = tree.Root();
  cp.timestamp = now;
  cp.key_id = key_id;
  MG_ASSIGN_OR_RETURN(cp.signature, SignEd25519(private_pem, CheckpointMessage(cp)));
  text += CanonicalJson(CheckpointToJson(cp));
  text += '\n';
  MG_RETURN_IF_ERROR(fs.WriteFileAtomically(path, text));
  return cp.tree_size;
}

Result<std::string> ProveInclusion(std::string_view text, const std::string& path, uint64_t index) {
  MG_ASSIGN_OR_RETURN(ParsedLog log, ParseLog(text, path));
  if (log.checkpoints.empty()) return Error(Status::FailedPrecondition(path + ": the log has no checkpoint"));
  const Checkpoint& cp = log.checkpoints.back();
  if (index >= cp.tree_size) {
    return Error(Status::InvalidArgument(path + ": entry " + std::to_string(index) +
                                         " is not in the last checkpoint (" + std::to_string(cp.tree_size) +
                                         " entries, numbered from 0)"));
  }
  if (cp.tree_size > log.entries.size()) {
    return Error(Status::FailedPrecondition(path + ": the last checkpoint covers more entries than the log holds"));
  }
  MerkleTree tree;
  for (uint64_t i = 0; i < cp.tree_size; ++i) tree.Append(LeafHash(log.entries[i]));
  if (tree.Root() != cp.root) {
    return Error(Status::FailedPrecondition(path + ": the entries do not match the last checkpoint; run audit verify"));
  }
  json proof_hashes = json::array();
  for (const Hash& h : tree.InclusionProof(index, cp.tree_size)) proof_hashes.push_back(ToHex(h));
  json proof{{"format", "matchguard-inclusion-proof/v1"},
             {"index", index},
             {"entry", log.entries[index]},
             {"audit_path", proof_hashes},
             {"checkpoint", CheckpointToJson(cp)["checkpoint"]}};
  return proof.dump(2) + "\n";
}

Result<ProofSummary> VerifyInclusionProof(std::string_view proof_json, const std::string& source,
                                          const std::string& public_pem) {
  json proof = json::parse(proof_json, nullptr, /*allow_exceptions=*/false);
  auto bad = [&](const std::string& what) { return Error(Status::InvalidArgument(source + ": " + what)); };
  if (proof.is_discarded() || !proof.is_object()) return bad("not a JSON object");
  if (proof.value("format", "") != "matchguard-inclusion-proof/v1") {
    return bad("\"format\" must be \"matchguard-inclusion-proof/v1\"");
  }
  if (!proof.contains("index") || !proof["index"].is_number_unsigned()) return bad("\"index\" must be a count");
  if (!proof.contains("entry") || !proof["entry"].is_string()) return bad("\"entry\" must be a string");
  if (!proof.contains("audit_path") || !proof["audit_path"].is_array()) return bad("\"audit_path\" must be an array");
  if (!proof.contains("checkpoint")) return bad("\"checkpoint\" is missing");
  MG_ASSIGN_OR_RETURN(Checkpoint cp, CheckpointFromJson(json{{"checkpoint", proof["checkpoint"]}}, source));
  std::vector<Hash> path;
  for (const json& h : proof["audit_path"]) {
    if (!h.is_string()) return bad("\"audit_path\" holds hex strings");
    MG_ASSIGN_OR_RETURN(Hash hash, HashFromHex(h.get<std::string>(), source + ": audit_path"));
    path.push_back(hash);
  }
  ProofSummary summary;
  summary.index = proof["index"].get<uint64_t>();
  summary.tree_size = cp.tree_size;
  summary.entry = proof["entry"].get<std::string>();
  MG_ASSIGN_OR_RETURN(bool signed_ok, VerifyEd25519(public_pem, CheckpointMessage(cp), cp.signature));
  if (!signed_ok) return Error(Status::FailedPrecondition(source + ": the checkpoint signature does not verify"));
  if (!VerifyInclusion(LeafHash(summary.entry), summary.index, cp.tree_size, path, cp.root)) {
    return Error(Status::FailedPrecondition(source + ": the entry is not included in the checkpoint's tree"));
  }
  return summary;
}

std::string StringMember(const nlohmann::json& entry, const char* key) {
  auto it = entry.find(key);
  return it != entry.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace matchguard
