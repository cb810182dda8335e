// GovernedMatch (include/matchguard/match.h): a PPRL match run under a matching agreement. Authorise
// (dates, the encoded fields, volumes), match into a scratch file, release the authorised columns, record.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "matchguard/match.h"
#include "src/audit/crypto.h"
#include "src/audit/date.h"
#include "src/block/psig.h"
#include "src/block/psig_schema.h"
#include "src/core/private_files.h"
#include "src/encode/clk_file.h"
#include "src/encode/clk_schema.h"
#include "src/governance/enforcement.h"
#include "src/io/csv.h"
#include "src/normalize/fields.h"
#include "src/pipeline/governed_release.h"

namespace matchguard {
namespace {

// The job shapes a governed match may take: two parties (the agreement's source and recipient), linked
// one to one, released as a CSV of pairs that the release stage can project and record.
Status CheckGovernedShape(const GovernedMatchOptions& options) {
  const MatchOptions& m = options.match;
  if (m.inputs.size() != 2) {
    return Status::InvalidArgument("a governed match links exactly two files (the agreement's two parties)");
  }
  if (m.solve != MatchSolve::kGreedy || m.result != MatchResultShape::kSimilarityScores ||
      m.output.ends_with(".json")) {
    return Status::InvalidArgument(
        "a governed match releases one-to-one links as CSV: use --solve greedy, --result similarity_scores and an "
        "output path not ending in .json");
  }
  if (!m.model_output.empty()) {
    return Status::PermissionDenied(
        "--model-out is not available on a governed run: the fitted model is not an authorised release");
  }
  if ((m.blocking == MatchBlocking::kPsig) != !options.psig_schema_path.empty()) {
    return Status::InvalidArgument(
        "a governed match with --blocking psig needs the P-Sig schema of the blocks (--psig-schema), and only then");
  }
  if (options.schema_path.empty()) {
    return Status::InvalidArgument(
        "a governed match needs the linkage schema of the encodings (--schema) to check the encoded fields "
        "against the agreement");
  }
  return Status::Ok();
}

// The canonical field a schema feature encodes: its synonym ("given_name" -> first_name), else its name.
std::string FieldOfFeature(const std::string& identifier) {
  std::optional<FieldKind> kind = DetectFieldKind(identifier);
  return kind ? std::string(FieldKindName(*kind)) : identifier;
}

// The fields the encodings carry (the schema's hashed features), each of which the agreement must
// authorise for matching; --fields must name hashed features of that schema.
// `mapping` receives the schema's hash and its feature -> field mapping for the run entry.
Result<std::vector<std::string>> EncodedFields(FileSystem& fs, const GovernedMatchOptions& options,
                                               const Agreement& agreement, nlohmann::json& mapping) {
  MG_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(options.schema_path));
  MG_ASSIGN_OR_RETURN(ClkSchema schema, ParseClkSchema(text, options.schema_path));
  mapping = {
      {"schema",
       {{"file", std::filesystem::path(options.schema_path).filename().string()}, {"sha256", ToHex(Sha256(text))}}},
      {"features", nlohmann::json::object()}};
  std::vector<std::string> fields, identifiers, refused;
  for (const FeatureSpec& feature : schema.features) {
    if (!feature.hashed()) continue;
    identifiers.push_back(feature.identifier);
    std::string field = FieldOfFeature(feature.identifier);
    mapping["features"][feature.identifier] = field;
    if (!Listed(agreement.match_fields, field)) refused.push_back(feature.identifier + " (" + field + ")");
    if (!Listed(fields, field)) fields.push_back(std::move(field));
  }
  if (!refused.empty()) {
    return Error(Status::PermissionDenied(
        fmt::format("agreement {} does not authorise matching on {}, which {} encodes; it lists [{}]", agreement.id,
                    fmt::join(refused, ", "), options.schema_path, fmt::join(agreement.match_fields, ", "))));
  }
  for (const std::string& comparison : options.match.fields) {
    // A comparison may join features: "street+city+zip".
    for (size_t begin = 0; begin <= comparison.size();) {
      const size_t end = std::min(comparison.find('+', begin), comparison.size());
      const std::string feature = comparison.substr(begin, end - begin);
      if (!Listed(identifiers, feature)) {
        return Error(Status::InvalidArgument(fmt::format("--fields {} is not a hashed feature of {} ([{}])", feature,
                                                         options.schema_path, fmt::join(identifiers, ", "))));
      }
      begin = end + 1;
    }
  }
  return fields;
}

// With P-Sig blocking, blocking is matching too: the schema's blocking features must be authorised, and the
// blocks files must have been made with that schema.
Status CheckPsigBlocking(FileSystem& fs, const GovernedMatchOptions& options, const Agreement& agreement,
                         std::vector<std::string>& fields) {
  if (options.psig_schema_path.empty()) return Status::Ok();
  MG_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(options.psig_schema_path));
  MG_ASSIGN_OR_RETURN(PsigSchema schema, ParsePsigSchema(text, options.psig_schema_path));
  for (const PsigFeatureRef& feature : schema.blocking_features) {
    if (feature.name.empty()) {
      return Status::InvalidArgument(
          fmt::format("{}: a governed match needs blocking features named, not given by column index ({})",
                      options.psig_schema_path, feature.Label()));
    }
    std::string field = FieldOfFeature(feature.name);
    if (!Listed(agreement.match_fields, field)) {
      return Status::PermissionDenied(fmt::format(
          "agreement {} does not authorise matching on {} ({}), which {} blocks on; it lists [{}]", agreement.id,
          feature.name, field, options.psig_schema_path, fmt::join(agreement.match_fields, ", ")));
    }
    if (!Listed(fields, field)) fields.push_back(std::move(field));
  }
  for (const std::string& path : options.match.block_files) {
    MG_ASSIGN_OR_RETURN(std::string blocks_text, fs.ReadFile(path));
    MG_ASSIGN_OR_RETURN(PsigBlocksFile blocks, ParsePsigBlocks(blocks_text, path));
    if (blocks.schema_sha256 != schema.sha256) {
      return Status::InvalidArgument(fmt::format("{} was not made with the P-Sig schema {} (schema_sha256 differs)",
                                                 path, options.psig_schema_path));
    }
  }
  return Status::Ok();
}

// The columns released: ids and the score, as far as the purpose authorises them.
std::vector<std::string> ReleasedItems(const Purpose& purpose, const std::string& score) {
  std::vector<std::string> items;
  for (const std::string& item : {std::string("left.id"), std::string("right.id"), score}) {
    if (Listed(purpose.disclose, item)) items.push_back(item);
  }
  return items;
}

struct Release {
  std::vector<std::string> header;
  std::vector<MatchHit> hits;
  std::string text;  // the released CSV, published only once the run is recorded
};

// Rewrites the engine's `left_id,right_id,similarity` CSV as the released output with status `unverified`.
Result<Release> ProjectOutput(FileSystem& fs, const std::string& engine_output, const std::vector<std::string>& items) {
  MG_ASSIGN_OR_RETURN(Table pairs, ReadCsvTable(fs, engine_output));
  Release release;
  for (const std::string& item : items) {
    release.header.push_back(item == "left.id" ? "left_id" : item == "right.id" ? "right_id" : item);
  }
  release.header.push_back("status");
  std::string out = fmt::format("{}\n", fmt::join(release.header, ","));
  for (size_t r = 0; r < pairs.num_rows(); ++r) {
    const std::string_view values[] = {pairs.Get(0, r), pairs.Get(1, r), pairs.Get(2, r)};
    for (const std::string& item : items) {
      AppendCsvField(&out, values[item == "left.id" ? 0 : item == "right.id" ? 1 : 2]);
      out.push_back(',');
    }
    out += "unverified\n";
    release.hits.push_back({std::string(values[0]), std::string(values[1]), std::stod(std::string(values[2]))});
  }
  release.text = std::move(out);
  return release;
}

std::string ModelDescription(const MatchOptions& m, const std::vector<std::string>& fields) {
  if (m.scoring == MatchScoring::kFieldModel) {
    return fmt::format("fellegi-sunter em over field-level bloom filters [{}], candidates at dice >= {}",
                       fmt::join(m.fields, ", "), m.threshold);
  }
  return fmt::format("dice >= {} over bloom-filter encodings of [{}], greedy one-to-one", m.threshold,
                     fmt::join(fields, ", "));
}

}  // namespace

Result<GovernedMatchSummary> GovernedMatch(FileSystem& fs, const GovernedMatchOptions& options) {
  const MatchOptions& m = options.match;
  MG_RETURN_IF_ERROR(CheckGovernedShape(options));
  const ScopedPrivateUmask private_files;  // hits hold identifiers: owner-only, whatever the umask
  MG_ASSIGN_OR_RETURN(Date today, Today());
  MG_ASSIGN_OR_RETURN(Agreement agreement, LoadAgreement(fs, options.agreement_path));
  MG_RETURN_IF_ERROR(CheckGovernedOutput(agreement, m.output));
  GovernedRunRequest request;
  request.agreement_path = options.agreement_path;
  request.today = today;
  request.case_store_path = options.case_store_path;
  request.input_paths = m.inputs;
  // Dates first: an agreement not in force refuses before any encoding is read.
  MG_RETURN_IF_ERROR(CheckRunAuthorized(agreement, request));
  MG_ASSIGN_OR_RETURN(const Purpose* purpose, ResolvePurpose(agreement, options.purpose));
  request.purpose = purpose->name;
  MG_ASSIGN_OR_RETURN(request.match_fields, EncodedFields(fs, options, agreement, request.field_mapping));
  MG_RETURN_IF_ERROR(CheckPsigBlocking(fs, options, agreement, request.match_fields));
  const std::string score = m.scoring == MatchScoring::kFieldModel ? "match_probability" : "similarity";
  request.disclosed_fields = ReleasedItems(*purpose, score);
  for (int side = 0; side < 2; ++side) {
    MG_ASSIGN_OR_RETURN(ClkSet set, ReadClkFile(fs, m.inputs[side]));
    (side == 0 ? request.left_records : request.right_records) = set.count;
    request.input_ids_sha256.push_back(RecordIdsDigest(std::move(set.ids)));
  }
  MG_RETURN_IF_ERROR(CheckRunAuthorized(agreement, request));
  MG_RETURN_IF_ERROR(CheckCumulativeVolume(fs, agreement, request));

  MatchOptions engine = m;
  TemporaryPath engine_output(fs, m.output + ".engine.tmp");
  engine.output = engine_output.path();
  GovernedMatchSummary summary;
  MG_ASSIGN_OR_RETURN(summary.match, RunMatch(fs, engine));
  MG_ASSIGN_OR_RETURN(Release release, ProjectOutput(fs, engine_output.path(), request.disclosed_fields));
  (void)fs.Remove(engine_output.path());

  request.model_description = ModelDescription(m, request.match_fields);
  request.threshold =
      m.scoring == MatchScoring::kFieldModel ? m.min_probability.value_or(kDefaultMinProbability) : m.threshold;
  MG_RETURN_IF_ERROR(PublishRecorded(fs, agreement, request, release.hits, m.output, release.text));
  summary.agreement_id = agreement.id;
  summary.purpose = purpose->name;
  summary.match_fields = request.match_fields;
  summary.released_columns = release.header;
  summary.cases_opened = release.hits.size();
  return summary;
}

}  // namespace matchguard
