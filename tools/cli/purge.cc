// `matchguard purge`: destroy match outputs and case data older than the agreement's retention period,
// with a destruction entry in the audit log for each.
//
//   matchguard purge --agreement A.toml [--store cases.sqlite] [--dry-run]
#include <cstdio>
#include <memory>

#include "command.h"
#include "matchguard/file_system.h"
#include "matchguard/governance.h"

namespace {

matchguard::cli::Runner SetUp(CLI::App& app) {
  auto request = std::make_shared<matchguard::PurgeRequest>();
  app.add_option("--agreement", request->agreement_path, "Agreement file (TOML)")->required();
  app.add_option("--store", request->store_path, "Case store (default: the agreement's)");
  app.add_flag("--dry-run", request->dry_run, "List what would be destroyed; change nothing");
  return [request] {
    auto result = matchguard::PurgeRetention(*matchguard::DefaultFileSystem(), *request);
    if (!result) return matchguard::cli::ExitCodeFor(result.error());
    const char* verb = result->dry_run ? "would destroy" : "destroyed";
    std::printf("retention cutoff %s: %s %zu match output(s) and %zu case(s)\n", result->cutoff.c_str(), verb,
                result->outputs.size(), result->cases.size());
    for (const auto& path : result->outputs) std::printf("  output %s\n", path.c_str());
    for (int64_t id : result->cases) std::printf("  case %lld\n", static_cast<long long>(id));
    return matchguard::cli::kExitOk;
  };
}

const bool kRegistered = matchguard::cli::RegisterCommand(
    {"purge", "Destroy outputs and cases older than the agreement's retention period", SetUp});

}  // namespace
