#include "src/pipeline/governed_release.h"

#include <filesystem>
#include <optional>

#include "src/audit/crypto.h"
#include "src/io/csv.h"
#include "src/normalize/config.h"
#include "src/normalize/fields.h"

namespace matchguard {

Result<const Purpose*> ResolvePurpose(const Agreement& agreement, const std::string& name) {
  const Purpose* purpose =
      name.empty() && agreement.purposes.size() == 1 ? &agreement.purposes[0] : agreement.FindPurpose(name);
  if (purpose == nullptr) {
    return Error(Status::InvalidArgument(name.empty() ? "the agreement has several purposes: choose one with --purpose"
                                                      : "unknown purpose '" + name + "'"));
  }
  return purpose;
}

Status PublishRecorded(FileSystem& fs, const Agreement& agreement, GovernedRunRequest request,
                       const std::vector<MatchHit>& hits, const std::string& output_path, std::string_view released) {
  for (std::string& path : request.input_paths) path = std::filesystem::absolute(path).string();
  MG_ASSIGN_OR_RETURN(std::unique_ptr<AtomicFile> staged, fs.NewAtomicFile(output_path));
  MG_RETURN_IF_ERROR(staged->Append(released));
  request.output_sha256 = ToHex(Sha256(released));
  Status recorded = RecordRun(fs, agreement, request, hits, std::filesystem::absolute(output_path).string());
  // Dropping the uncommitted file removes the staged bytes.
  if (!recorded.ok()) return recorded.WithContext("the run could not be recorded, so nothing was released");
  return staged->Commit().WithContext("the run is recorded but its output could not be put in place");
}

Status CheckGovernedOutput(const Agreement& agreement, const std::string& output_path) {
  return CheckInsideAgreementFolder(agreement, output_path, "the output");
}

namespace {

// The field a column's header names by itself, if any ("ssn", "soc_sec_id" -> ssn).
std::string HeaderField(std::string_view header) {
  std::optional<FieldKind> kind = DetectFieldKind(header);
  return kind ? std::string(FieldKindName(*kind)) : std::string();
}

// One side's mapping; `ids_sha256` receives the digest of its record ids (empty without an id column).
Result<nlohmann::json> SideMapping(FileSystem& fs, const std::string& path, const InputConfig& input,
                                   const Agreement& agreement, const std::vector<std::string>& match_fields,
                                   std::string& ids_sha256) {
  MG_ASSIGN_OR_RETURN(Table table, ReadCsvTable(fs, path, input.csv));
  MG_ASSIGN_OR_RETURN(FieldMapping mapping, DetectFields(table, input.fields));
  if (std::optional<size_t> id = mapping.column(FieldKind::kId)) {
    std::vector<std::string> ids;
    ids.reserve(table.num_rows());
    for (size_t r = 0; r < table.num_rows(); ++r) ids.emplace_back(table.Get(*id, r));
    ids_sha256 = RecordIdsDigest(std::move(ids));
  }
  nlohmann::json side = nlohmann::json::object();
  for (const std::string& field : match_fields) {
    std::optional<FieldKind> kind = ParseFieldKind(field);
    std::optional<size_t> column = kind ? mapping.column(*kind) : std::nullopt;
    if (!column) continue;
    const std::string header = table.column_names()[*column];
    const std::string named = HeaderField(header);
    if (!named.empty() && named != field && !Listed(agreement.match_fields, named)) {
      return Error(Status::PermissionDenied(path + ": column '" + header + "' holds " + named +
                                            " by its name but is mapped to " + field + "; agreement " + agreement.id +
                                            " does not authorise matching on " + named +
                                            ", and relabelling a column does not change what it holds"));
    }
    side[field] = header;
  }
  return side;
}

}  // namespace

Result<nlohmann::json> LinkFieldMapping(FileSystem& fs, const LinkOptions& link, const Agreement& agreement,
                                        const std::vector<std::string>& match_fields,
                                        std::vector<std::string>& ids_sha256) {
  ids_sha256.assign(2, std::string());
  InputConfig input;
  nlohmann::json mapping = nlohmann::json::object();
  if (!link.config_path.empty()) {
    MG_ASSIGN_OR_RETURN(input, LoadInputConfig(fs, link.config_path));
    MG_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(link.config_path));
    mapping["config"] = {{"file", std::filesystem::path(link.config_path).filename().string()},
                         {"sha256", ToHex(Sha256(text))}};
  }
  MG_ASSIGN_OR_RETURN(mapping["left"], SideMapping(fs, link.left_path, input, agreement, match_fields, ids_sha256[0]));
  MG_ASSIGN_OR_RETURN(mapping["right"],
                      SideMapping(fs, link.right_path, input, agreement, match_fields, ids_sha256[1]));
  return mapping;
}

}  // namespace matchguard
