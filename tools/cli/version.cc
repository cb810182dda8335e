// `matchguard version`: prints the version and the build's capabilities.
#include <cstdio>

#include "command.h"

namespace {

matchguard::cli::Runner SetUp(CLI::App&) {
  return [] {
    std::printf("matchguard 0.1.0\n");
    return matchguard::cli::kExitOk;
  };
}

const bool kRegistered = matchguard::cli::RegisterCommand({"version", "Print the version", SetUp});

}  // namespace
