// Git writes some file headers libgit2 1.5's patch parser cannot read back:
// an empty file's creation or deletion (no "---"/"+++" lines) and any
// unquoted path with a space ("diff --git a/my file b/my file", "rename
// from my file"). normalize_git_patch rewrites those headers into forms both
// read — the same change, quoted paths and explicit "---"/"+++" lines — and
// leaves everything else byte for byte. A rename or copy without mode lines
// carries no mode at all (git keeps the old one, libgit2 writes 100644), so
// `mode_of(old path)` supplies it and explicit mode lines are added.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace ws::git {

using ModeLookup = std::function<std::optional<unsigned>(const std::string& path)>;

std::string normalize_git_patch(std::string_view patch, const ModeLookup& mode_of = {});

// C-style quoting as git uses it ("a/my file" -> "\"a/my file\""), applied
// only when `path` has a space, quote, backslash or control character.
std::string quote_path_if_needed(std::string_view path);

// The inverse for one header token: quoted -> unquoted, otherwise unchanged.
std::string unquote_path(std::string_view token);

}  // namespace ws::git
