// FileSystem: every file matchguard reads or writes goes through this interface.
//
// The real implementation wraps POSIX; the in-memory one lets tests run without touching disk and inject
// write failures. Outputs are always written through an AtomicFile: bytes go to a temporary file in the
// same folder, which is renamed over the destination only on Commit(), so a failed or interrupted run
// leaves no partial output behind.
//
// Thread-safety: FileSystem methods may be called from several threads; an AtomicFile belongs to one.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "matchguard/status.h"

namespace matchguard {

// An output being written. Destroying it without Commit() discards everything written.
class AtomicFile {
 public:
  virtual ~AtomicFile() = default;
  virtual Status Append(std::string_view data) = 0;
  // Flushes, syncs and renames the temporary file over the destination.
  virtual Status Commit() = 0;
};

// An exclusive lock, held until destroyed.
class FileLock {
 public:
  virtual ~FileLock() = default;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // Reads the whole file. NotFound when it does not exist.
  virtual Result<std::string> ReadFile(const std::string& path) = 0;
  virtual Result<std::unique_ptr<AtomicFile>> NewAtomicFile(const std::string& path) = 0;
  virtual bool Exists(const std::string& path) = 0;
  virtual Status Remove(const std::string& path) = 0;
  virtual Status CreateDirectories(const std::string& path) = 0;
  // Seconds since the epoch of the last modification.
  virtual Result<int64_t> ModifiedTime(const std::string& path) = 0;
  // Names (not paths) of the entries in a directory, sorted.
  virtual Result<std::vector<std::string>> ListDirectory(const std::string& path) = 0;

  // Takes the exclusive lock named after `path` (the file `path`.lock, created if missing), waiting while
  // another process or thread holds it. Writers that read, change and rewrite a shared file (the audit
  // log) hold it across the read and the commit, so that no concurrent update is lost.
  virtual Result<std::unique_ptr<FileLock>> LockExclusive(const std::string& path) = 0;
  // Convenience: writes `data` atomically to `path`.
  Status WriteFileAtomically(const std::string& path, std::string_view data);
};

// The process-wide POSIX file system. Never null; not owned by the caller.
FileSystem* DefaultFileSystem();

// A fresh in-memory file system. `fail_writes_after_bytes` >= 0 makes Append fail once that many bytes
// have been written in total, for testing error paths.
std::unique_ptr<FileSystem> NewMemoryFileSystem(int64_t fail_writes_after_bytes = -1);

}  // namespace matchguard
