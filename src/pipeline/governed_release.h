// What every governed job (link, match) shares once the engine has produced its output: resolving the
// run's purpose, a scratch file for the engine's unreleased output, and publishing the release as one
// transaction: the run, its disclosure and its cases are made durable first, and only then is the output
// renamed into place (an unrecorded disclosure must not exist, not even for an instant).
//
// Thread-safety: functions over values and files; one governed run per agreement at a time.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "matchguard/file_system.h"
#include "matchguard/link.h"
#include "matchguard/status.h"
#include "src/governance/agreement.h"
#include "src/governance/enforcement.h"

namespace matchguard {

inline bool Listed(const std::vector<std::string>& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

// The purpose named (or the agreement's only purpose when `name` is empty); InvalidArgument if unknown.
Result<const Purpose*> ResolvePurpose(const Agreement& agreement, const std::string& name);

// The field mapping a governed link compares with, per side ({"left": {"first_name": "given_name", ...},
// "right": ..., "config": {"file", "sha256"}}), for the run entry. Refuses a relabelling: a column whose
// header names a field the agreement does not authorise (`ssn`) mapped by a config onto one it does
// (`first_name = "ssn"`). `ids_sha256` receives each side's RecordIdsDigest (empty without an id column).
Result<nlohmann::json> LinkFieldMapping(FileSystem& fs, const LinkOptions& link, const Agreement& agreement,
                                        const std::vector<std::string>& match_fields,
                                        std::vector<std::string>& ids_sha256);

// Removes the engine's intermediate output whatever happens to the run.
class TemporaryPath {
 public:
  TemporaryPath(FileSystem& fs, std::string path) : fs_(fs), path_(std::move(path)) {}
  ~TemporaryPath() { (void)fs_.Remove(path_); }
  TemporaryPath(const TemporaryPath&) = delete;
  TemporaryPath& operator=(const TemporaryPath&) = delete;
  const std::string& path() const { return path_; }

 private:
  FileSystem& fs_;
  std::string path_;
};

// Stages `released` (the output's whole text) in a temporary file beside `output_path`, records the run with
// absolute paths (so `purge` finds the output from any folder) and the staged bytes' hash, and only then
// commits the output under its name. A failure or a crash before the commit leaves nothing released; one
// after the record leaves a recorded run whose output is absent, never the reverse.
Status PublishRecorded(FileSystem& fs, const Agreement& agreement, GovernedRunRequest request,
                       const std::vector<MatchHit>& hits, const std::string& output_path, std::string_view released);

// PermissionDenied unless `output_path` lies inside the agreement's folder (retention must reach it).
Status CheckGovernedOutput(const Agreement& agreement, const std::string& output_path);

}  // namespace matchguard
