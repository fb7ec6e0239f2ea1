#include "workspace/restore_losses.hpp"

#include <fstream>

namespace ws::workspace {

namespace fs = std::filesystem;

fs::path restore_losses_record(const fs::path& cache_dir) { return cache_dir / "restore-losses"; }

Status write_restore_losses(const fs::path& record, const std::vector<std::string>& repos) {
  std::error_code ec;
  if (repos.empty()) {
    fs::remove(record, ec);
    if (ec) return Error(Errc::io, "removing " + record.string() + ": " + ec.message());
    return {};
  }
  // Repo names are directory names under repos/: no newline can be in one.
  const fs::path tmp = record.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    for (const auto& r : repos) out << r << "\n";
    if (!out.flush()) return Error(Errc::io, "writing " + tmp.string());
  }
  fs::rename(tmp, record, ec);
  if (ec) return Error(Errc::io, "renaming " + tmp.string() + ": " + ec.message());
  return {};
}

std::vector<std::string> read_restore_losses(const fs::path& record) {
  std::vector<std::string> repos;
  std::ifstream in(record);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) repos.push_back(line);
  }
  return repos;
}

}  // namespace ws::workspace
