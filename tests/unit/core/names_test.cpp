#include "names.hpp"

#include <gtest/gtest.h>

namespace imroom::core {
namespace {

struct NameCase {
  std::string name;
  bool valid;
  std::string problem_contains;
  friend void PrintTo(const NameCase& c, std::ostream* os) { *os << '"' << c.name.substr(0, 20) << '"'; }
};

class NameTest : public ::testing::TestWithParam<NameCase> {};

TEST_P(NameTest, ValidatesLikeTheServer) {
  const NameCase& c = GetParam();
  EXPECT_EQ(isValidName(c.name), c.valid) << c.name;
  std::string problem = nameProblem(c.name, "room");
  if (c.valid) {
    EXPECT_EQ(problem, "");
  } else {
    EXPECT_NE(problem.find(c.problem_contains), std::string::npos) << problem;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, NameTest,
    ::testing::Values(NameCase{"lobby", true, ""}, NameCase{"Ann_2-b", true, ""},
                      NameCase{std::string(64, 'a'), true, ""}, NameCase{"", false, "Enter a room"},
                      NameCase{std::string(65, 'a'), false, "too long"}, NameCase{"my room", false, "spaces"},
                      NameCase{"a/b", false, "digits, - and _"}, NameCase{"caf\xc3\xa9", false, "Latin letters (a-z, A-Z)"},
                      NameCase{"..", false, "digits, - and _"}, NameCase{std::string("a\0b", 3), false, "letters"}));

}  // namespace
}  // namespace imroom::core
