// Text placed so that the byte after it is unreadable (a PROT_NONE page):
// a parser that reads one byte past its input crashes in every build, not
// only under ASan. For regression cases of out-of-bounds reads found by
// the fuzzers (fuzz/).
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <string_view>

namespace wstest {

class GuardedText {
 public:
  explicit GuardedText(std::string_view text) {
    const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
    span_ = (text.size() / page + 2) * page;
    void* base = ::mmap(nullptr, span_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) throw std::runtime_error("GuardedText: mmap failed");
    base_ = static_cast<char*>(base);
    char* guard = base_ + span_ - page;
    if (::mprotect(guard, page, PROT_NONE) != 0) throw std::runtime_error("GuardedText: mprotect failed");
    std::memcpy(guard - text.size(), text.data(), text.size());
    view_ = std::string_view(guard - text.size(), text.size());
  }
  ~GuardedText() { ::munmap(base_, span_); }
  GuardedText(const GuardedText&) = delete;
  GuardedText& operator=(const GuardedText&) = delete;

  std::string_view view() const { return view_; }

 private:
  char* base_ = nullptr;
  size_t span_ = 0;
  std::string_view view_;
};

}  // namespace wstest
