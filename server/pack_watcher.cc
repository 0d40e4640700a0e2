#include "server/pack_watcher.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <boost/asio/dispatch.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "server/log.h"

namespace reply::server {
namespace {

constexpr uint32_t kFileEvents = IN_CLOSE_WRITE | IN_MODIFY | IN_MOVED_TO |
                                 IN_MOVED_FROM | IN_CREATE | IN_DELETE;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

Result<std::shared_ptr<PackWatcher>> PackWatcher::Start(
    boost::asio::any_io_executor executor, std::string dir,
    std::chrono::milliseconds debounce, std::function<void()> on_change) {
  const int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0)
    return Status::IoError(std::string("inotify: ") + std::strerror(errno));
  auto watcher = std::make_shared<PackWatcher>(
      std::move(executor), fd, std::move(dir), debounce, std::move(on_change));
  for (const char* top : {"", "intents", "templates", "shops"}) {
    if (Status s = watcher->Watch(top); !s.ok()) {
      if (*top == '\0') return s;  // the pack directory itself must be there
    }
  }
  boost::asio::dispatch(watcher->inotify_.get_executor(),
                        [watcher] { watcher->do_read(); });
  return watcher;
}

PackWatcher::PackWatcher(boost::asio::any_io_executor executor, int fd,
                         std::string dir, std::chrono::milliseconds debounce,
                         std::function<void()> on_change)
    : dir_(std::move(dir)),
      debounce_(debounce),
      on_change_(std::move(on_change)),
      inotify_(executor, fd),
      timer_(executor) {}

void PackWatcher::Stop() {
  boost::asio::dispatch(inotify_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->inotify_.close(ignored);
    self->timer_.cancel();
  });
}

// Watches dir_/relative and, below intents/, templates/ and shops/, its
// subdirectories.
Status PackWatcher::Watch(const std::string& relative) {
  const std::filesystem::path path = std::filesystem::path(dir_) / relative;
  const int wd = inotify_add_watch(inotify_.native_handle(), path.c_str(),
                                   kFileEvents | IN_ONLYDIR);
  if (wd < 0) {
    return Status::IoError(path.string() +
                           ": cannot watch: " + std::strerror(errno));
  }
  watched_[wd] = relative;
  if (relative.empty()) return Status::Ok();
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
    if (entry.is_directory(ec)) {
      Watch(relative + "/" + entry.path().filename().string());
    }
  }
  return Status::Ok();
}

void PackWatcher::do_read() {
  inotify_.async_read_some(
      boost::asio::buffer(buffer_),
      [self = shared_from_this()](const boost::system::error_code& ec,
                                  size_t n) { self->on_read(ec, n); });
}

void PackWatcher::on_read(const boost::system::error_code& ec, size_t bytes) {
  if (ec) {
    if (ec != boost::asio::error::operation_aborted) {
      Log(LogLevel::kError, "pack_watch_failed", {{"error", ec.message()}});
    }
    return;
  }
  size_t offset = 0;
  while (offset + sizeof(inotify_event) <= bytes) {
    inotify_event event;
    std::memcpy(&event, buffer_.data() + offset, sizeof event);
    const char* name_start = buffer_.data() + offset + sizeof(inotify_event);
    const std::string name =
        event.len ? std::string(name_start) : std::string();
    HandleEvent(event.wd, event.mask, name);
    offset += sizeof(inotify_event) + event.len;
  }
  do_read();
}

void PackWatcher::HandleEvent(int wd, uint32_t mask, const std::string& name) {
  if (mask & IN_Q_OVERFLOW) {  // events were lost: assume the worst
    do_debounce();
    return;
  }
  auto it = watched_.find(wd);
  if (it == watched_.end()) return;
  if (mask & IN_IGNORED) {  // the directory went away
    watched_.erase(it);
    return;
  }
  const std::string& where = it->second;
  if (mask & IN_ISDIR) {
    if (where.empty() && name != "intents" && name != "templates" &&
        name != "shops") {
      return;
    }
    if (mask & (IN_CREATE | IN_MOVED_TO)) {
      Watch(where.empty() ? name : where + "/" + name);
    }
    do_debounce();
    return;
  }
  const bool relevant =
      where.empty() ? name == "shop.yaml" : EndsWith(name, ".yaml");
  if (relevant) do_debounce();
}

void PackWatcher::do_debounce() {
  timer_.expires_after(debounce_);  // cancels a wait in progress
  timer_.async_wait(
      [self = shared_from_this()](const boost::system::error_code& ec) {
        if (ec) return;  // restarted by a newer change, or stopped
        self->on_change_();
      });
}

}  // namespace reply::server
