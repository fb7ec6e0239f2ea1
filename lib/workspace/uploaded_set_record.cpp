#include "workspace/uploaded_set_record.hpp"

#include <fstream>
#include <iterator>
#include <string>

#include "store/atomic_file.hpp"

namespace ws::workspace {
namespace fs = std::filesystem;

namespace {

// The scope is the record's first line.
std::string scope_line(std::string_view scope) {
  std::string line(scope);
  for (char& c : line) {
    if (c == '\n') c = ' ';
  }
  return line + "\n";
}

}  // namespace

std::optional<SetManifest> read_uploaded_set(const fs::path& record, std::string_view scope) {
  std::ifstream in(record, std::ios::binary);
  if (!in) return std::nullopt;
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string head = scope_line(scope);
  if (text.compare(0, head.size(), head) != 0) return std::nullopt;
  auto m = manifest_from_json(std::string_view(text).substr(head.size()));
  if (!m) return std::nullopt;
  return std::move(*m);
}

Status write_uploaded_set(const fs::path& record, std::string_view scope, const SetManifest& m) {
  auto out = store::AtomicFile::create(record);
  if (!out) return std::move(out).error();
  WS_TRY(out->write(scope_line(scope) + manifest_to_json(m)));
  return out->commit(std::nullopt);
}

}  // namespace ws::workspace
