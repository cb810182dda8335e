// `matchguard report oversight`: the Data Integrity Board's summary of governed runs under an agreement.
//
//   matchguard report oversight --agreement A.toml [--from DATE] [--to DATE] [--json] [--store S]
#include <cstdio>
#include <memory>

#include "command.h"
#include "matchguard/file_system.h"
#include "matchguard/governance.h"

namespace {

matchguard::cli::Runner SetUpOversight(CLI::App& app) {
  auto request = std::make_shared<matchguard::OversightRequest>();
  app.add_option("--agreement", request->agreement_path, "Agreement file (TOML)")->required();
  app.add_option("--from", request->from, "First day, YYYY-MM-DD (default: the agreement's effective date)");
  app.add_option("--to", request->to, "Last day, YYYY-MM-DD (default: today)");
  app.add_option("--store", request->store_path, "Case store (default: the agreement's)");
  app.add_flag("--json", request->json, "Print JSON instead of text");
  return [request] {
    auto report = matchguard::OversightReport(*matchguard::DefaultFileSystem(), *request);
    if (!report) return matchguard::cli::ExitCodeFor(report.error());
    std::fputs(report->c_str(), stdout);
    return matchguard::cli::kExitOk;
  };
}

matchguard::cli::Runner SetUp(CLI::App& app) {
  app.require_subcommand(1);
  CLI::App* oversight = app.add_subcommand("oversight",
                                           "Runs, hits, verifications, notices, contests, "
                                           "reversals, allowed actions and retention, for the DIB");
  auto run = SetUpOversight(*oversight);
  return [oversight, run] { return oversight->parsed() ? run() : matchguard::cli::kExitUsage; };
}

const bool kRegistered = matchguard::cli::RegisterCommand({"report", "Write governance reports", SetUp});

}  // namespace
