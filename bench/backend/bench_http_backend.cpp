// How the HTTP backend's concurrency pays off against a server that takes its time, as an
// inference server does: N chat completions from a loopback server that answers each after
// DELAY ms, sent as one batch at several concurrency limits. Prints wall time, requests/s
// and the ideal for that limit (limit / delay), so the backend's own overhead shows.
//   bench_http_backend [N=256] [DELAY_MS=50]
#include "LoopbackHttpServer.h"
#include "backend/OpenAiHttpBackend.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

using namespace collab;

int main(int argc, char** argv) {
  const int requests = argc > 1 ? std::atoi(argv[1]) : 256;
  const int delayMs = argc > 2 ? std::atoi(argv[2]) : 50;
  test::LoopbackHttpServer server;
  server.setHandler([delayMs](const test::RecordedRequest&, int index) {
    return test::ScriptedReply::chat("reply " + std::to_string(index)).after(std::chrono::milliseconds(delayMs));
  });
  std::vector<backend::ChatRequest> batch;
  for (int i = 0; i < requests; ++i)
    batch.push_back({{{conversation::Role::User, "request " + std::to_string(i)}}, {}});

  std::printf("%d requests, server delay %d ms\n%12s %10s %12s %12s %8s\n", requests, delayMs, "concurrency", "wall s",
              "req/s", "ideal req/s", "of ideal");
  for (const int limit : {1, 4, 16, 64}) {
    backend::HttpBackendConfig config;
    config.baseUrl = server.baseUrl();
    config.model = "bench";
    config.maxConcurrency = limit;
    backend::OpenAiHttpBackend http(config);
    const int count = limit == 1 ? std::min(requests, 32) : requests; // one by one is slow: fewer
    const std::vector<backend::ChatRequest> part(batch.begin(), batch.begin() + count);
    const auto start = std::chrono::steady_clock::now();
    const auto results = http.complete(part);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (const auto& result : results)
      if (!result.ok()) {
        std::fprintf(stderr, "failed: %s\n", result.error.c_str());
        return 1;
      }
    const double rate = count / seconds, ideal = limit * 1000.0 / delayMs;
    std::printf("%12d %10.3f %12.1f %12.1f %7.0f%%\n", limit, seconds, rate, ideal, 100 * rate / ideal);
  }
  return 0;
}
