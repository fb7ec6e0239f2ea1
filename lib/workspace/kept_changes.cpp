#include "workspace/kept_changes.hpp"

#include <string>

namespace ws::workspace {

namespace {

// "rejected-X.patch", n=2 -> "rejected-X-2.patch"; ".staged.patch" alike.
std::string numbered(const std::string& name, int n) {
  if (n == 1) return name;
  const auto dot = name.find('.');
  return name.substr(0, dot) + "-" + std::to_string(n) + name.substr(dot);
}

}  // namespace

void keep_in_store(store::Store& store, std::string_view prefix, const std::vector<std::filesystem::path>& files,
                   const Logger& log) {
  for (const auto& file : files) {
    const std::string name = file.filename().string();
    std::string key;
    Status put = Error(Errc::conflict, "every name like " + name + " is taken");
    for (int n = 1; n < 100; ++n) {
      const std::string candidate = std::string(prefix) + numbered(name, n);
      auto there = store.head(candidate);
      if (there) continue;
      if (there.error().code == Errc::not_found) {
        key = candidate;
        put = store.put_file(key, file, store::PutOptions{std::nullopt, "", "text/x-diff"});
      } else {
        put = std::move(there).error();
      }
      break;
    }
    if (!put) {
      log.warn("restore.rejected_not_stored", "could not store " + name + " beside the saved state: " +
                                                  put.error().message + "; the copy at " + file.string() + " stays");
      continue;
    }
    log.warn("restore.rejected_stored", "the saved changes that did not apply are kept in the store as " + key);
  }
}

}  // namespace ws::workspace
