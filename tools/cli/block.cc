// `matchguard block --schema SCHEMA.json DATA.csv -o BLOCKS.json --secret-file F | --secret-env NAME`:
// a data owner's side of P-Sig or lambda-fold blocking (blocklib's blocking schemas, HMAC-keyed block keys).
#include <cstdio>
#include <memory>

#include "command.h"
#include "matchguard/blocks.h"

namespace {

struct Options {
  matchguard::BlockOptions block;
  bool keep_spaces = false;
  bool quiet = false;
};

int Run(Options& opts) {
  opts.block.trim_spaces = !opts.keep_spaces;
  auto result = matchguard::BlockRecords(*matchguard::DefaultFileSystem(), opts.block);
  if (!result.has_value()) return matchguard::cli::ExitCodeFor(result.status());
  if (opts.quiet) return matchguard::cli::kExitOk;
  const auto& s = *result;
  std::printf(
      "blocked %llu records: %llu signatures, %llu blocks kept, %llu signatures dropped by the filter, "
      "largest block %llu records, %llu records in no block, in %.3f s\n",
      static_cast<unsigned long long>(s.records), static_cast<unsigned long long>(s.signatures),
      static_cast<unsigned long long>(s.blocks), static_cast<unsigned long long>(s.signatures_dropped),
      static_cast<unsigned long long>(s.largest_block), static_cast<unsigned long long>(s.records_without_blocks),
      s.seconds);
  std::printf("  wrote %s\n", opts.block.output_path.c_str());
  return matchguard::cli::kExitOk;
}

matchguard::cli::Runner SetUp(CLI::App& app) {
  auto opts = std::make_shared<Options>();
  app.footer(
      "Reads a blocklib blocking schema and writes, for every data row of the CSV, its row number, its id and\n"
      "its block keys. P-Sig (type p-sig, version 1: signatureSpecs with feature-value, characters-at and\n"
      "metaphone; a ratio or count filter): one key per signature. Lambda-fold (type lambda-fold, version 1:\n"
      "Lambda, bf-len, num-hash-funcs, K, random_state, input-clks): the features' bigrams go into a Bloom\n"
      "filter and each of Lambda groups samples K of its bits, at blocklib's positions; one key per group\n"
      "(input-clks true: the one feature is a base64 CLK column, sampled instead). Keys are HMAC-SHA256 under\n"
      "the shared secret, truncated to 64 bits (blocklib's keys are readable, open to a dictionary attack).\n"
      "Values are folded (case, accents, punctuation, spacing) first. The secret (at least 16 bytes) comes from a file "
      "or\n"
      "an environment variable and must be the same for every party; the linkage unit never gets it. The\n"
      "blocks file holds no values or signatures. Then: matchguard match --blocking psig --blocks L R.\n"
      "See docs/matching.md.");
  app.add_option("input", opts->block.input_path, "CSV file with a header (the one given to encode)")->required();
  app.add_option("--schema", opts->block.schema_path, "blocklib blocking schema (JSON): p-sig or lambda-fold")
      ->required();
  app.add_option("-o,--output", opts->block.output_path, "Blocks file to write (JSON)")->required();
  auto* file = app.add_option("--secret-file", opts->block.secret.file, "File holding the shared secret");
  auto* env =
      app.add_option("--secret-env", opts->block.secret.env_name, "Environment variable holding the shared secret");
  file->excludes(env);
  app.add_option("--id-column", opts->block.id_column,
                 "Column written as each record's id (default: the schema's record-id-col, else the first)");
  app.add_flag("--standardize", opts->block.standardize,
               "Fill each blocking feature with the normalised person field it names (first_name <- given_name, "
               "dob <- birth_date as YYYY-MM-DD, ...), as encode --standardize does");
  app.add_flag("--keep-spaces", opts->keep_spaces, "Keep spaces around unquoted CSV fields");
  app.add_flag("-q,--quiet", opts->quiet, "Print nothing on success");
  return [opts] { return Run(*opts); };
}

const bool kRegistered = matchguard::cli::RegisterCommand(
    {"block", "P-Sig or lambda-fold blocking keys for privacy-preserving linkage (blocklib schema, keyed)", SetUp});

}  // namespace
