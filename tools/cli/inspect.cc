// `matchguard inspect FILE [--config C.toml] [--delimiter D] [--json]`: describes a person file: the detected
// field mapping and, per field, fill rate, distinct values, invalid values and the most common values of
// the fields that do not identify a person.
#include "matchguard/inspect.h"

#include <cstdio>
#include <memory>
#include <string>

#include "command.h"

namespace {

struct Options {
  matchguard::InspectOptions inspect;
  bool json = false;
};

int Run(const Options& opts) {
  auto report = matchguard::InspectFile(*matchguard::DefaultFileSystem(), opts.inspect);
  if (!report.has_value()) return matchguard::cli::ExitCodeFor(report.status());
  const std::string text = opts.json ? matchguard::FormatInspectJson(*report) : matchguard::FormatInspectText(*report);
  std::fputs(text.c_str(), stdout);
  return matchguard::cli::kExitOk;
}

matchguard::cli::Runner SetUp(CLI::App& app) {
  auto opts = std::make_shared<Options>();
  app.footer(
      "Most common values are shown only for first, middle and last name, sex, city, state and zip, and only\n"
      "values seen at least 11 times; ids, dates of birth, SSNs, MBIs, phones, emails and streets are\n"
      "reported as counts only. The config's [input] and [fields] tables apply (see docs/config.md).");
  app.add_option("file", opts->inspect.path, "Delimited person file (CSV, TSV, pipe-separated)")->required();
  app.add_option("--config", opts->inspect.config_path, "TOML config whose [input] and [fields] tables apply");
  app.add_option("--delimiter", opts->inspect.delimiter, "comma, tab, pipe or semicolon (overrides the config)");
  app.add_flag("--json", opts->json, "Print JSON for machines");
  return [opts] { return Run(*opts); };
}

const bool kRegistered =
    matchguard::cli::RegisterCommand({"inspect", "Describe a person file: field mapping, fill rates, values", SetUp});

}  // namespace
