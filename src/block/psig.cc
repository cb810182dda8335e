// STUB: the P-Sig engineer replaces this file.
#include "src/block/psig.h"

namespace matchguard {

Result<PsigPairs> PsigCandidatePairs(FileSystem&, const std::string&, const std::string&, size_t, size_t) {
  return Error(Status::Internal("P-Sig blocking is not implemented yet"));
}

}  // namespace matchguard
