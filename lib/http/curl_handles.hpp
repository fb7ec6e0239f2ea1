// RAII owners of libcurl handles, and curl's one-time process initialisation.
#pragma once

#include <curl/curl.h>

#include <memory>

namespace ws::http {

struct EasyDeleter {
  void operator()(CURL* h) const noexcept { curl_easy_cleanup(h); }
};
struct ShareDeleter {
  void operator()(CURLSH* h) const noexcept { curl_share_cleanup(h); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};

using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;
using ShareHandle = std::unique_ptr<CURLSH, ShareDeleter>;
using HeaderList = std::unique_ptr<curl_slist, SlistDeleter>;

// curl_global_init, exactly once per process, before the first handle.
// This is process setup rather than mutable state: it runs once, is never
// undone (curl_global_cleanup would pull curl from under other users of the
// library in the same process), and nothing reads or changes it afterwards.
void ensure_curl_initialised();

// Handles ready for use; throw std::bad_alloc when curl cannot allocate.
EasyHandle make_easy();
// A share of connections, DNS and TLS sessions between the easy handles of
// one Client. No lock callbacks: a Client is used by one thread at a time.
ShareHandle make_share();

}  // namespace ws::http
