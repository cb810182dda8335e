#include "matchguard/file_system.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace matchguard {
namespace {

TEST(FileSystemTest, AtomicFileIsInvisibleUntilCommit) {
  auto dir = std::filesystem::temp_directory_path() / ("mg_fs_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  FileSystem* fs = DefaultFileSystem();
  std::string path = (dir / "out.csv").string();
  {
    auto file = fs->NewAtomicFile(path);
    ASSERT_TRUE(file.has_value());
    ASSERT_TRUE((*file)->Append("a,b\n").ok());
    EXPECT_FALSE(fs->Exists(path));
    // Dropped without Commit: nothing may remain, not even the temporary file.
  }
  EXPECT_FALSE(fs->Exists(path));
  EXPECT_TRUE(std::filesystem::is_empty(dir));
  ASSERT_TRUE(fs->WriteFileAtomically(path, "x\n").ok());
  EXPECT_EQ(fs->ReadFile(path).value(), "x\n");
  std::filesystem::remove_all(dir);
}

TEST(FileSystemTest, MemoryFileSystemInjectsWriteFailures) {
  auto fs = NewMemoryFileSystem(/*fail_writes_after_bytes=*/4);
  Status s = fs->WriteFileAtomically("out", "too long");
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_FALSE(fs->Exists("out"));
}

TEST(FileSystemTest, ReadingMissingOrDirectoryFails) {
  EXPECT_EQ(DefaultFileSystem()->ReadFile("/nonexistent/x.csv").error().code(), StatusCode::kNotFound);
  EXPECT_EQ(DefaultFileSystem()->ReadFile("/tmp").error().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace matchguard
