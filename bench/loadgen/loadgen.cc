// loadgen: drives replyd over real WebSocket connections (Beast client) and
// reports throughput, latency percentiles and the server's memory.
//
//   loadgen --port 8080 --connections 100 --pipeline 4 --duration 10
//       closed loop: each connection keeps `pipeline` suggest requests in
//       flight; measures the most the server can do
//   loadgen --port 8080 --connections 100 --rate 20000 --duration 600
//       open loop: requests are sent on a fixed schedule and latency counts
//       from the scheduled time, so a stalled server cannot hide its stall
//   loadgen --port 8080 --connections 10000 --idle --duration 30
//       opens connections and holds them without traffic
// With --server-pid the server's RSS is sampled once a second.
//
// Every request is a suggest with an order, rotating through a few buyer
// messages; latency is from sending a request to reading its answer.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <cmath>
#include <deque>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  int connections = 100;
  int pipeline = 4;
  double rate = 0;  // requests/s over all connections; 0: closed loop
  double duration_s = 10;
  double warmup_s = 2;
  int threads = 1;
  bool idle = false;
  int server_pid = 0;
  std::string token;
};

// Latency histogram: 1 µs resolution below 1 ms, then log-linear buckets
// (about 1% wide) up to 100 s.
class Histogram {
 public:
  Histogram() : counts_(kLinear + kLogBuckets, 0) {}
  void Add(int64_t us) {
    ++counts_[Bucket(us)];
    ++total_;
    max_ = std::max(max_, us);
  }
  void Merge(const Histogram& other) {
    for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
    total_ += other.total_;
    max_ = std::max(max_, other.max_);
  }
  int64_t Percentile(double p) const {
    const uint64_t rank =
        static_cast<uint64_t>(std::ceil(p * static_cast<double>(total_)));
    uint64_t seen = 0;
    for (size_t i = 0; i < counts_.size(); ++i) {
      seen += counts_[i];
      if (seen >= rank && seen > 0) return UpperBound(i);
    }
    return max_;
  }
  uint64_t total() const { return total_; }
  int64_t max() const { return max_; }

 private:
  static constexpr int64_t kLinear = 1000;
  static constexpr size_t kLogBuckets = 1200;  // 1.01^1200 ms > 100 s
  static size_t Bucket(int64_t us) {
    if (us < kLinear) return static_cast<size_t>(std::max<int64_t>(us, 0));
    const size_t b = static_cast<size_t>(
        std::log(static_cast<double>(us) / kLinear) / std::log(1.01));
    return std::min(kLinear + b, kLinear + kLogBuckets - 1);
  }
  static int64_t UpperBound(size_t bucket) {
    if (bucket < kLinear) return static_cast<int64_t>(bucket);
    return static_cast<int64_t>(kLinear * std::pow(1.01, bucket - kLinear + 1));
  }
  std::vector<uint64_t> counts_;
  uint64_t total_ = 0;
  int64_t max_ = 0;
};

std::vector<std::string> RequestTemplates() {
  const nlohmann::json order = {
      {"id", "E20261123001"},
      {"status", "paid"},
      {"created_at", "2026-11-20T09:00:00+08:00"},
      {"paid_at", "2026-11-20T09:05:00+08:00"},
      {"amount", 129.0},
      {"stock", "in_stock"},
      {"shipping", {{"region", "浙江"}}},
      {"items",
       {{{"name", "羊毛开衫"},
         {"sku", "K-203"},
         {"size", "M"},
         {"quantity", 1}}}},
      {"buyer", {{"name", "小林"}, {"returning", true}}}};
  std::vector<std::string> out;
  for (const char* message :
       {"怎么还不发货", "亲，什么时候能发货啊", "衣服尺码不对，能换吗",
        "快递单号怎么查不到", "显示签收了但是我没收到", "在吗", "发货太慢了吧",
        "买大了一码可以换小一码吗"}) {
    nlohmann::json r = {
        {"type", "suggest"},          {"id", "ID"},
        {"message", message},         {"order", order},
        {"conversation_id", "bench"}, {"now", "2026-11-23T10:00:00+08:00"}};
    out.push_back(r.dump());
  }
  return out;
}

struct Stats {
  Histogram latency;
  uint64_t requests = 0;
  uint64_t suggestions = 0;
  uint64_t errors = 0;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(net::io_context& ioc, const Options& o, int index,
             const std::vector<std::string>& templates, Stats* stats,
             std::atomic<int>* open, const std::atomic<bool>* measuring,
             const std::atomic<bool>* stopping)
      : ws_(net::make_strand(ioc)),
        timer_(ws_.get_executor()),
        o_(o),
        index_(index),
        templates_(templates),
        stats_(stats),
        open_(open),
        measuring_(measuring),
        stopping_(stopping) {}

  void Start(tcp::endpoint endpoint) {
    beast::get_lowest_layer(ws_).async_connect(
        endpoint, [self = shared_from_this()](beast::error_code ec) {
          if (ec) return self->Fail(ec, "connect");
          beast::get_lowest_layer(self->ws_).socket().set_option(
              tcp::no_delay(true));
          self->ws_.set_option(websocket::stream_base::decorator(
              [token = self->o_.token](websocket::request_type& req) {
                if (!token.empty())
                  req.set(beast::http::field::authorization, "Bearer " + token);
              }));
          self->ws_.async_handshake(
              self->o_.host, "/ws", [self](beast::error_code ec) {
                if (ec) return self->Fail(ec, "handshake");
                ++*self->open_;
                self->Read();
                if (self->o_.idle) return;
                if (self->o_.rate > 0) {
                  // Spread the connections over one send interval: started
                  // together they would send in bursts of `connections`.
                  const double interval_s =
                      self->o_.connections / self->o_.rate;
                  const double phase =
                      static_cast<double>(self->index_) / self->o_.connections;
                  self->next_send_ =
                      Clock::now() +
                      std::chrono::duration_cast<Clock::duration>(
                          std::chrono::duration<double>(phase * interval_s));
                  self->Schedule();
                } else {
                  for (int i = 0; i < self->o_.pipeline; ++i)
                    self->Send(Clock::now());
                }
              });
        });
  }

 private:
  void Send(Clock::time_point intended) {
    if (*stopping_) return;
    std::string text = templates_[(seq_ + index_) % templates_.size()];
    const std::string id =
        std::to_string(index_) + "-" + std::to_string(seq_++);
    text.replace(text.find("\"ID\""), 4, "\"" + id + "\"");
    sent_.push_back(intended);
    outbox_.push_back(std::move(text));
    if (outbox_.size() == 1) Write();
  }

  void Write() {
    ws_.async_write(net::buffer(outbox_.front()),
                    [self = shared_from_this()](beast::error_code ec, size_t) {
                      if (ec) return self->Fail(ec, "write");
                      self->outbox_.pop_front();
                      if (!self->outbox_.empty()) self->Write();
                    });
  }

  // Open loop: one request per interval, on schedule whatever the answers do.
  void Schedule() {
    const auto interval = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(o_.connections / o_.rate));
    next_send_ += interval;
    timer_.expires_at(next_send_);
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || *self->stopping_) return;
      self->Send(self->next_send_);
      self->Schedule();
    });
  }

  void Read() {
    ws_.async_read(buffer_,
                   [self = shared_from_this()](beast::error_code ec, size_t) {
                     if (ec) return self->Fail(ec, "read");
                     self->OnAnswer();
                     self->buffer_.consume(self->buffer_.size());
                     self->Read();
                   });
  }

  void OnAnswer() {
    if (sent_.empty()) return;  // pings are not answers
    const auto now = Clock::now();
    const Clock::time_point start = sent_.front();
    sent_.pop_front();
    const std::string_view text(static_cast<const char*>(buffer_.data().data()),
                                buffer_.size());
    if (*measuring_) {
      std::lock_guard<std::mutex> lock(stats_mu());
      ++stats_->requests;
      if (text.find("\"type\":\"suggestions\"") == std::string_view::npos) {
        ++stats_->errors;
      } else {
        size_t at = 0;
        while ((at = text.find("\"suggestion_id\"", at)) !=
               std::string_view::npos) {
          ++stats_->suggestions;
          ++at;
        }
      }
      stats_->latency.Add(
          std::chrono::duration_cast<std::chrono::microseconds>(now - start)
              .count());
    }
    if (o_.rate == 0) Send(now);
  }

  void Fail(beast::error_code ec, const char* what) {
    if (*stopping_) return;
    static std::atomic<int> reported{0};
    if (reported++ < 5)
      std::cerr << "connection " << index_ << ": " << what << ": "
                << ec.message() << "\n";
    std::lock_guard<std::mutex> lock(stats_mu());
    ++stats_->errors;
  }

  // One Stats per thread; the mutex is per thread too and so uncontended.
  std::mutex& stats_mu() {
    static thread_local std::mutex mu;
    return mu;
  }

  websocket::stream<beast::tcp_stream> ws_;
  net::steady_timer timer_;
  const Options& o_;
  const int index_;
  const std::vector<std::string>& templates_;
  Stats* stats_;
  std::atomic<int>* open_;
  const std::atomic<bool>* measuring_;
  const std::atomic<bool>* stopping_;
  beast::flat_buffer buffer_;
  std::deque<std::string> outbox_;
  std::deque<Clock::time_point> sent_;
  Clock::time_point next_send_;
  uint64_t seq_ = 0;
};

int64_t RssKiB(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6));
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"loadgen: WebSocket load for replyd"};
  app.add_option("--host", o.host)->capture_default_str();
  app.add_option("--port", o.port)->capture_default_str();
  app.add_option("--connections", o.connections)->capture_default_str();
  app.add_option("--pipeline", o.pipeline,
                 "Requests in flight per connection (closed loop)")
      ->capture_default_str();
  app.add_option("--rate", o.rate,
                 "Requests/s over all connections; 0: closed loop")
      ->capture_default_str();
  app.add_option("--duration", o.duration_s, "Seconds measured")
      ->capture_default_str();
  app.add_option("--warmup", o.warmup_s, "Seconds run before measuring")
      ->capture_default_str();
  app.add_option("--threads", o.threads, "Client I/O threads")
      ->capture_default_str();
  app.add_flag("--idle", o.idle, "Open the connections and send nothing");
  app.add_option("--server-pid", o.server_pid, "Sample this process's RSS");
  app.add_option("--token", o.token, "Bearer token");
  CLI11_PARSE(app, argc, argv);

  const auto templates = RequestTemplates();
  const tcp::endpoint endpoint(net::ip::make_address(o.host), o.port);
  std::vector<std::unique_ptr<net::io_context>> contexts;
  std::vector<Stats> stats(o.threads);
  std::atomic<int> open{0};
  std::atomic<bool> measuring{false}, stopping{false};
  for (int t = 0; t < o.threads; ++t)
    contexts.push_back(std::make_unique<net::io_context>(1));
  for (int i = 0; i < o.connections; ++i) {
    const int t = i % o.threads;
    std::make_shared<Connection>(*contexts[t], o, i, templates, &stats[t],
                                 &open, &measuring, &stopping)
        ->Start(endpoint);
  }
  std::vector<std::thread> threads;
  for (auto& ioc : contexts) {
    threads.emplace_back([&ioc] {
      auto work = net::make_work_guard(*ioc);
      ioc->run();
    });
  }
  const auto wait_open_deadline = Clock::now() + std::chrono::seconds(60);
  while (open < o.connections && Clock::now() < wait_open_deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::cerr << open << " connections open\n";
  std::this_thread::sleep_for(std::chrono::duration<double>(o.warmup_s));
  measuring = true;
  const auto start = Clock::now();
  int64_t rss_max = 0, rss_first = -1, rss_last = -1;
  while (Clock::now() - start < std::chrono::duration<double>(o.duration_s)) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    if (o.server_pid > 0) {
      rss_last = RssKiB(o.server_pid);
      if (rss_first < 0) rss_first = rss_last;
      rss_max = std::max(rss_max, rss_last);
    }
  }
  measuring = false;
  const double seconds =
      std::chrono::duration<double>(Clock::now() - start).count();
  stopping = true;
  for (auto& ioc : contexts) ioc->stop();
  for (auto& t : threads) t.join();

  Stats total;
  for (const Stats& s : stats) {
    total.latency.Merge(s.latency);
    total.requests += s.requests;
    total.suggestions += s.suggestions;
    total.errors += s.errors;
  }
  nlohmann::ordered_json report = {
      {"connections_open", open.load()},
      {"mode", o.idle ? "idle" : (o.rate > 0 ? "open_loop" : "closed_loop")},
      {"seconds", seconds},
      {"requests", total.requests},
      {"requests_per_s", total.requests / seconds},
      {"suggestions_per_s", total.suggestions / seconds},
      {"errors", total.errors},
      {"p50_us", total.latency.Percentile(0.50)},
      {"p99_us", total.latency.Percentile(0.99)},
      {"p999_us", total.latency.Percentile(0.999)},
      {"max_us", total.latency.max()},
      {"server_rss_first_kib", rss_first},
      {"server_rss_last_kib", rss_last},
      {"server_rss_max_kib", rss_max}};
  std::cout << report.dump() << "\n";
  return 0;
}
