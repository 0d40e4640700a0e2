#include "server/static_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <utility>
#include <vector>

namespace reply::server {
namespace {

// Closes a file descriptor when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      if (fd_ >= 0) ::close(fd_);
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

Status BadPath() { return Status::BadRequest("bad path"); }
Status NotFound() { return Status::IoError("not found"); }

std::string_view ContentType(std::string_view name) {
  const size_t dot = name.rfind('.');
  const std::string_view ext =
      dot == std::string_view::npos ? std::string_view() : name.substr(dot);
  if (ext == ".html" || ext == ".htm") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt" || ext == ".md") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// One path segment, percent-decoded, if it may name a file in a directory:
// not empty, not "." or "..", no '/', '\' or control character (NUL
// included) whether written as is or escaped.
std::optional<std::string> DecodeSegment(std::string_view raw) {
  std::string name;
  name.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '%') {
      if (i + 2 >= raw.size()) return std::nullopt;
      const int hi = HexDigit(raw[i + 1]);
      const int lo = HexDigit(raw[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f || c == '/' || c == '\\') {
      return std::nullopt;
    }
    name.push_back(c);
  }
  if (name.empty() || name == "." || name == "..") return std::nullopt;
  return name;
}

// The decoded segments of `url_path` ("/a/b/" -> {"a", "b"}, with
// *directory set by the trailing '/').
Result<std::vector<std::string>> SplitPath(std::string_view url_path,
                                           bool* directory) {
  if (url_path.empty() || url_path[0] != '/' ||
      url_path.find("//") != std::string_view::npos) {
    return BadPath();
  }
  std::string_view rest = url_path.substr(1);
  *directory = rest.empty() || rest.back() == '/';
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  std::vector<std::string> names;
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    std::optional<std::string> name = DecodeSegment(rest.substr(0, slash));
    if (!name) return BadPath();
    names.push_back(std::move(*name));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return names;
}

// Opens `name` in the directory `dir` without following a symbolic link,
// and without blocking on a FIFO; nullopt unless it is a regular file or a
// directory.
std::optional<Fd> OpenEntry(int dir, const std::string& name, struct stat* st) {
  Fd fd(::openat(dir, name.c_str(),
                 O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (!fd.ok() || ::fstat(fd.get(), st) != 0) return std::nullopt;
  if (!S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode)) return std::nullopt;
  return fd;
}

Result<std::string> ReadAll(int fd, size_t size) {
  std::string body(size, '\0');
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::read(fd, body.data() + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::IoError("not readable");
    if (n == 0) break;  // shrank while being read
    done += static_cast<size_t>(n);
  }
  body.resize(done);
  return body;
}

}  // namespace

Result<StaticFile> ReadStaticFile(const std::string& root,
                                  std::string_view url_path) {
  bool directory = false;
  Result<std::vector<std::string>> names = SplitPath(url_path, &directory);
  if (!names.ok()) return names.status();
  if (directory) names->push_back("index.html");
  for (const std::string& name : *names) {
    if (name[0] == '.') return NotFound();  // .git, .env, .htpasswd
  }

  // The root itself is the operator's choice and may be a symbolic link.
  Fd current(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!current.ok()) return NotFound();
  struct stat st {};
  std::string_view served = names->back();
  for (size_t i = 0; i < names->size(); ++i) {
    std::optional<Fd> next = OpenEntry(current.get(), (*names)[i], &st);
    if (!next) return NotFound();
    current = std::move(*next);
    const bool last = i + 1 == names->size();
    if (!last && !S_ISDIR(st.st_mode)) return NotFound();
    if (last && S_ISDIR(st.st_mode)) {
      // "/widget" names a directory: its index.html.
      next = OpenEntry(current.get(), "index.html", &st);
      if (!next || !S_ISREG(st.st_mode)) return NotFound();
      current = std::move(*next);
      served = "index.html";
    }
  }
  if (!S_ISREG(st.st_mode)) return NotFound();
  if (static_cast<uint64_t>(st.st_size) > kMaxStaticFileBytes) {
    return NotFound();
  }
  Result<std::string> body =
      ReadAll(current.get(), static_cast<size_t>(st.st_size));
  if (!body.ok()) return body.status();
  return StaticFile{std::move(*body), ContentType(served)};
}

}  // namespace reply::server
