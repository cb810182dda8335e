// `matchguard agreement`: write the demo matching agreement, or check one.
//
//   matchguard agreement init -o A.toml [--force]
//   matchguard agreement check A.toml
#include <cstdio>
#include <memory>
#include <string>

#include "command.h"
#include "matchguard/file_system.h"
#include "matchguard/governance.h"

namespace {

using matchguard::cli::CommandSpec;
using matchguard::cli::Runner;

std::string Joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

Runner SetUpInit(CLI::App& app) {
  auto output = std::make_shared<std::string>();
  auto force = std::make_shared<bool>(false);
  app.add_option("-o,--output", *output, "Agreement file to write (TOML)")->required();
  app.add_flag("--force", *force, "Replace the file if it exists");
  return [output, force] {
    matchguard::Status status = matchguard::WriteDemoAgreement(*matchguard::DefaultFileSystem(), *output, *force);
    if (!status.ok()) return matchguard::cli::ExitCodeFor(status);
    std::printf(
        "wrote %s: the demo agreement, in force from today for 18 months; edit it, then run\n"
        "  matchguard agreement check %s\n",
        output->c_str(), output->c_str());
    return matchguard::cli::kExitOk;
  };
}

void PrintSummary(const matchguard::AgreementSummary& s) {
  std::printf("agreement %s: %s\n", s.id.c_str(), s.title.c_str());
  std::printf("  status:        %s\n", s.status.c_str());
  std::printf("  parties:       %s -> %s\n", s.source_agency.c_str(), s.recipient_agency.c_str());
  std::printf("  dates:         transmitted %s, effective %s, expires %s%s\n", s.transmittal.c_str(),
              s.effective.c_str(), s.expiry.c_str(), s.renewed ? " (renewed)" : "");
  std::printf("  matching on:   %s\n", Joined(s.match_fields).c_str());
  for (const auto& p : s.purposes) {
    std::printf("  purpose %s discloses: %s\n", p.name.c_str(), Joined(p.disclose).c_str());
  }
  std::printf("  records:       about %llu left, %llu right (runs up to x%.2f)\n",
              static_cast<unsigned long long>(s.left_records), static_cast<unsigned long long>(s.right_records),
              s.max_volume_factor);
  std::printf("  notice period: %d days; retention: %d days\n", s.notice_period_days, s.retention_days);
  std::printf("  case store:    %s\n  audit log:     %s\n", s.case_store_path.c_str(), s.audit_log_path.c_str());
}

Runner SetUpCheck(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  app.add_option("agreement", *path, "Agreement file (TOML)")->required();
  return [path] {
    auto summary = matchguard::CheckAgreement(*matchguard::DefaultFileSystem(), *path);
    if (!summary) return matchguard::cli::ExitCodeFor(summary.error());
    PrintSummary(*summary);
    return matchguard::cli::kExitOk;
  };
}

const CommandSpec kSubcommands[] = {
    {"init", "Write a complete, commented demo agreement in force from today", SetUpInit},
    {"check", "Validate an agreement and say whether it is in force today", SetUpCheck},
};

Runner SetUp(CLI::App& app) { return matchguard::cli::AddSubcommands(app, kSubcommands); }

const bool kRegistered =
    matchguard::cli::RegisterCommand({"agreement", "Write or check a computer matching agreement", SetUp});

}  // namespace
