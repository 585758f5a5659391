#include "LoopbackHttpServer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace collab::test {

namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::string trim(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  const auto end = text.find_last_not_of(" \t\r\n");
  return begin == std::string::npos ? "" : text.substr(begin, end - begin + 1);
}

bool sendAll(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool sendAll(int fd, const std::string& text) { return sendAll(fd, text.data(), text.size()); }

const char* reasonPhrase(int status) {
  switch (status) {
  case 200: return "OK";
  case 400: return "Bad Request";
  case 401: return "Unauthorized";
  case 404: return "Not Found";
  case 429: return "Too Many Requests";
  case 500: return "Internal Server Error";
  case 502: return "Bad Gateway";
  case 503: return "Service Unavailable";
  default: return "Status";
  }
}

// Reads one request (head and Content-Length body); false when the peer goes away first.
bool readRequest(int fd, RecordedRequest& request) {
  std::string data;
  char buffer[4096];
  std::size_t headEnd;
  while ((headEnd = data.find("\r\n\r\n")) == std::string::npos) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) return false;
    data.append(buffer, static_cast<std::size_t>(n));
  }
  const std::string head = data.substr(0, headEnd);
  std::size_t lineEnd = head.find("\r\n");
  const std::string requestLine = head.substr(0, lineEnd);
  const auto firstSpace = requestLine.find(' '), secondSpace = requestLine.rfind(' ');
  request.method = requestLine.substr(0, firstSpace);
  request.path = requestLine.substr(firstSpace + 1, secondSpace - firstSpace - 1);
  while (lineEnd != std::string::npos && lineEnd < head.size()) {
    const std::size_t next = head.find("\r\n", lineEnd + 2);
    const std::string line = head.substr(lineEnd + 2, next == std::string::npos ? std::string::npos : next - lineEnd - 2);
    const auto colon = line.find(':');
    if (colon != std::string::npos) request.headers[lower(line.substr(0, colon))] = trim(line.substr(colon + 1));
    lineEnd = next;
  }
  if (lower(request.headers["expect"]) == "100-continue") sendAll(fd, "HTTP/1.1 100 Continue\r\n\r\n");
  const std::size_t length = request.headers.count("content-length") ? std::stoul(request.headers["content-length"]) : 0;
  request.body = data.substr(headEnd + 4);
  while (request.body.size() < length) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) return false;
    request.body.append(buffer, static_cast<std::size_t>(n));
  }
  return true;
}

void sendReply(int fd, const ScriptedReply& reply) {
  std::string head = "HTTP/1.1 " + std::to_string(reply.status) + " " + reasonPhrase(reply.status) + "\r\n";
  head += "Content-Type: application/json\r\nConnection: close\r\n";
  head += "Content-Length: " + std::to_string(reply.body.size()) + "\r\n";
  for (const auto& [name, value] : reply.headers) head += name + ": " + value + "\r\n";
  head += "\r\n";
  if (!sendAll(fd, head)) return;
  // A cut reply promises the whole body and sends half of it.
  const std::size_t size = reply.fault == ScriptedReply::Fault::CutMidBody ? reply.body.size() / 2 : reply.body.size();
  sendAll(fd, reply.body.data(), size);
}

} // namespace

ScriptedReply ScriptedReply::chat(const std::string& content) {
  const nlohmann::json body = {
      {"id", "chatcmpl-loopback"},
      {"object", "chat.completion"},
      {"choices", {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", content}}}, {"finish_reason", "stop"}}}},
      {"usage", {{"prompt_tokens", 11}, {"completion_tokens", 7}}}};
  ScriptedReply reply;
  reply.body = body.dump();
  return reply;
}

ScriptedReply ScriptedReply::httpError(int code, const std::string& body) {
  ScriptedReply reply;
  reply.status = code;
  reply.body = body;
  return reply;
}

ScriptedReply&& ScriptedReply::after(std::chrono::milliseconds wait) && {
  delay = wait;
  return std::move(*this);
}

ScriptedReply&& ScriptedReply::withHeader(std::string name, std::string value) && {
  headers.emplace_back(std::move(name), std::move(value));
  return std::move(*this);
}

ScriptedReply&& ScriptedReply::withFault(Fault what) && {
  fault = what;
  return std::move(*this);
}

LoopbackHttpServer::LoopbackHttpServer() {
  handler_ = [](const RecordedRequest&, int index) {
    return ScriptedReply::httpError(500, "{\"error\":{\"message\":\"the test scripted no reply for request " +
                                          std::to_string(index) + "\"}}");
  };
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  int pipeFds[2];
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener_, 64) != 0 || ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0 ||
      ::pipe2(pipeFds, O_CLOEXEC) != 0)
    throw std::runtime_error(std::string("loopback server: cannot listen: ") + std::strerror(errno));
  port_ = ntohs(address.sin_port);
  wakeRead_ = pipeFds[0];
  wakeWrite_ = pipeFds[1];
  acceptor_ = std::thread([this] { acceptLoop(); });
}

LoopbackHttpServer::~LoopbackHttpServer() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  stopping_.notify_all();
  (void)!::write(wakeWrite_, "x", 1);
  acceptor_.join();
  for (auto& connection : connections_) connection.join();
  ::close(listener_);
  ::close(wakeRead_);
  ::close(wakeWrite_);
}

std::string LoopbackHttpServer::baseUrl() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }

void LoopbackHttpServer::script(std::vector<ScriptedReply> replies) {
  std::lock_guard lock(mutex_);
  script_ = std::move(replies);
  scripted_ = requests_.size();
}

void LoopbackHttpServer::setHandler(Handler handler) {
  std::lock_guard lock(mutex_);
  handler_ = std::move(handler);
}

std::vector<RecordedRequest> LoopbackHttpServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

int LoopbackHttpServer::requestCount() const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(requests_.size());
}

int LoopbackHttpServer::maxConcurrent() const {
  std::lock_guard lock(mutex_);
  return maxActive_;
}

int LoopbackHttpServer::refusedPort() {
  // Bound but never listening: the kernel refuses connections to it while we hold it;
  // after closing, the port is free and refused until someone takes it (not us, soon).
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

void LoopbackHttpServer::acceptLoop() {
  for (;;) {
    pollfd fds[2] = {{listener_, POLLIN, 0}, {wakeRead_, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0 && errno != EINTR) return;
    if (fds[1].revents) return;
    if (!(fds[0].revents & POLLIN)) continue;
    const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    std::lock_guard lock(mutex_);
    connections_.emplace_back([this, client] { serve(client); });
  }
}

ScriptedReply LoopbackHttpServer::replyFor(const RecordedRequest& request) {
  std::unique_lock lock(mutex_);
  requests_.push_back(request);
  const std::size_t index = requests_.size() - 1;
  maxActive_ = std::max(maxActive_, ++active_);
  if (index >= scripted_ && index - scripted_ < script_.size()) return script_[index - scripted_];
  Handler handler = handler_;
  lock.unlock();
  return handler(request, static_cast<int>(index));
}

bool LoopbackHttpServer::sleepUnlessStopping(std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  return !stopping_.wait_for(lock, wait, [this] { return stop_; });
}

void LoopbackHttpServer::serve(int client) {
  timeval timeout{10, 0};
  ::setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  RecordedRequest request;
  if (readRequest(client, request)) {
    request.arrived = std::chrono::steady_clock::now();
    const ScriptedReply reply = replyFor(request);
    const bool send = sleepUnlessStopping(reply.delay) && reply.fault != ScriptedReply::Fault::CloseWithoutReply;
    {
      // Counted as handled before the reply goes out: once the client has it, it may send
      // its next request before this thread would get here, and the count must not see both.
      std::lock_guard lock(mutex_);
      --active_;
    }
    if (send) sendReply(client, reply);
  }
  ::shutdown(client, SHUT_RDWR);
  ::close(client);
}

} // namespace collab::test
