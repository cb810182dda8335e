#include "matchguard/file_system.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <condition_variable>
#include <mutex>
#include <set>
#include <random>

#include "matchguard/limits.h"

namespace matchguard {
namespace {

std::string ErrnoMessage(const std::string& what, const std::string& path) {
  return what + " '" + path + "': " + std::strerror(errno);
}

Status TooLarge(const std::string& path, uint64_t limit) {
  return Status::InvalidArgument("'" + path + "' is larger than the input limit of " + DescribeBytes(limit) +
                                 " per file; raise it with --max-file-mb if the file is meant to be this large");
}

// Writes to `<dir>/.<name>.tmp-<random>` and renames over the destination on Commit().
class PosixAtomicFile final : public AtomicFile {
 public:
  PosixAtomicFile(std::string path, std::string temp_path, int fd)
      : path_(std::move(path)), temp_path_(std::move(temp_path)), fd_(fd) {}
  ~PosixAtomicFile() override {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(temp_path_.c_str());
  }

  Status Append(std::string_view data) override {
    buffer_.append(data);
    if (buffer_.size() >= kFlushBytes) return Flush();
    return Status::Ok();
  }

  Status Commit() override {
    if (Status s = Flush(); !s.ok()) return s;
    if (::fsync(fd_) != 0) return Status::IoError(ErrnoMessage("cannot sync", temp_path_));
    if (::close(fd_) != 0) {
      fd_ = -1;
      return Status::IoError(ErrnoMessage("cannot close", temp_path_));
    }
    fd_ = -1;
    if (::rename(temp_path_.c_str(), path_.c_str()) != 0) {
      return Status::IoError(ErrnoMessage("cannot rename output into place", path_));
    }
    committed_ = true;
    return Status::Ok();
  }

 private:
  static constexpr size_t kFlushBytes = 1 << 20;

  Status Flush() {
    size_t done = 0;
    while (done < buffer_.size()) {
      ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        return Status::IoError(ErrnoMessage("cannot write", path_));
      }
      done += static_cast<size_t>(n);
    }
    buffer_.clear();
    return Status::Ok();
  }

  std::string path_;
  std::string temp_path_;
  int fd_;
  std::string buffer_;
  bool committed_ = false;
};

// flock(2) on a lock file: held per open file description, so it excludes other processes and other
// threads of this one alike, and the kernel releases it if the process dies.
class PosixFileLock final : public FileLock {
 public:
  explicit PosixFileLock(int fd) : fd_(fd) {}
  ~PosixFileLock() override { ::close(fd_); }

 private:
  int fd_;
};

class PosixFileSystem final : public FileSystem {
 public:
  Result<std::string> ReadFile(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT) return Error(Status::NotFound("no such file '" + path + "'"));
      return Error(Status::InvalidArgument(ErrnoMessage("cannot open", path)));
    }
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
      ::close(fd);
      return Error(Status::InvalidArgument("'" + path + "' is a directory, expected a file"));
    }
    // Checked on the size and again while reading: a device or a growing file has no size to trust.
    const uint64_t limit = CurrentInputLimits().max_file_bytes;
    if (st.st_size > 0 && static_cast<uint64_t>(st.st_size) > limit) {
      ::close(fd);
      return Error(TooLarge(path, limit));
    }
    std::string data;
    if (st.st_size > 0) data.reserve(static_cast<size_t>(st.st_size));
    char chunk[1 << 16];
    while (true) {
      if (data.size() > limit) {
        ::close(fd);
        return Error(TooLarge(path, limit));
      }
      ssize_t n = ::read(fd, chunk, sizeof chunk);
      if (n < 0) {
        if (errno == EINTR) continue;
        ::close(fd);
        return Error(Status::IoError(ErrnoMessage("cannot read", path)));
      }
      if (n == 0) break;
      data.append(chunk, static_cast<size_t>(n));
    }
    ::close(fd);
    return data;
  }

  Result<std::unique_ptr<AtomicFile>> NewAtomicFile(const std::string& path) override {
    std::filesystem::path dest(path);
    std::filesystem::path dir = dest.parent_path();
    if (dir.empty()) dir = ".";
    static std::atomic<uint64_t> counter{0};
    std::string temp = (dir / ("." + dest.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                               std::to_string(counter++)))
                           .string();
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return Error(Status::InvalidArgument(ErrnoMessage("cannot create output", path)));
    return std::unique_ptr<AtomicFile>(new PosixAtomicFile(path, temp, fd));
  }

  bool Exists(const std::string& path) override {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
  }

  Status Remove(const std::string& path) override {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return Status::IoError(ErrnoMessage("cannot remove", path));
    return Status::Ok();
  }

  Status CreateDirectories(const std::string& path) override {
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) return Status::InvalidArgument("cannot create directory '" + path + "': " + ec.message());
    return Status::Ok();
  }

  Result<int64_t> ModifiedTime(const std::string& path) override {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return Error(Status::NotFound(ErrnoMessage("cannot stat", path)));
    return static_cast<int64_t>(st.st_mtime);
  }

  Result<std::unique_ptr<FileLock>> LockExclusive(const std::string& path) override {
    const std::string lock_path = path + ".lock";
    int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return Error(Status::IoError(ErrnoMessage("cannot open lock file", lock_path)));
    while (::flock(fd, LOCK_EX) != 0) {
      if (errno == EINTR) continue;
      Status error = Status::IoError(ErrnoMessage("cannot lock", lock_path));
      ::close(fd);
      return Error(error);
    }
    return std::unique_ptr<FileLock>(new PosixFileLock(fd));
  }

  Result<std::vector<std::string>> ListDirectory(const std::string& path) override {
    std::error_code ec;
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
      names.push_back(entry.path().filename().string());
    }
    if (ec) return Error(Status::NotFound("cannot list directory '" + path + "': " + ec.message()));
    std::sort(names.begin(), names.end());
    return names;
  }
};

// In-memory files for tests. Committed files become visible atomically, as with the POSIX version.
class MemoryFileSystem final : public FileSystem {
 public:
  explicit MemoryFileSystem(int64_t fail_after) : fail_after_(fail_after) {}

  Result<std::string> ReadFile(const std::string& path) override {
    std::lock_guard lock(mu_);
    auto it = files_.find(path);
    if (it == files_.end()) return Error(Status::NotFound("no such file '" + path + "'"));
    return it->second.data;
  }

  Result<std::unique_ptr<AtomicFile>> NewAtomicFile(const std::string& path) override {
    return std::unique_ptr<AtomicFile>(new MemoryAtomicFile(this, path));
  }

  bool Exists(const std::string& path) override {
    std::lock_guard lock(mu_);
    return files_.contains(path);
  }

  Status Remove(const std::string& path) override {
    std::lock_guard lock(mu_);
    files_.erase(path);
    return Status::Ok();
  }

  Status CreateDirectories(const std::string&) override { return Status::Ok(); }

  Result<int64_t> ModifiedTime(const std::string& path) override {
    std::lock_guard lock(mu_);
    auto it = files_.find(path);
    if (it == files_.end()) return Error(Status::NotFound("no such file '" + path + "'"));
    return it->second.mtime;
  }

  Result<std::unique_ptr<FileLock>> LockExclusive(const std::string& path) override {
    std::unique_lock lock(mu_);
    lock_released_.wait(lock, [&] { return !locked_.contains(path); });
    locked_.insert(path);
    return std::unique_ptr<FileLock>(new MemoryFileLock(this, path));
  }

  Result<std::vector<std::string>> ListDirectory(const std::string& path) override {
    std::lock_guard lock(mu_);
    std::string prefix = path.empty() || path.back() == '/' ? path : path + "/";
    std::vector<std::string> names;
    for (const auto& [name, file] : files_) {
      if (name.starts_with(prefix) && name.find('/', prefix.size()) == std::string::npos) {
        names.push_back(name.substr(prefix.size()));
      }
    }
    return names;
  }

 private:
  struct File {
    std::string data;
    int64_t mtime = 0;
  };

  class MemoryAtomicFile final : public AtomicFile {
   public:
    MemoryAtomicFile(MemoryFileSystem* fs, std::string path) : fs_(fs), path_(std::move(path)) {}
    Status Append(std::string_view data) override {
      if (fs_->fail_after_ >= 0) {
        int64_t total = fs_->written_.fetch_add(static_cast<int64_t>(data.size())) + static_cast<int64_t>(data.size());
        if (total > fs_->fail_after_) return Status::IoError("cannot write '" + path_ + "': injected failure");
      }
      data_.append(data);
      return Status::Ok();
    }
    Status Commit() override {
      std::lock_guard lock(fs_->mu_);
      fs_->files_[path_] = File{std::move(data_), ++fs_->clock_};
      return Status::Ok();
    }

   private:
    MemoryFileSystem* fs_;
    std::string path_;
    std::string data_;
  };

  class MemoryFileLock final : public FileLock {
   public:
    MemoryFileLock(MemoryFileSystem* fs, std::string path) : fs_(fs), path_(std::move(path)) {}
    ~MemoryFileLock() override {
      {
        std::lock_guard lock(fs_->mu_);
        fs_->locked_.erase(path_);
      }
      fs_->lock_released_.notify_all();
    }

   private:
    MemoryFileSystem* fs_;
    std::string path_;
  };

  std::mutex mu_;
  std::condition_variable lock_released_;
  std::set<std::string> locked_;
  std::map<std::string, File> files_;
  int64_t fail_after_;
  std::atomic<int64_t> written_{0};
  int64_t clock_ = 0;
};

}  // namespace

Status FileSystem::WriteFileAtomically(const std::string& path, std::string_view data) {
  MG_ASSIGN_OR_RETURN(auto file, NewAtomicFile(path));
  MG_RETURN_IF_ERROR(file->Append(data));
  return file->Commit();
}

FileSystem* DefaultFileSystem() {
  static PosixFileSystem fs;
  return &fs;
}

std::unique_ptr<FileSystem> NewMemoryFileSystem(int64_t fail_writes_after_bytes) {
  return std::make_unique<MemoryFileSystem>(fail_writes_after_bytes);
}

}  // namespace matchguard
