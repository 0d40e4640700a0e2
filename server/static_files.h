// Static files of the web root (--web), served at / for the chat widget and
// the agent console pages.
//
//   Result<StaticFile> file = ReadStaticFile("web", "/widget/app.js");
//   // "/" and directories ("/widget/") serve their index.html
//
// Nothing outside the root can be reached, by construction: the path is
// split at '/' and each segment, percent-decoded, is opened with openat()
// relative to the directory opened before it, with O_NOFOLLOW, starting from
// the root. No path string is ever handed to the file system whole, so an
// absolute path ("//etc/passwd") or ".." has nothing to act on, and a
// symbolic link anywhere under the root (to a file or a directory, inside the
// root or out of it) is never followed.
//
// Refused as bad_request (400): a path not starting with '/', an empty
// segment ("//x", "/a//b"), "." or "..", a segment holding '/', '\', NUL or
// another control character once percent-decoded ("%2F", "%5C", "%00",
// "%2e%2e"), a malformed escape ("%zz", "%2"). Refused as not_found (404):
// a name starting with '.' (".git", ".env"), a missing file, a symbolic
// link, anything but a regular file or directory (FIFOs, devices), a file
// over kMaxStaticFileBytes. Error messages never quote the path: they end up
// in response bodies.
//
// Thread safety: pure functions (they read the file system).
#ifndef REPLY_SERVER_STATIC_FILES_H_
#define REPLY_SERVER_STATIC_FILES_H_

#include <string>
#include <string_view>

#include "engine/base/status.h"

namespace reply::server {

inline constexpr size_t kMaxStaticFileBytes = 16 << 20;

struct StaticFile {
  std::string body;
  std::string_view content_type;
};

// `url_path` is the request target's path, without the query.
Result<StaticFile> ReadStaticFile(const std::string& root,
                                  std::string_view url_path);

}  // namespace reply::server

#endif  // REPLY_SERVER_STATIC_FILES_H_
