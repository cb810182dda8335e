#include "src/audit/log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <thread>

#include "src/audit/accounting.h"
#include "src/audit/date.h"

namespace matchguard {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

// A clock fixed at `now` for the test's lifetime (checkpoint timestamps come from the injected clock).
struct TestClock final : Clock {
  explicit TestClock(int64_t start) : now(start) { SetClockForTesting(this); }
  ~TestClock() override { SetClockForTesting(nullptr); }
  Result<int64_t> NowSeconds() const override { return now; }
  int64_t now;
};

const Ed25519KeyPair& Key() {
  static const Ed25519KeyPair key = *GenerateEd25519KeyPair();
  return key;
}

// A log of `appends` appends of 1 to 3 entries each, every append followed by its checkpoint.
std::string BuildLog(FileSystem& fs, int appends, const std::string& path = "audit.log") {
  for (int a = 0; a < appends; ++a) {
    std::vector<json> entries;
    for (int e = 0; e <= a % 3; ++e) {
      entries.push_back(json{{"kind", "case"}, {"case_id", a * 10 + e}, {"transition", "verify"}});
    }
    auto size = AppendToLog(fs, path, Key().private_pem, entries);
    EXPECT_TRUE(size.has_value()) << size.error().message();
  }
  return *fs.ReadFile(path);
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    lines.push_back(text.substr(pos, end - pos + 1));
    pos = end + 1;
  }
  return lines;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l;
  return out;
}

TEST(AuditLogTest, AppendedLogVerifiesAndEndsWithACheckpoint) {
  auto fs = NewMemoryFileSystem();
  const std::string text = BuildLog(*fs, 5);
  auto summary = VerifyLog(text, "audit.log", Key().public_pem);
  ASSERT_TRUE(summary.has_value()) << summary.error().message();
  EXPECT_EQ(summary->entries, 1u + 2 + 3 + 1 + 2);
  EXPECT_EQ(summary->checkpoints, 5u);
  auto parsed = ParseLog(text, "audit.log");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->checkpoint_lines.back(), Lines(text).size());
  // Entries are canonical: sorted keys, no spaces.
  EXPECT_EQ(parsed->entries[0], R"({"case_id":0,"kind":"case","transition":"verify"})");
}

TEST(AuditLogTest, WrongKeyUnsignedTailAndClockGoingBackAreRefused) {
  auto fs = NewMemoryFileSystem();
  std::string text = BuildLog(*fs, 2);
  const auto other = *GenerateEd25519KeyPair();
  EXPECT_THAT(VerifyLog(text, "audit.log", other.public_pem).error().message(),
              HasSubstr("line 2: checkpoint names key"));
  text += R"({"kind":"case"})"
          "\n";
  EXPECT_THAT(VerifyLog(text, "audit.log", Key().public_pem).error().message(),
              HasSubstr("line 6: 1 entries from here on are not covered by a signed checkpoint"));
  ASSERT_TRUE(fs->WriteFileAtomically("audit.log", text).ok());
  EXPECT_THAT(AppendToLog(*fs, "audit.log", Key().private_pem, {json{{"kind", "x"}}}).error().message(),
              HasSubstr("refusing to append to the audit log"));

  auto fresh = NewMemoryFileSystem();
  TestClock clock(2000000000);
  ASSERT_TRUE(AppendToLog(*fresh, "a.log", Key().private_pem, {json{{"kind", "x"}}}).has_value());
  clock.now = 1999999999;
  EXPECT_THAT(AppendToLog(*fresh, "a.log", Key().private_pem, {json{{"kind", "x"}}}).error().message(),
              HasSubstr("is behind the last checkpoint"));
}

TEST(AuditLogTest, BackdatedCheckpointIsDetected) {
  auto fs = NewMemoryFileSystem();
  TestClock clock(2000000000);
  ASSERT_TRUE(AppendToLog(*fs, "a.log", Key().private_pem, {json{{"kind", "x"}}}).has_value());
  const std::string first = *fs->ReadFile("a.log");
  auto other = NewMemoryFileSystem();
  ASSERT_TRUE(other->WriteFileAtomically("a.log", "").ok());
  // Build the second append with an earlier clock by hand: same entries, validly signed, earlier timestamp.
  MerkleTree tree;
  auto parsed = *ParseLog(first, "a.log");
  tree.Append(LeafHash(parsed.entries[0]));
  const std::string entry = CanonicalJson(json{{"kind", "y"}});
  tree.Append(LeafHash(entry));
  Checkpoint cp{1, 2, tree.Root(), 1000000000, *KeyId(Key().public_pem), ""};
  cp.signature = *SignEd25519(Key().private_pem, CheckpointMessage(cp));
  const std::string text = first + entry + "\n" + CanonicalJson(CheckpointToJson(cp)) + "\n";
  EXPECT_THAT(VerifyLog(text, "a.log", Key().public_pem).error().message(),
              HasSubstr("line 4: checkpoint timestamp 2001-09-09T01:46:40Z is before the previous"));
}

// A few hundred random mutations of a real log; `verify` must reject every one.
// Two writers appending at once (two governed runs of one agreement) must both land: the lock makes the
// second read the log after the first one's commit instead of rewriting the old copy.
void AppendConcurrently(FileSystem& fs, const std::string& path) {
  constexpr int kWriters = 3, kAppends = 8;
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&fs, &path, w] {
      for (int a = 0; a < kAppends; ++a) {
        auto size = AppendToLog(fs, path, Key().private_pem, {json{{"kind", "run"}, {"writer", w}, {"append", a}}});
        EXPECT_TRUE(size.has_value()) << size.error().message();
      }
    });
  }
  for (std::thread& t : writers) t.join();
  auto summary = VerifyLog(*fs.ReadFile(path), path, Key().public_pem);
  ASSERT_TRUE(summary.has_value()) << summary.error().message();
  EXPECT_EQ(summary->entries, uint64_t{kWriters * kAppends});
  EXPECT_EQ(summary->checkpoints, uint64_t{kWriters * kAppends});
}

TEST(AuditLogTest, ConcurrentAppendsLoseNothingInMemory) {
  auto fs = NewMemoryFileSystem();
  AppendConcurrently(*fs, "audit.log");
}

TEST(AuditLogTest, ConcurrentAppendsLoseNothingOnDisk) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("mg_log_lock_" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(dir);
  AppendConcurrently(*DefaultFileSystem(), (dir / "audit.log").string());
  std::filesystem::remove_all(dir);
}

TEST(AuditLogTest, RandomTamperingIsAlwaysDetected) {
  auto fs = NewMemoryFileSystem();
  const std::string original = BuildLog(*fs, 12);
  auto head = VerifyLog(original, "audit.log", Key().public_pem);
  ASSERT_TRUE(head.has_value());
  VerifyOptions trusted{head->entries, head->root};
  const std::vector<std::string> lines = Lines(original);
  // Checkpoints from elsewhere: one from another log under the same key, one under another key.
  auto fs2 = NewMemoryFileSystem();
  std::vector<json> alien_entries{json{{"kind", "case"}, {"case_id", 999}}};
  ASSERT_TRUE(AppendToLog(*fs2, "x.log", Key().private_pem, alien_entries).has_value());
  const std::string alien_same_key = Lines(*fs2->ReadFile("x.log")).back();
  const auto other_key = *GenerateEd25519KeyPair();
  auto fs3 = NewMemoryFileSystem();
  ASSERT_TRUE(AppendToLog(*fs3, "y.log", other_key.private_pem, alien_entries).has_value());
  const std::string alien_other_key = Lines(*fs3->ReadFile("y.log")).back();
  std::vector<size_t> checkpoint_lines;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].rfind("{\"checkpoint\"", 0) == 0) checkpoint_lines.push_back(i);
  }

  std::mt19937_64 rng(20261129);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  int trials_by_kind[5] = {};
  for (int trial = 0; trial < 400; ++trial) {
    const int kind = trial % 5;
    std::vector<std::string> mutated = lines;
    std::string text;
    switch (kind) {
      case 0: {  // change one byte
        text = original;
        text[pick(text.size())] ^= static_cast<char>(1 + pick(255));
        break;
      }
      case 1:  // delete a line
        mutated.erase(mutated.begin() + static_cast<long>(pick(mutated.size())));
        text = Join(mutated);
        break;
      case 2: {  // swap two different lines
        size_t a = pick(mutated.size()), b = pick(mutated.size());
        while (mutated[a] == mutated[b]) b = pick(mutated.size());
        std::swap(mutated[a], mutated[b]);
        text = Join(mutated);
        break;
      }
      case 3:  // truncate anywhere
        text = original.substr(0, pick(original.size()));
        break;
      case 4: {  // replace a checkpoint with another one
        const size_t at = checkpoint_lines[pick(checkpoint_lines.size())];
        const size_t choice = pick(3);
        if (choice == 0) mutated[at] = alien_same_key;
        if (choice == 1) mutated[at] = alien_other_key;
        if (choice == 2) {
          size_t other = checkpoint_lines[pick(checkpoint_lines.size())];
          while (other == at) other = checkpoint_lines[pick(checkpoint_lines.size())];
          mutated[at] = mutated[other];
        }
        text = Join(mutated);
        break;
      }
    }
    ASSERT_NE(text, original);
    auto result = VerifyLog(text, "audit.log", Key().public_pem, trusted);
    ASSERT_FALSE(result.has_value()) << "mutation kind " << kind << " trial " << trial << " went unnoticed";
    EXPECT_EQ(result.error().code(), StatusCode::kFailedPrecondition) << result.error().message();
    ++trials_by_kind[kind];
  }
  for (int n : trials_by_kind) EXPECT_EQ(n, 80);
}

TEST(AuditLogTest, InclusionProofVerifiesOnItsOwnAndNotWhenAltered) {
  auto fs = NewMemoryFileSystem();
  const std::string text = BuildLog(*fs, 4);
  for (uint64_t index : {0u, 3u, 6u}) {
    auto proof = ProveInclusion(text, "audit.log", index);
    ASSERT_TRUE(proof.has_value()) << proof.error().message();
    auto checked = VerifyInclusionProof(*proof, "p.json", Key().public_pem);
    ASSERT_TRUE(checked.has_value()) << checked.error().message();
    EXPECT_EQ(checked->index, index);
    EXPECT_EQ(checked->tree_size, 7u);
    json altered = json::parse(*proof);
    altered["entry"] = R"({"case_id":1,"kind":"case","transition":"notify"})";
    EXPECT_THAT(VerifyInclusionProof(altered.dump(), "p.json", Key().public_pem).error().message(),
                HasSubstr("not included"));
    altered = json::parse(*proof);
    altered["index"] = index + 1;
    EXPECT_FALSE(VerifyInclusionProof(altered.dump(), "p.json", Key().public_pem).has_value());
  }
  EXPECT_THAT(ProveInclusion(text, "audit.log", 7).error().message(),
              HasSubstr("entry 7 is not in the last checkpoint"));
}

TEST(AccountingTest, ListsOnlyDisclosuresConcerningTheSubject) {
  auto fs = NewMemoryFileSystem();
  Disclosure d{"2026-01-05",      "CMA-1", "SSA", "CMS", "stop improper payments", {"left.id", "match_probability"},
               {"rec-1", "dth-9"}};
  Disclosure e = d;
  e.record_ids = {"rec-2", "dth-8"};
  ASSERT_TRUE(AppendToLog(*fs, "a.log", Key().private_pem, {DisclosureEntry(d), DisclosureEntry(e)}).has_value());
  auto log = *ParseLog(*fs->ReadFile("a.log"), "a.log");
  auto lines = AccountFor(log, "dth-9");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].entry_index, 0u);
  EXPECT_EQ(lines[0].disclosure.recipient, "CMS");
  EXPECT_EQ(lines[0].disclosure.fields, (std::vector<std::string>{"left.id", "match_probability"}));
  EXPECT_TRUE(AccountFor(log, "rec-3").empty());
}

}  // namespace
}  // namespace matchguard
