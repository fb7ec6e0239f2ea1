// RAII around libgit2: the library's init/shutdown reference count, a
// unique_ptr type for every handle the git layer holds, and the conversion of
// libgit2's last error into a ws::Error.
#pragma once

#include <git2.h>

#include <memory>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace ws::git {

// Holds one git_libgit2_init() reference for its lifetime. Every public entry
// point of the git layer keeps one, so callers never init libgit2 themselves.
class Libgit2 {
 public:
  Libgit2() { git_libgit2_init(); }
  ~Libgit2() { git_libgit2_shutdown(); }
  Libgit2(const Libgit2&) = delete;
  Libgit2& operator=(const Libgit2&) = delete;
};

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const noexcept { Free(p); }
};

template <class T, void (*Free)(T*)>
using Handle = std::unique_ptr<T, Deleter<T, Free>>;

using RepositoryPtr = Handle<git_repository, git_repository_free>;
using ReferencePtr = Handle<git_reference, git_reference_free>;
using ReferenceIteratorPtr = Handle<git_reference_iterator, git_reference_iterator_free>;
using ObjectPtr = Handle<git_object, git_object_free>;
using TreePtr = Handle<git_tree, git_tree_free>;
using BlobPtr = Handle<git_blob, git_blob_free>;
using IndexPtr = Handle<git_index, git_index_free>;
using DiffPtr = Handle<git_diff, git_diff_free>;
using PatchPtr = Handle<git_patch, git_patch_free>;
using RemotePtr = Handle<git_remote, git_remote_free>;
using ConfigPtr = Handle<git_config, git_config_free>;
using RevwalkPtr = Handle<git_revwalk, git_revwalk_free>;
using PackbuilderPtr = Handle<git_packbuilder, git_packbuilder_free>;
using IndexerPtr = Handle<git_indexer, git_indexer_free>;
using OdbPtr = Handle<git_odb, git_odb_free>;
using StatusListPtr = Handle<git_status_list, git_status_list_free>;

// Frees a git_buf's content (the struct itself lives on the stack).
struct Buf {
  git_buf buf = GIT_BUF_INIT;
  Buf() = default;
  ~Buf() { git_buf_dispose(&buf); }
  Buf(const Buf&) = delete;
  Buf& operator=(const Buf&) = delete;
  std::string_view view() const { return {buf.ptr ? buf.ptr : "", buf.size}; }
};

// "<what>: <libgit2's message>" with code `code`; the message never carries
// a URL's userinfo (libgit2 messages can quote the URL, so it is redacted).
Error git_failure(std::string_view what, Errc code = Errc::git);

// The 40-hex form of an oid.
std::string oid_hex(const git_oid& oid);

}  // namespace ws::git
