#include "git/patch_sections.hpp"

#include "git/patch_text.hpp"

namespace ws::git {

namespace {

constexpr std::string_view kDiffGit = "diff --git ";

// The "b/..." name of a "diff --git a/X b/Y" line, quoted or not; for an
// unquoted pair with spaces the two names are taken to be equal, as git
// writes them unless the file was renamed (then "rename to" names it too).
std::string new_path(std::string_view rest) {
  if (!rest.empty() && rest.back() == '\n') rest.remove_suffix(1);
  std::string_view b;
  if (!rest.empty() && rest.back() == '"') {
    const size_t open = rest.rfind(" \"");
    b = open == std::string_view::npos ? rest : rest.substr(open + 1);
  } else if (rest.size() >= 5 && (rest.size() - 5) % 2 == 0 && rest.substr(0, 2) == "a/") {
    b = rest.substr((rest.size() - 5) / 2 + 3);
  } else {
    const size_t sp = rest.rfind(" b/");
    b = sp == std::string_view::npos ? rest : rest.substr(sp + 1);
  }
  std::string path = unquote_path(b);
  if (path.rfind("b/", 0) == 0) path.erase(0, 2);
  return path;
}

}  // namespace

std::vector<PatchSection> split_patch(std::string_view patch) {
  std::vector<PatchSection> sections;
  size_t pos = 0;
  while (pos < patch.size()) {
    size_t nl = patch.find('\n', pos);
    nl = nl == std::string_view::npos ? patch.size() : nl + 1;
    const std::string_view line = patch.substr(pos, nl - pos);
    if (line.substr(0, kDiffGit.size()) == kDiffGit) {
      sections.push_back({new_path(line.substr(kDiffGit.size())), patch.substr(pos, 0)});
    }
    if (!sections.empty()) {
      auto& text = sections.back().text;
      text = std::string_view(text.data(), text.size() + line.size());
    }
    pos = nl;
  }
  return sections;
}

}  // namespace ws::git
