// Retention (5 U.S.C. 552a(o)(1)(F), the agreement's [retention] days): destroys match outputs and case
// data older than the retention period, writing one `destruction` audit entry for each.
//
// A match output is the file a governed run wrote, found through the run entries of the audit log; it is
// destroyed when the run is older than the period and the file still holds the bytes the run recorded
// (its SHA-256), so a relative path never destroys another file of the same name. A case is destroyed
// when its last step is older than the period; its purge is recorded in the store before its rows are
// deleted (see case_store.h).
//
// Thread-safety: one writer per case store and audit log.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "matchguard/file_system.h"
#include "matchguard/status.h"
#include "src/governance/agreement.h"

namespace matchguard {

struct PurgeResult {
  Date cutoff;  // data last touched before this day is destroyed
  std::vector<int64_t> cases;
  std::vector<std::string> outputs;
  bool dry_run = false;
};

Result<PurgeResult> PurgeExpired(FileSystem& fs, const Agreement& agreement, const std::string& store_path, Date today,
                                 bool dry_run);

}  // namespace matchguard
