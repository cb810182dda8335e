// What every governed job (link, match) shares once the engine has produced its output: resolving the
// run's purpose, a scratch file for the engine's unreleased output, and recording the run, withdrawing the
// released output if it cannot be recorded (an unrecorded disclosure must not exist).
//
// Thread-safety: functions over values and files; one governed run per agreement at a time.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "matchguard/file_system.h"
#include "matchguard/status.h"
#include "src/governance/agreement.h"
#include "src/governance/enforcement.h"

namespace matchguard {

inline bool Listed(const std::vector<std::string>& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

// The purpose named (or the agreement's only purpose when `name` is empty); InvalidArgument if unknown.
Result<const Purpose*> ResolvePurpose(const Agreement& agreement, const std::string& name);

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

// RecordRun with absolute paths (so `purge` finds the output from any folder); on failure removes the
// released output and says so.
Status RecordOrWithdraw(FileSystem& fs, const Agreement& agreement, GovernedRunRequest request,
                        const std::vector<MatchHit>& hits, const std::string& output_path);

}  // namespace matchguard
