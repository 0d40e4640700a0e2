// ceiling_server: the most a Beast WebSocket server can do on this machine
// with replyd's transport, as the yardstick for replyd's own throughput
// (docs/benchmarks.md, "Server"; bench/server_ratio.sh runs both).
//
//   ceiling_server --port 18081 --threads 2
//
// It does what replyd's transport does and nothing else: one io_context run
// by --threads I/O threads, a strand per connection, TCP_NODELAY, the same
// WebSocket timeouts and keep-alive pings, one read at a time, answers
// queued and written one after another. Every text frame is answered with
// a fixed answer the shape of replyd's answers to bench/loadgen's requests
// (two suggestions, 1,056 bytes; replyd's answers to loadgen's eight
// messages are 474-1,446 bytes, 953 on average), with the request's "id"
// echoed, so loadgen counts it as a success. No JSON is parsed and nothing is
// computed: what replyd spends beyond this is the price of its work.
//
//   ceiling_server --port 18082 --threads 2 --engine-packs .
//
// With --engine-packs it also runs the engine on every request before it
// sends the same fixed answer: `Engine::Suggest` on the request the frame
// holds, parsed once per distinct message and then looked up by a byte
// search for the message (loadgen rotates through eight). That is the floor
// of any server that runs the engine: transport plus `Engine::Suggest` and
// nothing else (no decoding, no answer written from the response, no signed
// ids, no registry or counters). Its ratio to the bare ceiling bounds what
// replyd's ratio can reach with the engine as it is (docs/benchmarks.md).
//
// Thread safety: each session runs on its own strand and keeps its own
// parsed requests; the engine is shared (Engine::Suggest is thread-safe).
#include <CLI/CLI.hpp>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "engine/api/json_codec.h"
#include "engine/engine.h"

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

namespace {

// replyd's answer to loadgen's "怎么还不发货" (two suggestions), with the
// random suggestion ids and the request id replaced. The id goes between
// kHead and kTail.
constexpr std::string_view kHead = R"({"type":"suggestions","id":)";
constexpr std::string_view kTail =
    R"(,"normalized":"怎么还不发货","script":"simplified","locale":"zh",)"
    R"("intents":[{"name":"urge_shipment","score":1.0,)"
    R"("pattern":"intents/zh/urge_shipment.yaml:4"}],"suggestions":[)"
    R"({"suggestion_id":"5f0c1e2a9b7d4c3e8a6f1b2d3c4e5f60",)"
    R"("intent":"urge_shipment","template":"urge_shipment.within_promise",)"
    R"("text":"亲，您的订单已于11月20日付款，我们承诺付款后48小时内发货，)"
    R"(目前仍在承诺时间内，仓库正在加紧打包，发出后物流信息会第一时间同步给您，)"
    R"(请您耐心等待一下哦～如有其他问题随时联系我们。","handoff":false},)"
    R"({"suggestion_id":"a1b2c3d4e5f60718293a4b5c6d7e8f90",)"
    R"("intent":"urge_shipment","template":"urge_shipment.reassure",)"
    R"("text":"亲，理解您着急的心情！羊毛开衫（M码）已经在安排出库了，)"
    R"(浙江地区一般发货后1-2天就能收到，发货后我们会第一时间通知您，)"
    R"(给您带来不便非常抱歉，感谢您的耐心等待～","handoff":false}],)"
    R"("pack_version":"zh:2026.11.23-1,vi:2026.11.20-1","elapsed_us":37})";

// The request's "id" value as JSON text ("null" if it has none). A byte
// search, not a parse: the point is to cost nothing.
std::string_view IdOf(std::string_view frame) {
  constexpr std::string_view kKey = R"("id":")";
  const size_t at = frame.find(kKey);
  if (at == std::string_view::npos) return "null";
  const size_t start = at + kKey.size() - 1;
  const size_t end = frame.find('"', start + 1);
  if (end == std::string_view::npos) return "null";
  return frame.substr(start, end + 1 - start);
}

// The request's "message" value as written in the frame (loadgen's carry
// no escapes); empty if there is none.
std::string_view MessageOf(std::string_view frame) {
  constexpr std::string_view kKey = R"("message":")";
  const size_t at = frame.find(kKey);
  if (at == std::string_view::npos) return {};
  const size_t start = at + kKey.size();
  const size_t end = frame.find('"', start);
  if (end == std::string_view::npos) return {};
  return frame.substr(start, end - start);
}

// Runs the engine on frames' requests. Each session parses a request once
// per distinct message (the first frame that carries it) into its own
// cache, so no lock is shared; later frames with that message reuse it, so
// what is timed per request is Engine::Suggest.
class EngineWork {
 public:
  using Cache = std::map<std::string, reply::Request, std::less<>>;

  explicit EngineWork(std::unique_ptr<reply::Engine> engine)
      : engine_(std::move(engine)) {}

  void Run(std::string_view frame, Cache* cache) {
    const std::string_view message = MessageOf(frame);
    auto it = cache->find(message);
    if (it == cache->end()) {
      reply::Result<reply::Request> parsed = reply::ParseRequest(frame);
      if (!parsed.ok()) {
        ++failures_;
        return;
      }
      it = cache->emplace(std::string(message), std::move(*parsed)).first;
    }
    if (!engine_->Suggest(it->second).ok()) ++failures_;
  }

  uint64_t failures() const { return failures_; }

 private:
  std::unique_ptr<reply::Engine> engine_;
  std::atomic<uint64_t> failures_{0};
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, EngineWork* engine)
      : ws_(std::move(socket)), engine_(engine) {}

  void Run() {
    websocket::stream_base::timeout timeout{};
    timeout.handshake_timeout = std::chrono::seconds(10);
    timeout.idle_timeout = std::chrono::seconds(60);
    timeout.keep_alive_pings = true;
    ws_.set_option(timeout);
    ws_.read_message_max(64 * 1024);
    net::dispatch(ws_.get_executor(), [self = shared_from_this()] {
      self->ws_.async_accept([self](beast::error_code ec) {
        if (!ec) self->Read();
      });
    });
  }

 private:
  void Read() {
    ws_.async_read(buffer_,
                   [self = shared_from_this()](beast::error_code ec, size_t) {
                     if (ec) return;
                     const std::string_view frame(
                         static_cast<const char*>(self->buffer_.data().data()),
                         self->buffer_.size());
                     if (self->engine_ != nullptr) {
                       self->engine_->Run(frame, &self->requests_);
                     }
                     std::string answer;
                     const std::string_view id = IdOf(frame);
                     answer.reserve(kHead.size() + id.size() + kTail.size());
                     answer.append(kHead).append(id).append(kTail);
                     self->buffer_.consume(self->buffer_.size());
                     self->Send(std::move(answer));
                     self->Read();
                   });
  }

  void Send(std::string text) {
    queue_.push_back(std::move(text));
    if (queue_.size() == 1) Write();
  }

  void Write() {
    ws_.text(true);
    ws_.async_write(net::buffer(queue_.front()),
                    [self = shared_from_this()](beast::error_code ec, size_t) {
                      if (ec) return;
                      self->queue_.pop_front();
                      if (!self->queue_.empty()) self->Write();
                    });
  }

  websocket::stream<beast::tcp_stream> ws_;
  EngineWork* engine_;  // null: no engine work
  EngineWork::Cache requests_;
  beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& ioc, tcp::endpoint endpoint, EngineWork* engine)
      : ioc_(ioc), acceptor_(net::make_strand(ioc)), engine_(engine) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
  }

  void Accept() {
    acceptor_.async_accept(
        net::make_strand(ioc_),
        [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
          if (!ec) {
            socket.set_option(tcp::no_delay(true), ec);
            std::make_shared<Session>(std::move(socket), self->engine_)->Run();
          }
          self->Accept();
        });
  }

 private:
  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  EngineWork* engine_;
};

}  // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  uint16_t port = 18081;
  int threads = 2;
  CLI::App app{
      "ceiling_server: a bare Beast WebSocket server, replyd-sized "
      "fixed answers"};
  app.add_option("--host", host)->capture_default_str();
  app.add_option("--port", port)->capture_default_str();
  app.add_option("--threads", threads, "I/O threads (replyd's --threads)")
      ->capture_default_str();
  std::string engine_packs;
  app.add_option("--engine-packs", engine_packs,
                 "run the engine with the packs of this directory on every "
                 "request (the floor of a server that runs the engine)");
  CLI11_PARSE(app, argc, argv);

  std::unique_ptr<EngineWork> engine;
  if (!engine_packs.empty()) {
    auto opened = reply::Engine::Open({.pack_dir = engine_packs});
    if (!opened.ok()) {
      std::cerr << "ceiling_server: " << opened.status().ToString() << "\n";
      return 1;
    }
    engine = std::make_unique<EngineWork>(std::move(*opened));
  }

  net::io_context ioc(threads);
  std::make_shared<Listener>(
      ioc, tcp::endpoint(net::ip::make_address(host), port), engine.get())
      ->Accept();
  net::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&ioc](beast::error_code, int) { ioc.stop(); });
  std::cerr << "ceiling_server listening on " << host << ":" << port << "\n";
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
  for (std::thread& t : pool) t.join();
  if (engine != nullptr && engine->failures() > 0) {
    std::cerr << "ceiling_server: " << engine->failures()
              << " requests failed in the engine\n";
    return 1;
  }
  return 0;
}
