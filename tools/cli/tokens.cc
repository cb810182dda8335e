// `matchguard tokens --secret-file KEY INPUT.csv -o TOKENS.csv [--encrypt-key-file K2]`: OpenToken T1..T5
// tokens (RuleId,Token,RecordId) plus OpenToken's metadata JSON beside them.
#include <cstdio>
#include <memory>
#include <string>

#include "command.h"
#include "matchguard/encode.h"

namespace {

struct Options {
  matchguard::TokensOptions tokens;
  bool quiet = false;
};

int Run(Options& opts) {
  opts.tokens.encrypt = !opts.tokens.encryption_key.file.empty() || !opts.tokens.encryption_key.env_name.empty();
  auto result = matchguard::GenerateTokens(*matchguard::DefaultFileSystem(), opts.tokens);
  if (!result.has_value()) return matchguard::cli::ExitCodeFor(result.status());
  if (opts.quiet) return matchguard::cli::kExitOk;
  std::printf("tokenised %zu rows into %zu tokens (%zu rows with invalid attributes)%s\n", result->rows,
              result->token_rows, result->rows_with_invalid_attributes,
              opts.tokens.encrypt ? ", encrypted with AES-256-GCM" : "");
  std::printf("  wrote %s\n  wrote %s\n", opts.tokens.output_path.c_str(), result->metadata_path.c_str());
  return matchguard::cli::kExitOk;
}

matchguard::cli::Runner SetUp(CLI::App& app) {
  auto opts = std::make_shared<Options>();
  app.footer(
      "Columns are found by OpenToken's names and aliases (RecordId/Id, FirstName/GivenName, LastName/Surname,\n"
      "BirthDate, Sex/Gender, SocialSecurityNumber, PostalCode/ZipCode). Without an encryption key the tokens\n"
      "equal OpenToken's --hash-only output. Secrets come from files or environment variables only.\n"
      "See docs/encodings.md.");
  app.add_option("input", opts->tokens.input_path, "CSV of person attributes")->required();
  app.add_option("-o,--output", opts->tokens.output_path, "Tokens CSV to write")->required();
  auto* file = app.add_option("--secret-file", opts->tokens.hashing_secret.file, "File holding the hashing secret");
  auto* env = app.add_option("--secret-env", opts->tokens.hashing_secret.env_name,
                             "Environment variable holding the hashing secret");
  file->excludes(env);
  auto* kfile = app.add_option("--encrypt-key-file", opts->tokens.encryption_key.file,
                               "File holding a 32-byte AES-256 key: encrypt tokens as OpenToken does");
  auto* kenv = app.add_option("--encrypt-key-env", opts->tokens.encryption_key.env_name,
                              "Environment variable holding the 32-byte encryption key");
  kfile->excludes(kenv);
  app.add_option("--threads", opts->tokens.threads, "Worker threads (0: all cores)")->check(CLI::Range(0, 1024));
  app.add_flag("-q,--quiet", opts->quiet, "Print nothing on success");
  return [opts] { return Run(*opts); };
}

const bool kRegistered =
    matchguard::cli::RegisterCommand({"tokens", "Generate OpenToken-compatible person tokens (T1..T5)", SetUp});

}  // namespace
