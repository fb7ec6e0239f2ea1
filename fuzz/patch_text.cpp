// The patch text of a stored uncommitted.patch / staged.patch, before
// libgit2 reads it: any bytes are normalised without reading outside them,
// normalising twice changes nothing more, and a path git would quote comes
// back unchanged from its quoted form.
#include "fuzz_check.hpp"
#include "git/patch_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ws::git;
  const auto text = ws::fuzz::text_of(data, size);
  // Stands in for the modes of the bundle's files: some plain, some executable.
  const ModeLookup mode_of = [](const std::string& path) -> std::optional<unsigned> {
    if (path.empty()) return std::nullopt;
    return path.size() % 2 == 0 ? 0100644u : 0100755u;
  };
  const std::string once = normalize_git_patch(text, mode_of);
  (void)normalize_git_patch(text);
  (void)unquote_path(text);
  FUZZ_CHECK(unquote_path(quote_path_if_needed(text)) == text);
  FUZZ_CHECK(normalize_git_patch(once, mode_of) == once);
  return 0;
}
