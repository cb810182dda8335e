// `matchguard bench <workload>`: built-in benchmarks that time matchguard's engines and check their
// answers. `bench` is a parent command; each workload is one entry of kWorkloads below (a name, a
// description and a SetUp that adds its flags and returns its Runner, exactly like a top-level command in
// command.h), so adding one is writing its SetUp and listing it.
//
//   matchguard bench dice --size 20000 --bits 1024 --threshold 0.7 [--json]
#include <cstdio>
#include <memory>

#include "command.h"
#include "matchguard/match.h"

namespace {

using matchguard::cli::CommandSpec;
using matchguard::cli::Runner;

Runner SetUpDice(CLI::App& app) {
  auto opts = std::make_shared<matchguard::DiceBenchOptions>();
  auto json = std::make_shared<bool>(false);
  app.add_option("--size", opts->size, "Records on each side")->capture_default_str();
  app.add_option("--bits", opts->bits, "Bits per encoding (a multiple of 8)")->capture_default_str();
  app.add_option("--threshold", opts->threshold, "Dice threshold")->capture_default_str();
  app.add_option("--top-k", opts->top_k, "Keep only the k best per record (0: all)")->capture_default_str();
  app.add_option("--threads", opts->threads, "Worker threads (0: all cores)")->capture_default_str();
  app.add_option("--repeat", opts->repeat, "Timed runs; the best is reported")->capture_default_str();
  app.add_option("--seed", opts->seed, "Seed of the random encodings")->capture_default_str();
  app.add_flag("--json", *json, "Print one JSON object");
  return [opts, json] {
    auto result = matchguard::RunDiceBenchmark(*opts);
    if (!result) return matchguard::cli::ExitCodeFor(result.error());
    std::fputs(
        (*json ? matchguard::DiceBenchResultToJson(*result) : matchguard::DiceBenchResultToText(*result)).c_str(),
        stdout);
    return matchguard::cli::kExitOk;
  };
}

const CommandSpec kWorkloads[] = {
    {"dice", "Dice candidate kernel on anonlink's benchmark workload (random CLKs, all pairs)", SetUpDice},
};

Runner SetUp(CLI::App& app) { return matchguard::cli::AddSubcommands(app, kWorkloads); }

const bool kRegistered = matchguard::cli::RegisterCommand({"bench", "Run a built-in benchmark", SetUp});

}  // namespace
