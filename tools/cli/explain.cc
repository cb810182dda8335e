// `matchguard explain M.json`: every level's m, u and weight, the prior and how EM converged.
#include <cstdio>
#include <memory>

#include "command.h"
#include "matchguard/link.h"

namespace {

matchguard::cli::Runner SetUp(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  app.add_option("model", *path, "Model JSON file (from train or link --save-model)")->required();
  return [path] {
    auto text = matchguard::ExplainModelFile(*path);
    if (!text.has_value()) return matchguard::cli::ReportError(text.error());
    std::fputs(text->c_str(), stdout);
    return matchguard::cli::kExitOk;
  };
}

const bool kRegistered = matchguard::cli::RegisterCommand({"explain", "Explain a linkage model's weights", SetUp});

}  // namespace
