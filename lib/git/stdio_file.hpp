// A FILE* closed on scope exit, for the files the git layer streams
// (bundles, patches, packs).
#pragma once

#include <cstdio>
#include <memory>

namespace ws::git {

struct FileCloser {
  void operator()(FILE* f) const noexcept { std::fclose(f); }
};
using FilePtr = std::unique_ptr<FILE, FileCloser>;

}  // namespace ws::git
