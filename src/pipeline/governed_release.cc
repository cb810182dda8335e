#include "src/pipeline/governed_release.h"

#include <filesystem>

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

Status RecordOrWithdraw(FileSystem& fs, const Agreement& agreement, GovernedRunRequest request,
                        const std::vector<MatchHit>& hits, const std::string& output_path) {
  for (std::string& path : request.input_paths) path = std::filesystem::absolute(path).string();
  Status recorded = RecordRun(fs, agreement, request, hits, std::filesystem::absolute(output_path).string());
  if (recorded.ok()) return recorded;
  (void)fs.Remove(output_path);
  return recorded.WithContext("the run could not be recorded, so its output was withdrawn");
}

}  // namespace matchguard
