// The session pod's environment: every value of the env table, each line of
// the input being one NAME=VALUE. Any values load or are refused with an
// error; a loaded config, written back as the values it resolved
// (`ambient-workspace env --resolved`), loads again to the same config, and
// its sync times fit the nanosecond clock the sidecar sleeps on.
#include "fuzz_check.hpp"
#include "config/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ws::config;
  EnvSource env;
  for (const auto line : ws::fuzz::lines_of(ws::fuzz::text_of(data, size))) {
    if (const auto eq = line.find('='); eq != std::string_view::npos) {
      env.set(std::string(line.substr(0, eq)), std::string(line.substr(eq + 1)));
    }
  }
  auto config = load_config(env);
  if (!config) return 0;
  FUZZ_CHECK(config->sync_interval.count() >= 1 && config->sync_initial_delay.count() >= 0);
  (void)std::chrono::duration_cast<std::chrono::nanoseconds>(config->sync_interval);
  (void)std::chrono::duration_cast<std::chrono::nanoseconds>(config->sync_initial_delay);
  const auto resolved = resolved_env(*config);
  EnvSource again;
  for (const auto& [name, value] : resolved) again.set(name, value);
  auto reloaded = load_config(again);
  if (!reloaded) std::fprintf(stderr, "reloading the resolved values: %s\n", reloaded.error().message.c_str());
  FUZZ_CHECK(reloaded);
  FUZZ_CHECK(resolved_env(*reloaded) == resolved);
  return 0;
}
