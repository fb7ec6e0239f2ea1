// REPOS_JSON and the CP's "Repos": any text is parsed or refused with an
// error. Accepted repos each get a directory name that stays inside repos/,
// and their canonical JSON parses back to the same repos.
#include "fuzz_check.hpp"
#include "config/repo_spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ws::config;
  const auto text = ws::fuzz::text_of(data, size);
  if (auto name = repo_name_from_url(text)) FUZZ_CHECK(ws::fuzz::is_entry_name(*name));

  auto repos = parse_repos_json(text);
  if (!repos) return 0;
  for (const auto& r : *repos) FUZZ_CHECK(ws::fuzz::is_entry_name(r.name));
  auto again = parse_repos_json(repos_to_json(*repos, /*with_names=*/true));
  FUZZ_CHECK(again);
  FUZZ_CHECK(again->size() == repos->size());
  for (size_t i = 0; i < repos->size(); ++i) {
    const auto& a = (*repos)[i];
    const auto& b = (*again)[i];
    FUZZ_CHECK(a.url == b.url && a.branch == b.branch && a.auto_push == b.auto_push && a.name == b.name);
  }
  return 0;
}
