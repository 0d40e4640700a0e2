// PackWatcher: notices changed pack files (inotify; Linux only) and calls
// back once a burst of changes has been quiet for `debounce`, so that saving
// ten files costs one reload.
//
//   auto watcher = PackWatcher::Start(executor, "packs/", 200ms, [&] {
//   reload(); });
//   ...
//   (*watcher)->Stop();
//
// What is watched is the pack layout (engine/pack/pack_loader.h): shop.yaml
// and *.yaml under intents/, templates/ and shops/. Other files in the directory —
// a build tree, editor swap files — trigger nothing.
//
// Thread safety: all work happens on `executor` (make it a strand if the
// io_context has several threads). Stop may be called from any thread.
#ifndef REPLY_SERVER_PACK_WATCHER_H_
#define REPLY_SERVER_PACK_WATCHER_H_

#include <array>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "engine/base/status.h"

namespace reply::server {

class PackWatcher : public std::enable_shared_from_this<PackWatcher> {
 public:
  static Result<std::shared_ptr<PackWatcher>> Start(
      boost::asio::any_io_executor executor, std::string dir,
      std::chrono::milliseconds debounce, std::function<void()> on_change);

  void Stop();

  PackWatcher(boost::asio::any_io_executor executor, int fd, std::string dir,
              std::chrono::milliseconds debounce,
              std::function<void()> on_change);

 private:
  Status Watch(const std::string& relative);
  void do_read();
  void on_read(const boost::system::error_code& ec, size_t bytes);
  void HandleEvent(int wd, uint32_t mask, const std::string& name);
  void do_debounce();

  const std::string dir_;
  const std::chrono::milliseconds debounce_;
  const std::function<void()> on_change_;
  boost::asio::posix::stream_descriptor inotify_;
  boost::asio::steady_timer timer_;
  std::unordered_map<int, std::string> watched_;  // wd -> path relative to dir_
  alignas(8) std::array<char, 16 * 1024> buffer_;
};

}  // namespace reply::server

#endif  // REPLY_SERVER_PACK_WATCHER_H_
