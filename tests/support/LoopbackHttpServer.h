#pragma once

// A small HTTP/1.1 server on 127.0.0.1 for tests of HTTP clients: plain POSIX sockets, a
// thread per connection, one request per connection (it answers `Connection: close`).
// Each request gets a scripted reply, which can be a fault: a delay (a slow server), a
// connection closed without a reply, or a reply cut off mid-body. Every request is
// recorded with its arrival time, and the server counts how many it handled at once.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace collab::test {

struct RecordedRequest {
  std::string method, path, body;
  std::map<std::string, std::string> headers; // names in lower case
  std::chrono::steady_clock::time_point arrived;
};

struct ScriptedReply {
  enum class Fault { None, CloseWithoutReply, CutMidBody };

  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds delay{0}; // before anything is sent
  Fault fault = Fault::None;

  // A chat completion whose message content is `content`.
  static ScriptedReply chat(const std::string& content);
  static ScriptedReply httpError(int code, const std::string& body = "{\"error\":{\"message\":\"scripted failure\"}}");
  ScriptedReply&& after(std::chrono::milliseconds wait) &&;
  ScriptedReply&& withHeader(std::string name, std::string value) &&;
  ScriptedReply&& withFault(Fault what) &&;
};

class LoopbackHttpServer {
public:
  // Makes the reply to the `index`th request (0-based, in order of arrival).
  using Handler = std::function<ScriptedReply(const RecordedRequest& request, int index)>;

  LoopbackHttpServer(); // listening on an ephemeral port when constructed
  ~LoopbackHttpServer();
  LoopbackHttpServer(const LoopbackHttpServer&) = delete;
  LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:PORT/v1", the base URL an OpenAI client is given.
  std::string baseUrl() const;

  // Replies in order of arrival; once they run out, the handler's (by default a 500 that
  // says the script ran out).
  void script(std::vector<ScriptedReply> replies);
  void setHandler(Handler handler);

  std::vector<RecordedRequest> requests() const;
  int requestCount() const;
  // The most requests received and not yet answered at one moment.
  int maxConcurrent() const;

  // A loopback port nobody listens on: connecting to it is refused.
  static int refusedPort();

private:
  void acceptLoop();
  void serve(int client);
  ScriptedReply replyFor(const RecordedRequest& request);
  bool sleepUnlessStopping(std::chrono::milliseconds wait);

  int listener_ = -1;
  int port_ = 0;
  int wakeRead_ = -1, wakeWrite_ = -1; // wakes the accept loop when stopping
  std::thread acceptor_;
  std::vector<std::thread> connections_;

  mutable std::mutex mutex_;
  std::condition_variable stopping_;
  bool stop_ = false;
  std::vector<ScriptedReply> script_;
  std::size_t scripted_ = 0;
  Handler handler_;
  std::vector<RecordedRequest> requests_;
  int active_ = 0, maxActive_ = 0;
};

} // namespace collab::test
