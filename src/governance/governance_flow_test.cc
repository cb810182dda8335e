// The governance layer end to end, in memory except for the SQLite case store: authorisation refusals, a
// recorded run, the case workflow with its audit entries, accounting, purge and the oversight figures.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "src/audit/accounting.h"
#include "src/audit/crypto.h"
#include "src/audit/log.h"
#include "src/governance/case_service.h"
#include "src/governance/enforcement.h"
#include "src/governance/oversight.h"
#include "src/governance/retention.h"
#include "src/io/csv.h"

namespace matchguard {
namespace {

using ::testing::HasSubstr;

const Date kToday = Date::FromCivil(2026, 11, 29);

// Inputs holding the kind of raw identifiers that must never reach the audit log.
constexpr char kLeftCsv[] =
    "record_id,first_name,last_name,dob,sex,ssn,street,city,zip,mbi\n"
    "L-100,Margarethe,Quenneville,1941-03-17,F,123-45-6789,12 Juniper Ln,Springfield,62704,1EG4TE5MK73\n"
    "L-101,Bartholomew,Okonkwo,1938-11-02,M,987-65-4321,400 Birch Ave,Shelbyville,62565,2FH5UF6NL84\n";
constexpr char kRightCsv[] =
    "person_id,given_name,surname,birth_date,gender,social_security_number,address,town,postal_code\n"
    "D-900,Margarethe,Quenneville,1941-03-17,F,123456789,12 Juniper Lane,Springfield,62704\n"
    "D-901,Bartholomew,Okonkwo,1938-11-02,M,987654321,400 Birch Avenue,Shelbyville,62565\n";

class GovernanceFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs_ = NewMemoryFileSystem();
    store_ = ::testing::TempDir() + "/cases-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".sqlite";
    std::remove(store_.c_str());
    ASSERT_TRUE(fs_->WriteFileAtomically("gov/A.toml", DemoAgreementToml(kToday)).ok());
    auto keys = *GenerateEd25519KeyPair();
    ASSERT_TRUE(fs_->WriteFileAtomically("gov/keys/audit_ed25519.pem", keys.private_pem).ok());
    ASSERT_TRUE(fs_->WriteFileAtomically("gov/keys/audit_ed25519.pub.pem", keys.public_pem).ok());
    ASSERT_TRUE(fs_->WriteFileAtomically("left.csv", kLeftCsv).ok());
    ASSERT_TRUE(fs_->WriteFileAtomically("right.csv", kRightCsv).ok());
    ASSERT_TRUE(fs_->WriteFileAtomically("gov/out.csv", "left.id,right.id,match_probability,left.mbi\n").ok());
    agreement_ = *LoadAgreement(*fs_, "gov/A.toml");
  }
  void TearDown() override { std::remove(store_.c_str()); }

  GovernedRunRequest Request() const {
    GovernedRunRequest r;
    r.agreement_path = "gov/A.toml";
    r.match_fields = {"first_name", "last_name", "dob", "ssn"};
    r.disclosed_fields = {"left.id", "right.id", "match_probability", "left.mbi"};
    r.left_records = 2;
    r.right_records = 2;
    r.input_paths = {"left.csv", "right.csv"};
    r.model_description = "fellegi-sunter, 4 comparisons";
    r.threshold = 0.9;
    r.estimated_false_match_rate = 0.002;
    r.today = kToday;
    r.case_store_path = store_;
    return r;
  }

  std::string Log() { return *fs_->ReadFile("gov/audit.log"); }
  ParsedLog Parsed() { return *ParseLog(Log(), "audit.log"); }
  Status Verify() { return VerifyLog(Log(), "audit.log", *fs_->ReadFile("gov/keys/audit_ed25519.pub.pem")).status(); }

  Status RecordDemoRun() {
    const std::vector<MatchHit> hits{{"L-100", "D-900", 0.998}, {"L-101", "D-901", 0.97}};
    return RecordRun(*fs_, agreement_, Request(), hits, "gov/out.csv");
  }

  Result<Case> Apply(int64_t id, TransitionKind kind, Date date, const std::string& detail = "") {
    Transition t;
    t.kind = kind;
    t.date = date;
    t.actor = "staff-12";
    if (kind == TransitionKind::kVerify) {
      t.source = "state death certificate";
      t.result = detail.empty() ? "confirmed" : detail;
    }
    if (kind == TransitionKind::kNotify) t.channel = "mail";
    if (kind == TransitionKind::kResolve) t.outcome = detail.empty() ? "upheld" : detail;
    return ApplyTransition(*fs_, agreement_, store_, id, t, date);
  }

  std::unique_ptr<FileSystem> fs_;
  std::string store_;
  Agreement agreement_;
};

TEST_F(GovernanceFlowTest, RefusesRunsOutsideTheAgreement) {
  auto refused = [&](GovernedRunRequest r) {
    auto a = AuthorizeRun(*fs_, r);
    EXPECT_FALSE(a.has_value());
    if (a.has_value()) return std::string();
    EXPECT_EQ(a.error().code(), StatusCode::kPermissionDenied);
    return a.error().message();
  };
  ASSERT_TRUE(AuthorizeRun(*fs_, Request()).has_value());
  GovernedRunRequest r = Request();
  r.today = kToday.AddDays(-1);
  EXPECT_THAT(refused(r), HasSubstr("not in force on 2026-11-28: it takes effect on 2026-11-29"));
  r.today = Date::FromCivil(2028, 5, 30);
  EXPECT_THAT(refused(r), HasSubstr("not in force on 2028-05-30: it expired after 2028-05-29"));
  r = Request();
  r.match_fields.push_back("phone");
  EXPECT_THAT(refused(r), HasSubstr("does not authorise phone for matching"));
  r = Request();
  r.disclosed_fields.push_back("left.ssn");
  EXPECT_THAT(refused(r), HasSubstr("does not authorise left.ssn for disclosure for purpose improper-payments"));
  r = Request();
  ASSERT_DOUBLE_EQ(agreement_.max_volume_factor, 1.5);
  const uint64_t limit = agreement_.left_records * 3 / 2;
  r.left_records = limit + 1;
  EXPECT_THAT(refused(r), HasSubstr("the left input has " + std::to_string(limit + 1) + " records, more than the " +
                                    std::to_string(limit) + " allowed"));
  r = Request();
  r.right_records = agreement_.right_records * 3 / 2;
  EXPECT_TRUE(AuthorizeRun(*fs_, r).has_value());
  r.purpose = "marketing";
  EXPECT_THAT(refused(r), HasSubstr("has no purpose 'marketing'"));
  ASSERT_TRUE(fs_->Remove("gov/keys/audit_ed25519.pem").ok());
  Status no_key = RecordDemoRun();
  EXPECT_EQ(no_key.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(no_key.message(), HasSubstr("matchguard audit keygen"));
  EXPECT_FALSE(fs_->Exists("gov/audit.log"));
}

TEST_F(GovernanceFlowTest, RecordedRunWritesRunDisclosureAndRawCasesAndNoRawIdentifiers) {
  ASSERT_TRUE(RecordDemoRun().ok());
  ASSERT_TRUE(Verify().ok()) << Verify().message();
  ParsedLog log = Parsed();
  ASSERT_EQ(log.entries.size(), 4u);  // run, disclosure, two cases
  const auto& run = log.entry_json[0];
  EXPECT_EQ(run["kind"], "run");
  EXPECT_EQ(run["hit_status"], "unverified");
  EXPECT_EQ(run["inputs"][0]["sha256"], ToHex(Sha256(kLeftCsv)));
  EXPECT_EQ(run["inputs"][1]["file"], "right.csv");
  EXPECT_EQ(run["hits"], 2);
  EXPECT_EQ(log.entry_json[1]["kind"], "disclosure");
  EXPECT_EQ(log.entry_json[2]["state"], "raw");
  auto accounting = AccountFor(log, "D-901");
  ASSERT_EQ(accounting.size(), 1u);
  EXPECT_EQ(accounting[0].disclosure.recipient, agreement_.recipient_agency);

  // No name, SSN, date of birth or address of the inputs appears anywhere in the log.
  const std::string text = Log();
  for (const char* csv : {kLeftCsv, kRightCsv}) {
    auto table = *ParseCsvTable(csv, "input.csv");
    for (size_t col = 1; col < table.num_columns(); ++col) {  // column 0 holds the ids, which are allowed
      for (size_t row = 0; row < table.num_rows(); ++row) {
        const std::string value(table.Get(col, row));
        if (value.size() < 3) continue;  // "F", "M"
        EXPECT_EQ(text.find(value), std::string::npos) << table.column_names()[col] << " value leaked";
      }
    }
  }
}

TEST_F(GovernanceFlowTest, EveryLegalTransitionIsAuditedAndIllegalOnesChangeNothing) {
  ASSERT_TRUE(RecordDemoRun().ok());
  auto store = *OpenCaseStore(*fs_, agreement_, store_);
  ASSERT_EQ(*store->CaseIds(), (std::vector<int64_t>{1, 2}));
  const Date d = kToday;
  uint64_t entries = Parsed().entries.size();
  auto expect_audited = [&](const Result<Case>& c, const char* transition) {
    ASSERT_TRUE(c.has_value()) << c.error().message();
    ParsedLog log = Parsed();
    ASSERT_EQ(log.entries.size(), ++entries);
    EXPECT_EQ(log.entry_json.back()["transition"], transition);
    EXPECT_EQ(log.entry_json.back()["case_id"], c->id);
    EXPECT_EQ(log.entry_json.back()["state"], std::string(CaseStateName(c->State())));
  };
  auto expect_refused = [&](const Result<Case>& c) {
    ASSERT_FALSE(c.has_value());
    EXPECT_EQ(Parsed().entries.size(), entries);
  };
  expect_refused(Apply(1, TransitionKind::kNotify, d));
  expect_audited(Apply(1, TransitionKind::kVerify, d), "verify");
  expect_refused(Apply(1, TransitionKind::kVerify, d));
  expect_audited(Apply(1, TransitionKind::kNotify, d.AddDays(1)), "notify");
  expect_audited(Apply(1, TransitionKind::kContest, d.AddDays(10)), "contest");
  expect_refused(Apply(1, TransitionKind::kContest, d.AddDays(11)));
  expect_audited(Apply(1, TransitionKind::kResolve, d.AddDays(20), "upheld"), "resolve");
  expect_refused(Apply(1, TransitionKind::kResolve, d.AddDays(21)));
  expect_audited(Apply(2, TransitionKind::kVerify, d, "not_confirmed"), "verify");
  expect_audited(Apply(2, TransitionKind::kResolve, d, "closed"), "resolve");
  expect_refused(Apply(3, TransitionKind::kVerify, d));
  ASSERT_TRUE(Verify().ok());
  Case one = *store->Get(1);
  EXPECT_EQ(one.State(), CaseState::kResolved);
  EXPECT_EQ(one.history.size(), 5u);
  EXPECT_TRUE(DecideAdverseAction(one, agreement_.notice_period_days, d.AddDays(31)).allowed);
  EXPECT_FALSE(DecideAdverseAction(one, agreement_.notice_period_days, d.AddDays(30)).allowed);
}

TEST_F(GovernanceFlowTest, HistoryIsAppendOnlyEvenThroughSql) {
  ASSERT_TRUE(RecordDemoRun().ok());
  auto store = *OpenCaseStore(*fs_, agreement_, store_);
  for (const char* sql : {"UPDATE transitions SET date = '2000-01-01'", "DELETE FROM transitions WHERE case_id = 1",
                          "UPDATE cases SET left_id = 'X'", "DELETE FROM cases WHERE id = 2"}) {
    Status s = store->ExecForTest(sql);
    EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << sql;
    EXPECT_THAT(s.message(), HasSubstr("append-only")) << sql;
  }
  EXPECT_EQ(store->Get(1)->history.size(), 1u);
  ASSERT_TRUE(store->Purge(2, kToday, "retention").ok());
  EXPECT_EQ(store->Get(2).error().code(), StatusCode::kNotFound);
  EXPECT_THAT(store->ExecForTest("DELETE FROM purges").message(), HasSubstr("append-only"));
}

TEST_F(GovernanceFlowTest, PurgeDestroysExpiredOutputsAndCasesWithDestructionEntries) {
  ASSERT_TRUE(RecordDemoRun().ok());
  ASSERT_TRUE(Apply(1, TransitionKind::kVerify, kToday.AddDays(200)).has_value());
  const Date later = kToday.AddDays(366);
  // A different file under the recorded name is not the run's output and is left alone.
  ASSERT_TRUE(fs_->WriteFileAtomically("gov/out.csv", "someone else's file\n").ok());
  EXPECT_TRUE(PurgeExpired(*fs_, agreement_, store_, later, /*dry_run=*/true)->outputs.empty());
  ASSERT_TRUE(fs_->WriteFileAtomically("gov/out.csv", "left.id,right.id,match_probability,left.mbi\n").ok());
  auto dry = PurgeExpired(*fs_, agreement_, store_, later, /*dry_run=*/true);
  ASSERT_TRUE(dry.has_value()) << dry.error().message();
  EXPECT_EQ(dry->cases, (std::vector<int64_t>{2}));
  EXPECT_TRUE(fs_->Exists("gov/out.csv"));
  const size_t before = Parsed().entries.size();
  auto purged = PurgeExpired(*fs_, agreement_, store_, later, /*dry_run=*/false);
  ASSERT_TRUE(purged.has_value()) << purged.error().message();
  EXPECT_EQ(purged->outputs, (std::vector<std::string>{"gov/out.csv"}));
  EXPECT_EQ(purged->cases, (std::vector<int64_t>{2}));  // case 1 was active 166 days before
  EXPECT_FALSE(fs_->Exists("gov/out.csv"));
  ParsedLog log = Parsed();
  ASSERT_EQ(log.entries.size(), before + 2);
  EXPECT_EQ(log.entry_json[before]["what"], "match_output");
  EXPECT_EQ(log.entry_json[before + 1]["what"], "case");
  EXPECT_EQ(log.entry_json[before + 1]["case_id"], 2);
  EXPECT_TRUE(Verify().ok());
  auto again = PurgeExpired(*fs_, agreement_, store_, later, false);
  EXPECT_TRUE(again->cases.empty() && again->outputs.empty());
}

TEST_F(GovernanceFlowTest, OversightCountsWhatHappened) {
  ASSERT_TRUE(RecordDemoRun().ok());
  ASSERT_TRUE(Apply(1, TransitionKind::kVerify, kToday).has_value());
  ASSERT_TRUE(Apply(1, TransitionKind::kNotify, kToday).has_value());
  ASSERT_TRUE(Apply(2, TransitionKind::kVerify, kToday).has_value());
  ASSERT_TRUE(Apply(2, TransitionKind::kNotify, kToday).has_value());
  ASSERT_TRUE(Apply(2, TransitionKind::kContest, kToday.AddDays(3)).has_value());
  ASSERT_TRUE(Apply(2, TransitionKind::kResolve, kToday.AddDays(4), "reversed").has_value());
  auto f = BuildOversight(*fs_, agreement_, store_, kToday, kToday.AddDays(40));
  ASSERT_TRUE(f.has_value()) << f.error().message();
  EXPECT_EQ(f->runs, 1u);
  EXPECT_EQ(f->records_matched, 4u);
  EXPECT_EQ(f->raw_hits, 2u);
  EXPECT_EQ(f->verified_confirmed, 2u);
  EXPECT_EQ(f->notices, 2u);
  EXPECT_EQ(f->contests, 1u);
  EXPECT_EQ(f->reversals, 1u);
  EXPECT_EQ(f->adverse_actions_allowed, 1u);
  ASSERT_EQ(f->run_list.size(), 1u);
  EXPECT_EQ(*f->run_list[0].estimated_false_match_rate, 0.002);
  EXPECT_THAT(OversightText(*f), HasSubstr("estimated false-match rate 0.002"));
  EXPECT_THAT(OversightJson(*f), HasSubstr("\"reversals\": 1"));
  auto early = BuildOversight(*fs_, agreement_, store_, kToday, kToday.AddDays(2));
  EXPECT_EQ(early->contests, 0u);
  EXPECT_EQ(early->adverse_actions_allowed, 0u);  // notice period not over on day 2
}

TEST_F(GovernanceFlowTest, ImportReadsHitsAndNamesBadLines) {
  ASSERT_TRUE(fs_->WriteFileAtomically("hits.csv", "left_id,right_id,probability\nL-1,D-1,0.95\nL-2,D-2,0.91\n").ok());
  auto imported = ImportHitsFile(*fs_, agreement_, "hits.csv", "", kToday, store_);
  ASSERT_TRUE(imported.has_value()) << imported.error().message();
  EXPECT_EQ(imported->cases_opened, 2u);
  EXPECT_EQ(Parsed().entry_json[0]["kind"], "import");
  ASSERT_TRUE(fs_->WriteFileAtomically("bad.csv", "left_id,right_id,probability\nL-3,D-3,1.5\n").ok());
  EXPECT_THAT(ImportHitsFile(*fs_, agreement_, "bad.csv", "", kToday, store_).error().message(),
              HasSubstr("bad.csv: line 2: column 3 (probability): expected a number from 0 to 1"));
  ASSERT_TRUE(fs_->WriteFileAtomically("wide.csv", "left_id,right_id,probability,ssn\nL-3,D-3,0.9,123\n").ok());
  EXPECT_THAT(ImportHitsFile(*fs_, agreement_, "wide.csv", "", kToday, store_).error().message(),
              HasSubstr("ids and scores only"));
  EXPECT_EQ((*OpenCaseStore(*fs_, agreement_, store_))->CaseIds()->size(), 2u);
}

// The store the sqlite3 shell can reach, without the reconciliation OpenCaseStore performs.
std::unique_ptr<CaseStore> RawStore(const std::string& path) { return std::move(*CaseStore::Open(path)); }

// Forged steps inserted with SQL (the triggers guard UPDATE and DELETE only) would make action-allowed say
// yes with no audit entry; the reconciliation refuses the store, naming the case and the step.
TEST_F(GovernanceFlowTest, StepsInsertedOutsideMatchguardAreRefused) {
  ASSERT_TRUE(RecordDemoRun().ok());
  auto raw = RawStore(store_);
  ASSERT_TRUE(raw->ExecForTest("INSERT INTO transitions(case_id, kind, date, actor, source, result, channel, outcome) "
                               "VALUES(1, 'verify', '2026-11-29', 'x', 'forged', 'confirmed', '', '')")
                  .ok());
  raw.reset();
  auto store = OpenCaseStore(*fs_, agreement_, store_);
  ASSERT_FALSE(store.has_value());
  EXPECT_THAT(store.error().message(),
              HasSubstr("case 1: it has a verify on 2026-11-29 step that the log does not record"));
  EXPECT_THAT(Apply(1, TransitionKind::kNotify, kToday).error().message(), HasSubstr("does not match the audit log"));
}

// A fake purge record lets the DELETE triggers pass; the log has no destruction entry for it.
TEST_F(GovernanceFlowTest, AFakePurgeIsRefused) {
  ASSERT_TRUE(RecordDemoRun().ok());
  auto raw = RawStore(store_);
  ASSERT_TRUE(raw->ExecForTest("INSERT INTO purges(case_id, date, reason) VALUES(2, '2026-11-29', 'fake');"
                               "DELETE FROM transitions WHERE case_id = 2; DELETE FROM cases WHERE id = 2")
                  .ok());
  raw.reset();
  EXPECT_THAT(OpenCaseStore(*fs_, agreement_, store_).error().message(),
              HasSubstr("case 2: the store records a purge that the log has no destruction entry for"));
}

// With the trigger dropped a case can be rewritten; the rewrite no longer matches the log.
TEST_F(GovernanceFlowTest, ARewriteAfterADroppedTriggerIsRefused) {
  ASSERT_TRUE(RecordDemoRun().ok());
  auto raw = RawStore(store_);
  ASSERT_TRUE(raw->ExecForTest("DROP TRIGGER cases_append_only; UPDATE cases SET left_id = 'L-999' WHERE id = 1").ok());
  raw.reset();
  EXPECT_THAT(OpenCaseStore(*fs_, agreement_, store_).error().message(),
              HasSubstr("case 1: its agreement, ids or probability differ from the case the log opened"));
}

// A replaced (here: fresh, empty) store lacks the cases the log opened.
TEST_F(GovernanceFlowTest, AReplacedStoreIsRefused) {
  ASSERT_TRUE(RecordDemoRun().ok());
  ASSERT_EQ(std::remove(store_.c_str()), 0);
  EXPECT_THAT(OpenCaseStore(*fs_, agreement_, store_).error().message(),
              HasSubstr("case 1: the log opened it and never destroyed it, but the store lacks it"));
}

// Running the same hits again opens no second case on the same pair, in the store or the log.
TEST_F(GovernanceFlowTest, ARepeatedRunOpensNoDuplicateCases) {
  ASSERT_TRUE(RecordDemoRun().ok());
  ASSERT_TRUE(RecordDemoRun().ok());
  EXPECT_EQ((*OpenCaseStore(*fs_, agreement_, store_))->CaseIds()->size(), 2u);
  size_t opened = 0;
  for (const auto& e : Parsed().entry_json) opened += e.value("transition", "") == "open" ? 1 : 0;
  EXPECT_EQ(opened, 2u);
}

// The run entry names the agreement file's version, so an edited agreement is visible in the log.
TEST_F(GovernanceFlowTest, TheRunEntryHoldsTheAgreementsHash) {
  ASSERT_TRUE(RecordDemoRun().ok());
  const std::string text = *fs_->ReadFile("gov/A.toml");
  EXPECT_EQ(Parsed().entry_json[0]["agreement_sha256"], ToHex(Sha256(text)));
}

// Storage paths stay in the agreement's folder: a store or log in a scratch folder could vanish with it.
TEST_F(GovernanceFlowTest, StoragePathsOutsideTheAgreementFolderAreRefused) {
  std::string text = DemoAgreementToml(kToday);
  const std::string from = "case_store = \"cases.sqlite\"";
  text.replace(text.find(from), from.size(), "case_store = \"../scratch/cases.sqlite\"");
  auto parsed = ParseAgreement(text, "gov/A.toml");
  ASSERT_FALSE(parsed.has_value());
  EXPECT_THAT(parsed.error().message(),
              HasSubstr("storage.case_store '../scratch/cases.sqlite' must be a path inside the agreement's folder"));
}

}  // namespace
}  // namespace matchguard
