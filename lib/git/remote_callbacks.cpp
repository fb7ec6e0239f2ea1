#include "git/remote_callbacks.hpp"

#include "common/ascii.hpp"
#include "common/url_authority.hpp"

namespace ws::git {

std::optional<RemoteEndpoint> remote_endpoint(std::string_view url) {
  const auto authority = url_authority(url);
  if (!authority) {
    // scp-like "user@host:path" (a colon before any slash).
    const auto colon = url.find(':');
    const auto slash = url.find('/');
    if (colon == std::string_view::npos || (slash != std::string_view::npos && slash < colon)) {
      return std::nullopt;
    }
    std::string_view host = url.substr(0, colon);
    if (auto at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
    if (host.empty()) return std::nullopt;
    return RemoteEndpoint{"ssh", std::string(host)};
  }
  if (authority->host_port.empty()) return std::nullopt;
  return RemoteEndpoint{ascii_lower(authority->scheme), std::string(authority->host_port)};
}

namespace {

int on_credentials(git_credential** out, const char* url, const char* username_from_url,
                   unsigned int allowed_types, void* payload) {
  auto& state = *static_cast<RemoteCallbackState*>(payload);
  // A second request for the same operation means the first was refused:
  // give up, libgit2 then reports an authentication error.
  if (state.credentials_offered || url == nullptr) return GIT_PASSTHROUGH;
  if ((allowed_types & GIT_CREDENTIAL_USERPASS_PLAINTEXT) == 0) return GIT_PASSTHROUGH;
  std::optional<auth::GitCredential> cred;
  if (state.credentials != nullptr) {
    if (const auto endpoint = remote_endpoint(url)) cred = state.credentials->lookup(endpoint->protocol, endpoint->host);
  }
  if (!cred) cred = state.url_credential;
  if (!cred) return GIT_PASSTHROUGH;
  state.credentials_offered = true;
  const std::string& user =
      cred->username.empty() && username_from_url != nullptr ? std::string(username_from_url)
                                                             : cred->username;
  return git_credential_userpass_plaintext_new(out, user.c_str(), cred->password.c_str());
}

int on_transfer_progress(const git_indexer_progress* stats, void* payload) {
  const auto& state = *static_cast<RemoteCallbackState*>(payload);
  if (state.log == nullptr || !state.log->wants_progress()) return 0;
  Progress p;
  p.phase = "clone";
  p.item = state.item;
  p.files_done = stats->received_objects;
  p.files_total = stats->total_objects;
  p.bytes_done = stats->received_bytes;
  p.bytes_total = 0;
  state.log->progress(p);
  return 0;
}

}  // namespace

void install_remote_callbacks(git_remote_callbacks& callbacks, RemoteCallbackState& state) {
  callbacks.credentials = on_credentials;
  callbacks.transfer_progress = on_transfer_progress;
  callbacks.payload = &state;
}

}  // namespace ws::git
