// Static files of the web root (--web), served at / for the chat widget and
// the agent console pages.
//
//   Result<StaticFile> file = ReadStaticFile("web", "/widget/app.js");
//   // "/" and directories serve their index.html
//
// Paths that would leave the root ("..", NUL, backslash) are refused as
// bad_request; a missing file is io_error (404). Limit: files up to
// kMaxStaticFileBytes.
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

Result<StaticFile> ReadStaticFile(const std::string& root,
                                  std::string_view url_path);

}  // namespace reply::server

#endif  // REPLY_SERVER_STATIC_FILES_H_
