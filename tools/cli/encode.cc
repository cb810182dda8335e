// `matchguard encode --schema SCHEMA.json --secret-file KEY INPUT.csv -o OUT [--format clkhash-json|csv|binary]`:
// encodes records into clkhash-compatible CLKs (Bloom filters), optionally hardened, and prints a summary.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "command.h"
#include "matchguard/encode.h"

namespace {

struct Options {
  matchguard::EncodeOptions encode;
  std::string on_error = "fail";
  std::vector<std::string> field_bits;
  bool keep_spaces = false;
  bool quiet = false;
};

int Run(Options& opts) {
  opts.encode.on_error = opts.on_error == "skip" ? matchguard::OnValueError::kSkip : matchguard::OnValueError::kFail;
  opts.encode.trim_spaces = !opts.keep_spaces;
  for (const std::string& spec : opts.field_bits) {
    size_t eq = spec.find('=');
    unsigned long bits = 0;
    try {
      bits = eq == std::string::npos ? 0 : std::stoul(spec.substr(eq + 1));
    } catch (const std::exception&) {
      bits = 0;
    }
    if (bits == 0 || bits > (1u << 24)) {
      return matchguard::cli::ExitCodeFor(matchguard::Status::InvalidArgument(
          "--field-bits expects NAME=BITS with BITS a positive multiple of 8, found '" + spec + "'"));
    }
    opts.encode.field_bits.emplace_back(spec.substr(0, eq), static_cast<uint32_t>(bits));
  }
  auto result = matchguard::EncodeRecords(*matchguard::DefaultFileSystem(), opts.encode);
  if (!result.has_value()) return matchguard::cli::ExitCodeFor(result.status());
  if (opts.quiet) return matchguard::cli::kExitOk;
  const auto& s = *result;
  std::printf("encoded %zu of %zu records (%zu skipped) as %u-bit %s encodings in %.3f s (%.0f records/s)\n",
              s.encoded, s.records, s.skipped, s.bits, opts.encode.format.c_str(), s.seconds,
              s.seconds > 0 ? static_cast<double>(s.records) / s.seconds : 0.0);
  for (const std::string& path : s.outputs) std::printf("  wrote %s\n", path.c_str());
  return matchguard::cli::kExitOk;
}

matchguard::cli::Runner SetUp(CLI::App& app) {
  auto opts = std::make_shared<Options>();
  app.footer(
      "Bit for bit as clkhash 0.18.3 under a clkhash linkage schema v3, unless --salt-column, --balanced or\n"
      "--blip-epsilon is given. The secret (at least 16 bytes) comes from a file or an environment variable,\n"
      "never from the command line. A value that breaks its feature's format stops the run (exit 2, no\n"
      "output) or, with --on-error skip, leaves the record out and lists it in OUT.skipped.csv.\n"
      "See docs/encodings.md.");
  app.add_option("input", opts->encode.input_path, "CSV whose header equals the schema's feature identifiers")
      ->required();
  app.add_option("--schema", opts->encode.schema_path, "clkhash linkage schema (version 3) JSON")->required();
  app.add_option("-o,--output", opts->encode.output_path, "Encodings file to write")->required();
  app.add_option("--format", opts->encode.format, "Output format")
      ->check(CLI::IsMember({"clkhash-json", "csv", "binary"}))
      ->capture_default_str();
  auto* file = app.add_option("--secret-file", opts->encode.secret.file, "File holding the shared secret");
  auto* env = app.add_option("--secret-env", opts->encode.secret.env_name,
                             "Environment variable holding the shared secret");
  file->excludes(env);
  app.add_option("--on-error", opts->on_error, "What to do with a value that breaks its feature's format")
      ->check(CLI::IsMember({"fail", "skip"}))
      ->capture_default_str();
  app.add_option("--skip-report", opts->encode.skip_report_path,
                 "Where --on-error skip lists skipped rows (default OUT.skipped.csv)");
  app.add_option("--id-column", opts->encode.id_column, "Column written as the id with --format csv (default: first)");
  app.add_flag("--standardize", opts->encode.standardize,
               "Fill each schema feature with the normalised value of the column holding that person field "
               "(any layout: given_name, FIRST NAME...; dates to YYYY-MM-DD, sex to m/f, names folded)");
  app.add_flag("--keep-spaces", opts->keep_spaces, "Keep spaces around unquoted CSV fields (clkhash keeps them)");
  app.add_option("--threads", opts->encode.threads, "Worker threads (0: all cores)")->check(CLI::Range(0, 1024));
  app.add_flag("--field-level", opts->encode.field_level,
               "Also write one Bloom filter file per hashed feature: OUT.<identifier>");
  app.add_option("--field-bits", opts->field_bits, "Length of one feature's field-level filter: NAME=BITS");
  app.add_option("--salt-column", opts->encode.salt_column,
                 "Hardening: mix this column's value (e.g. year of birth) into every token");
  app.add_option("--salt-chars", opts->encode.salt_chars,
                 "Use only the first N characters of the salt column (4: the year of a YYYYMMDD date)");
  app.add_flag("--balanced", opts->encode.balanced, "Hardening: balanced Bloom filters (2l bits, half set)");
  app.add_option("--blip-epsilon", opts->encode.blip_epsilon, "Hardening: flip bits with p = 1/(1+e^epsilon)")
      ->check(CLI::PositiveNumber);
  app.add_option("--blip-seed", opts->encode.blip_seed, "Seed for --blip-epsilon (default: random per run)");
  app.add_flag("-q,--quiet", opts->quiet, "Print nothing on success");
  return [opts] { return Run(*opts); };
}

const bool kRegistered = matchguard::cli::RegisterCommand(
    {"encode", "Encode records into privacy-preserving Bloom filters (clkhash CLKs)", SetUp});

}  // namespace
