#include "src/governance/agreement.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace matchguard {
namespace {

using ::testing::HasSubstr;

const Date kToday = Date::FromCivil(2026, 11, 29);

std::string Demo() { return DemoAgreementToml(kToday); }

// The demo text with `from` replaced by `to` (which must occur).
std::string Edited(const std::string& from, const std::string& to) {
  std::string text = Demo();
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

std::string ErrorOf(const std::string& text) {
  auto a = ParseAgreement(text, "dir/A.toml");
  EXPECT_FALSE(a.has_value());
  return a.has_value() ? "" : a.error().message();
}

TEST(AgreementTest, DemoAgreementIsCompleteAndInForceFromTodayFor18Months) {
  auto a = ParseAgreement(Demo(), "dir/A.toml");
  ASSERT_TRUE(a.has_value()) << a.error().message();
  EXPECT_EQ(a->id, "CMA-DEMO-001");
  EXPECT_EQ(a->effective, kToday);
  EXPECT_EQ(a->expiry.ToString(), "2028-05-29");
  EXPECT_EQ(PhaseOn(*a, kToday), AgreementPhase::kInForce);
  EXPECT_EQ(a->match_fields,
            (std::vector<std::string>{"first_name", "last_name", "dob", "sex", "ssn", "street", "city", "zip"}));
  ASSERT_EQ(a->purposes.size(), 1u);
  EXPECT_EQ(a->purposes[0].disclose,
            (std::vector<std::string>{"left.id", "right.id", "match_probability", "left.mbi"}));
  EXPECT_EQ(a->notice_period_days, 30);
  EXPECT_EQ(a->retention_days, 365);
  EXPECT_DOUBLE_EQ(a->max_volume_factor, 1.5);
  // Paths are relative to the agreement's folder.
  EXPECT_EQ(a->case_store_path, "dir/cases.sqlite");
  EXPECT_EQ(a->audit_log_path, "dir/audit.log");
  EXPECT_EQ(a->audit_key_path, "dir/keys/audit_ed25519.pem");
}

TEST(AgreementTest, PhasesFollowTheDates) {
  auto a = *ParseAgreement(Demo(), "A.toml");
  EXPECT_EQ(PhaseOn(a, kToday.AddDays(-1)), AgreementPhase::kNotYetEffective);
  EXPECT_THAT(DescribePhase(a, kToday.AddDays(-1)), HasSubstr("it takes effect on 2026-11-29"));
  EXPECT_EQ(PhaseOn(a, a.expiry), AgreementPhase::kInForce);
  EXPECT_EQ(PhaseOn(a, a.expiry.AddDays(1)), AgreementPhase::kExpired);
  EXPECT_THAT(DescribePhase(a, a.expiry.AddDays(1)), HasSubstr("it expired after 2028-05-29"));
}

TEST(AgreementTest, OneRenewalOfAtMostTwelveMonthsExtendsTheAgreement) {
  const std::string renewal = "[[renewals]]\napproved = 2028-05-01\nnew_expiry = 2029-05-29\nreference = \"DIB-R1\"\n";
  auto a = ParseAgreement(Edited("[dates]", renewal + "[dates]"), "A.toml");
  ASSERT_TRUE(a.has_value()) << a.error().message();
  EXPECT_EQ(a->EndDate().ToString(), "2029-05-29");
  EXPECT_EQ(PhaseOn(*a, Date::FromCivil(2029, 1, 1)), AgreementPhase::kInForce);

  EXPECT_THAT(ErrorOf(Edited("[dates]",
                             "[[renewals]]\napproved = 2028-05-01\nnew_expiry = 2029-06-30\n"
                             "reference = \"R\"\n[dates]")),
              HasSubstr("renewals.new_expiry 2029-06-30 must fall after 2028-05-29 and by 2029-05-29"));
  EXPECT_THAT(ErrorOf(Edited("[dates]", renewal + "\n[[renewals]]\napproved = 2028-05-02\nnew_expiry = 2029-01-01\n"
                                                  "reference = \"R2\"\n[dates]")),
              HasSubstr("renewed only once"));
  EXPECT_THAT(ErrorOf(Edited("[dates]",
                             "[[renewals]]\napproved = 2028-06-01\nnew_expiry = 2029-01-01\n"
                             "reference = \"R\"\n[dates]")),
              HasSubstr("an expired agreement cannot be renewed"));
}

TEST(AgreementTest, ErrorsNameTheFileLineAndKey) {
  EXPECT_THAT(ErrorOf(Edited("[retention]\ndays = 365", "[retention]\ndays = 365\nweeks = 3")),
              HasSubstr("unknown key retention.weeks (expected one of days)"));
  EXPECT_THAT(ErrorOf(Edited("retention]\ndays = 365", "retention]\n")), HasSubstr("missing retention.days"));
  EXPECT_THAT(ErrorOf(Edited("days = 365", "days = 0")), HasSubstr("retention.days must be a whole number from 1"));
  const std::string bad_date = ErrorOf(Edited("expiry = 2028-05-29", "expiry = \"2028-05-29\""));
  EXPECT_THAT(bad_date, HasSubstr("dir/A.toml:"));
  EXPECT_THAT(bad_date, HasSubstr("dates.expiry must be a TOML date"));
  EXPECT_THAT(ErrorOf(Edited("expiry = 2028-05-29", "expiry = 2028-05-30")),
              HasSubstr("dates.expiry 2028-05-30 must fall between the effective date 2026-11-29"));
  EXPECT_THAT(ErrorOf(Edited("\"ssn\", ", "\"social\", ")), HasSubstr("matching.fields: 'social' is not a field"));
  EXPECT_THAT(ErrorOf(Edited("\"left.mbi\"", "\"left.middle\"")),
              HasSubstr("'left.middle' is not a disclosable column"));
  EXPECT_THAT(ErrorOf(Edited("\"first_name\", \"last_name\"", "\"first_name\", \"first_name\"")),
              HasSubstr("lists 'first_name' twice"));
  EXPECT_THAT(ErrorOf(Edited("format = \"matchguard-agreement/v1\"", "format = \"v0\"")),
              HasSubstr("format must be \"matchguard-agreement/v1\""));
  EXPECT_THAT(ErrorOf("id = \n"), HasSubstr("dir/A.toml:1:"));
}

TEST(AgreementTest, UnknownKeyErrorGivesItsLine) {
  std::string text = Demo();
  const size_t line = static_cast<size_t>(std::count(text.begin(), text.begin() + text.find("[retention]"), '\n')) + 1;
  text.insert(text.find("[retention]\n") + 12, "weeks = 3\n");
  EXPECT_THAT(ErrorOf(text), HasSubstr("dir/A.toml:" + std::to_string(line + 1) + ": unknown key retention.weeks"));
}

}  // namespace
}  // namespace matchguard
