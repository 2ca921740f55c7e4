// A scratch folder unique to this test process: ctest runs test cases in parallel processes.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

namespace imroom::server {

inline std::filesystem::path testTmp(const std::string& name) {
  return std::filesystem::path(IMROOM_TEST_TMP) / (std::to_string(::getpid()) + "-" + name);
}

}  // namespace imroom::server
