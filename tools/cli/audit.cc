// `matchguard audit`: keys, verification, inclusion proofs and the accounting of disclosures.
//
//   matchguard audit keygen -o KEYDIR
//   matchguard audit verify LOG --public-key K [--trusted-size N --trusted-root HEX | --witness W] [--cases STORE]
//   matchguard audit prove LOG ENTRY-INDEX [-o PROOF.json]
//   matchguard audit verify-proof PROOF.json --public-key K
//   matchguard audit accounting LOG --subject ID --public-key K
#include "matchguard/audit.h"

#include <cstdio>
#include <memory>
#include <string>

#include "command.h"
#include "matchguard/file_system.h"
#include "matchguard/governance.h"

namespace {

using matchguard::cli::CommandSpec;
using matchguard::cli::Runner;

Runner SetUpKeygen(CLI::App& app) {
  auto dir = std::make_shared<std::string>();
  app.add_option("-o,--output", *dir, "Folder for the key pair")->required();
  return [dir] {
    auto keys = matchguard::GenerateAuditKeys(*matchguard::DefaultFileSystem(), *dir);
    if (!keys) return matchguard::cli::ExitCodeFor(keys.error());
    std::printf("key %s\n  private key %s (mode 0600: keep it secret)\n  public key  %s\n", keys->key_id.c_str(),
                keys->private_key_path.c_str(), keys->public_key_path.c_str());
    return matchguard::cli::kExitOk;
  };
}

Runner SetUpVerify(CLI::App& app) {
  auto r = std::make_shared<matchguard::AuditVerifyRequest>();
  auto cases = std::make_shared<std::string>();
  app.add_option("log", r->log_path, "Audit log")->required();
  app.add_option("--public-key", r->public_key_path, "Public key (PEM) of the log's signer")->required();
  app.add_option("--trusted-size", r->trusted_size, "Size of a checkpoint seen earlier (detects truncation)");
  app.add_option("--trusted-root", r->trusted_root_hex, "Root (hex) of that checkpoint");
  app.add_option("--witness", r->witness_path,
                 "Witness file of the last checkpoint seen (kept by the oversight role): checked, then advanced");
  app.add_option("--cases", *cases, "Also reconcile this case store with the log, row by row");
  return [r, cases] {
    matchguard::FileSystem& fs = *matchguard::DefaultFileSystem();
    auto s = matchguard::VerifyAuditLog(fs, *r);
    if (!s) return matchguard::cli::ExitCodeFor(s.error());
    std::printf("ok: %llu entries, %llu signed checkpoints, consistent; last checkpoint %s\nroot %s\n",
                static_cast<unsigned long long>(s->entries), static_cast<unsigned long long>(s->checkpoints),
                s->last_checkpoint_time.c_str(), s->root_hex.c_str());
    if (!r->witness_path.empty()) {
      std::printf(
          "witness %s: %s; now at %llu entries\n", r->witness_path.c_str(),
          s->witnessed_size
              ? ("the log extends the " + std::to_string(*s->witnessed_size) + " entries witnessed before").c_str()
              : "created",
          static_cast<unsigned long long>(s->entries));
    }
    if (cases->empty()) return matchguard::cli::kExitOk;
    auto n = matchguard::VerifyCaseStore(fs, r->log_path, r->public_key_path, *cases);
    if (!n) return matchguard::cli::ExitCodeFor(n.error());
    std::printf("cases: the store's %llu case(s), their steps and purges are all backed by the log\n",
                static_cast<unsigned long long>(*n));
    return matchguard::cli::kExitOk;
  };
}

Runner SetUpProve(CLI::App& app) {
  auto log = std::make_shared<std::string>();
  auto index = std::make_shared<uint64_t>(0);
  auto output = std::make_shared<std::string>();
  app.add_option("log", *log, "Audit log")->required();
  app.add_option("entry", *index, "Entry index, from 0")->required();
  app.add_option("-o,--output", *output, "Write the proof here instead of printing it");
  return [log, index, output] {
    matchguard::FileSystem& fs = *matchguard::DefaultFileSystem();
    auto proof = matchguard::ProveAuditEntry(fs, *log, *index);
    if (!proof) return matchguard::cli::ExitCodeFor(proof.error());
    if (output->empty()) {
      std::fputs(proof->c_str(), stdout);
      return matchguard::cli::kExitOk;
    }
    return matchguard::cli::ExitCodeFor(fs.WriteFileAtomically(*output, *proof));
  };
}

Runner SetUpVerifyProof(CLI::App& app) {
  auto proof = std::make_shared<std::string>();
  auto key = std::make_shared<std::string>();
  app.add_option("proof", *proof, "Proof file from `audit prove`")->required();
  app.add_option("--public-key", *key, "Public key (PEM) of the log's signer")->required();
  return [proof, key] {
    auto s = matchguard::VerifyAuditProof(*matchguard::DefaultFileSystem(), *proof, *key);
    if (!s) return matchguard::cli::ExitCodeFor(s.error());
    std::printf("ok: entry %llu is in the signed tree of %llu entries\n%s\n", static_cast<unsigned long long>(s->index),
                static_cast<unsigned long long>(s->tree_size), s->entry.c_str());
    return matchguard::cli::kExitOk;
  };
}

Runner SetUpAccounting(CLI::App& app) {
  auto log = std::make_shared<std::string>();
  auto subject = std::make_shared<std::string>();
  auto key = std::make_shared<std::string>();
  app.add_option("log", *log, "Audit log")->required();
  app.add_option("--subject", *subject, "Record id of the individual")->required();
  app.add_option("--public-key", *key, "Public key (PEM) of the log's signer: the log is verified first")->required();
  return [log, subject, key] {
    auto items = matchguard::AccountingForSubject(*matchguard::DefaultFileSystem(), *log, *subject, *key);
    if (!items) return matchguard::cli::ExitCodeFor(items.error());
    std::printf("accounting of disclosures for record %s: %zu disclosure(s)\n", subject->c_str(), items->size());
    for (const auto& d : *items) {
      std::string fields;
      for (const auto& f : d.fields) fields += (fields.empty() ? "" : ", ") + f;
      std::printf("  %s  agreement %s, %s -> %s, purpose %s, fields: %s (audit entry %llu)\n", d.date.c_str(),
                  d.agreement_id.c_str(), d.source.c_str(), d.recipient.c_str(), d.purpose.c_str(), fields.c_str(),
                  static_cast<unsigned long long>(d.entry_index));
    }
    return matchguard::cli::kExitOk;
  };
}

const CommandSpec kSubcommands[] = {
    {"keygen", "Create the Ed25519 key pair that signs checkpoints", SetUpKeygen},
    {"verify", "Check every signature, timestamp and consistency proof of a log", SetUpVerify},
    {"prove", "Print an inclusion proof for one entry", SetUpProve},
    {"verify-proof", "Check an inclusion proof on its own", SetUpVerifyProof},
    {"accounting", "List what was disclosed about one record", SetUpAccounting},
};

Runner SetUp(CLI::App& app) { return matchguard::cli::AddSubcommands(app, kSubcommands); }

const bool kRegistered =
    matchguard::cli::RegisterCommand({"audit", "Audit log: keys, verification, proofs, accounting", SetUp});

}  // namespace
