// The view Store::cancellable() gives of a backend that has no transfer to
// abort (a local directory, a test's store): each call first checks the
// token and fails with Errc::cancelled once it is requested, else delegates.
#pragma once

#include "store/store.hpp"

namespace ws::store {

class CancelCheckedStore final : public Store {
 public:
  CancelCheckedStore(Store& inner, const CancelToken& cancel) : inner_(inner), cancel_(cancel) {}

  std::string describe() const override { return inner_.describe(); }
  std::string identity() const override { return inner_.identity(); }
  Status check_bucket() override;
  Result<std::vector<ObjectInfo>> list(std::string_view prefix) override;
  Result<ObjectInfo> head(std::string_view key) override;
  Result<ObjectInfo> get_file(std::string_view key, const std::filesystem::path& dest) override;
  Result<std::string> get_bytes(std::string_view key) override;
  Status put_file(std::string_view key, const std::filesystem::path& src, const PutOptions& opts = {}) override;
  Status put_bytes(std::string_view key, std::string_view data, const PutOptions& opts = {}) override;
  Result<std::vector<DeleteFailure>> remove(const std::vector<std::string>& keys) override;

 private:
  Status check(std::string_view what) const;

  Store& inner_;
  const CancelToken& cancel_;
};

}  // namespace ws::store
