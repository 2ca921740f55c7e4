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

class RoomNameTest : public ::testing::TestWithParam<NameCase> {};

TEST_P(RoomNameTest, ValidatesLikeTheServer) {
  const NameCase& c = GetParam();
  EXPECT_EQ(isValidRoomName(c.name), c.valid) << c.name;
  std::string problem = roomNameProblem(c.name);
  if (c.valid) {
    EXPECT_EQ(problem, "");
  } else {
    EXPECT_NE(problem.find(c.problem_contains), std::string::npos) << problem;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, RoomNameTest,
    ::testing::Values(NameCase{"lobby", true, ""}, NameCase{"Ann_2-b", true, ""},
                      NameCase{std::string(64, 'a'), true, ""}, NameCase{"", false, "Enter a room"},
                      NameCase{std::string(65, 'a'), false, "too long"}, NameCase{"my room", false, "spaces"},
                      NameCase{"a/b", false, "digits, - and _"}, NameCase{"caf\xc3\xa9", false, "Latin letters (a-z, A-Z)"},
                      NameCase{"..", false, "digits, - and _"}, NameCase{std::string("a\0b", 3), false, "letters"}));

class UserNameTest : public ::testing::TestWithParam<NameCase> {};

TEST_P(UserNameTest, ValidatesLikeTheServer) {
  const NameCase& c = GetParam();
  EXPECT_EQ(isValidUserName(c.name), c.valid) << c.name;
  std::string problem = userNameProblem(c.name);
  if (c.valid) {
    EXPECT_EQ(problem, "");
  } else {
    EXPECT_NE(problem.find(c.problem_contains), std::string::npos) << problem;
  }
}

std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

INSTANTIATE_TEST_SUITE_P(
    Table, UserNameTest,
    ::testing::Values(
        NameCase{"ann", true, ""}, NameCase{"Ann_2-b", true, ""}, NameCase{"Jos\xc3\xa9", true, ""},  // José
        NameCase{"Zo\xc3\xab", true, ""},  // Zoë
        NameCase{"\xc5\x81ukasz", true, ""},  // Łukasz
        NameCase{"Nguy\xe1\xbb\x85n", true, ""},  // Nguyễn
        NameCase{"\xd0\x91\xd0\xbe\xd1\x80\xd0\xb8\xd1\x81", true, ""},  // Борис
        NameCase{"\xce\x9d\xce\xaf\xce\xba\xce\xbf\xcf\x82", true, ""},  // Νίκος
        NameCase{"\xd5\x80\xd5\xa1\xd5\xb5\xd5\xab\xd5\xaf", true, ""},  // Հայիկ
        NameCase{"\xe1\x83\x9c\xe1\x83\x98\xe1\x83\x9c\xe1\x83\x9d", true, ""},  // ნინო
        NameCase{"\xe6\x9d\x8e\xe9\x9b\xb7", true, ""},  // 李雷
        NameCase{"\xe3\x81\x95\xe3\x81\x8f\xe3\x82\x89_\xe3\x83\xa6\xe3\x83\xbc\xe3\x82\xb3", true, ""},  // さくら_ユーコ
        NameCase{"\xe5\xb1\xb1\xe7\x94\xb0\xe3\x81\x95\xe3\x82\x93", true, ""},  // 山田さん
        NameCase{"\xeb\xaf\xbc\xec\xa4\x80", true, ""},  // 민준
        NameCase{"Kim\xeb\xaf\xbc\xec\xa4\x80", true, ""},  // Latin with hangul
        NameCase{"\xf0\xa0\x80\x8b", true, ""},  // U+2000B, Han ext. B
        NameCase{repeat("\xd0\xb6", 64), true, ""},  // 64 ж: 128 bytes
        NameCase{repeat("\xd0\xb6", 65), false, "too long"}, NameCase{"", false, "Enter a name"},
        NameCase{"ann smith", false, "spaces"}, NameCase{"\xe5\xb1\xb1\xe3\x80\x80\xe7\x94\xb0", false, "spaces"},
        NameCase{"a/b", false, "letters, digits, - and _"}, NameCase{"ann!", false, "letters, digits"},
        NameCase{"\xd7\xa9\xd7\xa8\xd7\x94", false, "Latin, Greek, Cyrillic"}, // Hebrew: right to left
        NameCase{"\xd8\xb9\xd9\x84\xd9\x8a", false, "Latin, Greek, Cyrillic"}, // Arabic: needs shaping
        NameCase{"\xe0\xa4\xb0\xe0\xa4\xbe\xe0\xa4\xae", false, "Latin, Greek"},  // Devanagari
        NameCase{"e\xcc\x81", false, "letters, digits"},  // a combining accent
        NameCase{"ann\xf0\x9f\x91\x8d", false, "letters, digits"},  // an emoji
        NameCase{"\xef\xbd\x81nn", false, "letters, digits"},  // fullwidth a
        NameCase{"\xd0\xb0nn", false, "mixes letters"},  // Cyrillic a + Latin nn
        NameCase{"\xce\x91\xd0\xb0", false, "mixes letters"},  // Greek + Cyrillic
        NameCase{"\xd0\xb6\xe6\x9d\x8e", false, "mixes letters"},  // Cyrillic + Han
        NameCase{"ann\xc3", false, "not valid text"},  // truncated
        NameCase{"\xc0\xae", false, "not valid text"},  // overlong "."
        NameCase{"\xed\xa0\x80", false, "not valid text"},  // a surrogate
        NameCase{"\xc7\x80" "an", false, "letters, digits"},  // U+01C0, a click letter that passes for l
        NameCase{std::string("a\0b", 3), false, "letters"}));

TEST(NameSkeletonTest, NamesThatLookAlikeHaveOneSkeleton) {
  const std::string ann = nameSkeleton("ann");
  EXPECT_EQ(nameSkeleton("Ann"), ann);
  EXPECT_EQ(nameSkeleton("ANN"), ann);
  EXPECT_EQ(nameSkeleton("\xd0\xb0nn"), ann);                  // Cyrillic а
  EXPECT_EQ(nameSkeleton("\xd0\x90NN"), ann);                  // Cyrillic А
  EXPECT_EQ(nameSkeleton("\xce\x91\xce\x9d\xce\x9d"), ann);    // Greek ΑΝΝ
  EXPECT_EQ(nameSkeleton("bob"), nameSkeleton("b0b"));
  EXPECT_EQ(nameSkeleton("bob"), nameSkeleton("\xd0\xac\xd0\xbe\xd0\xac"));  // Cyrillic ЬоЬ
  EXPECT_EQ(nameSkeleton("Ian"), nameSkeleton("lan"));
  EXPECT_EQ(nameSkeleton("Ian"), nameSkeleton("1an"));
  EXPECT_EQ(nameSkeleton("Ian"), nameSkeleton("\xd0\x86" "an"));  // Cyrillic І
  EXPECT_EQ(nameSkeleton("modern"), nameSkeleton("rnodern"));
  EXPECT_EQ(nameSkeleton("wes"), nameSkeleton("vves"));
  EXPECT_EQ(nameSkeleton("p\xd0\xb0ss"), nameSkeleton("pass"));
  EXPECT_EQ(nameSkeleton("JOS\xc3\x89"), nameSkeleton("jos\xc3\xa9"));        // É, é
  EXPECT_EQ(nameSkeleton("\xd0\x91\xd0\x9e\xd0\xa0\xd0\x98\xd0\xa1"),        // БОРИС
            nameSkeleton("\xd0\x91\xd0\xbe\xd1\x80\xd0\xb8\xd1\x81"));        // Борис
  EXPECT_EQ(nameSkeleton("\xd4\xb1"), nameSkeleton("\xd5\xa1"));              // Armenian Ա, ա
  // Case is folded before look-alikes are mapped: both cases of a name look like the same thing.
  EXPECT_EQ(nameSkeleton("ian"), nameSkeleton("Ian"));
  EXPECT_EQ(nameSkeleton("IRIS"), nameSkeleton("Iris"));
  EXPECT_EQ(nameSkeleton("\xd0\x9d\xd0\xb8\xd0\xbd\xd0\xb0"),  // Нина
            nameSkeleton("\xd0\xbd\xd0\xb8\xd0\xbd\xd0\xb0"));  // нина
  EXPECT_EQ(nameSkeleton("\xce\x9d\xce\xb9\xce\xba\xce\xbf\xcf\x82"),                  // Νικος
            nameSkeleton("\xce\xbd\xce\xb9\xce\xba\xce\xbf\xcf\x82"));                 // νικος
  EXPECT_EQ(nameSkeleton("\xc8\x98tefan"), nameSkeleton("\xc8\x99tefan"));          // Ș, ș (Latin Extended-B)
  EXPECT_EQ(nameSkeleton("\xe1\xba\xa4n"), nameSkeleton("\xe1\xba\xa5n"));        // Ấ, ấ (Vietnamese)
  // Letters that pass for digits, and letters of the other scripts that pass for Latin ones.
  EXPECT_EQ(nameSkeleton("BOB3"), nameSkeleton("\xd0\x92\xd0\x9e\xd0\x92\xd0\x97"));  // ВОВЗ
  EXPECT_EQ(nameSkeleton("eva"), nameSkeleton("\xd0\xb5\xd1\xb5\xd0\xb0"));      // еѵа
  EXPECT_EQ(nameSkeleton("007"), nameSkeleton("\xd5\x95" "07"));                      // Armenian Օ
  EXPECT_EQ(nameSkeleton("\xe3\x83\xad\xe3\x83\x8b"), nameSkeleton("\xe5\x8f\xa3\xe4\xba\x8c"));  // ロニ, 口二
}

TEST(NameSkeletonTest, DifferentNamesStayApart) {
  EXPECT_NE(nameSkeleton("ann"), nameSkeleton("anna"));
  EXPECT_NE(nameSkeleton("ann"), nameSkeleton("ann_"));
  EXPECT_NE(nameSkeleton("ann-1"), nameSkeleton("ann_1"));
  EXPECT_NE(nameSkeleton("jose"), nameSkeleton("jos\xc3\xa9"));                // an accent is a difference
  EXPECT_NE(nameSkeleton("\xe6\x9d\x8e\xe9\x9b\xb7"), nameSkeleton("\xe6\x9d\x8e"));
  EXPECT_NE(nameSkeleton("\xd0\x91\xd0\xbe\xd1\x80\xd0\xb8\xd1\x81"), nameSkeleton("\xd0\x91\xd0\xbe\xd1\x80\xd1\x8f"));
}

}  // namespace
}  // namespace imroom::core
