#include "server/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace reply::server {
namespace {

std::string_view ContentType(const std::filesystem::path& path) {
  const std::string ext = path.extension().string();
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

}  // namespace

Result<StaticFile> ReadStaticFile(const std::string& root,
                                  std::string_view url_path) {
  if (url_path.empty() || url_path[0] != '/' ||
      url_path.find("..") != std::string_view::npos ||
      url_path.find('\\') != std::string_view::npos ||
      url_path.find('\0') != std::string_view::npos) {
    return Status::BadRequest("path: not a file under the web root");
  }
  std::filesystem::path path = std::filesystem::path(root) / url_path.substr(1);
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) path /= "index.html";
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Status::IoError(std::string(url_path) + ": not found");
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size > kMaxStaticFileBytes) {
    return Status::IoError(std::string(url_path) + ": not readable");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream body;
  body << in.rdbuf();
  if (!in) return Status::IoError(std::string(url_path) + ": not readable");
  return StaticFile{body.str(), ContentType(path)};
}

}  // namespace reply::server
