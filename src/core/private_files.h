// Files that hold identifiers or keys: created readable by their owner only, and refused when a secret is
// readable by others (as ssh refuses a private key with loose permissions).
//
// Thread-safety: ScopedPrivateUmask changes the process umask; construct it only while one thread creates
// files (the command-line tool is single-threaded when it does).
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "matchguard/status.h"

namespace matchguard {

// While alive, new files (outputs, temporary files, the case store, the audit log) get mode 0600 whatever
// the caller's umask: hits with MBIs and case stores must not be world-readable by default.
class ScopedPrivateUmask {
 public:
  ScopedPrivateUmask();
  ~ScopedPrivateUmask();
  ScopedPrivateUmask(const ScopedPrivateUmask&) = delete;
  ScopedPrivateUmask& operator=(const ScopedPrivateUmask&) = delete;

 private:
  mode_t previous_;
};

// PermissionDenied, naming the file, its mode and the mend (`chmod 600 PATH`), when the file at `path` on
// the local disk can be read or written by its group or others. `what` names it ("the audit key").
// A path that is not on the local disk (an in-memory file system in tests) passes.
Status CheckNotReadableByOthers(const std::string& path, std::string_view what);

}  // namespace matchguard
