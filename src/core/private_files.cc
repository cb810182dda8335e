#include "src/core/private_files.h"

#include <sys/stat.h>

#include <cstdio>

namespace matchguard {

ScopedPrivateUmask::ScopedPrivateUmask() : previous_(::umask(077)) {}
ScopedPrivateUmask::~ScopedPrivateUmask() { ::umask(previous_); }

Status CheckNotReadableByOthers(const std::string& path, std::string_view what) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return Status::Ok();
  if ((info.st_mode & 077) == 0) return Status::Ok();
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
  return Status::PermissionDenied(std::string(what) + " " + path + " is accessible by others (mode " + mode +
                                  "); a secret must be readable by its owner only: run `chmod 600 " + path + "`");
}

}  // namespace matchguard
