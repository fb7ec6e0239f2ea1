#include "http/curl_handles.hpp"

#include <mutex>
#include <new>

namespace ws::http {

void ensure_curl_initialised() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_ALL); });
}

EasyHandle make_easy() {
  ensure_curl_initialised();
  EasyHandle h(curl_easy_init());
  if (!h) throw std::bad_alloc();
  return h;
}

ShareHandle make_share() {
  ensure_curl_initialised();
  ShareHandle h(curl_share_init());
  if (!h) throw std::bad_alloc();
  curl_share_setopt(h.get(), CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
  curl_share_setopt(h.get(), CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(h.get(), CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  return h;
}

}  // namespace ws::http
