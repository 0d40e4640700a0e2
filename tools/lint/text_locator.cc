#include "tools/lint/text_locator.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace reply::lint {

int TextLocator::Line(const SourceRef& where, int k) {
  const std::vector<std::string>& lines = File(where.file);
  if (where.line < 1 || where.line > static_cast<int>(lines.size()))
    return where.line;
  const std::string& first = lines[where.line - 1];
  const size_t indent = first.find_first_not_of(' ');
  for (int i = where.line - 1; i < static_cast<int>(lines.size()); ++i) {
    const std::string& l = lines[i];
    const size_t at = l.find_first_not_of(' ');
    if (at == std::string::npos) continue;
    if (i > where.line - 1 && at <= indent && l.compare(at, 1, "-") == 0)
      break;  // next variant
    const size_t key = l.find("text:");
    if (key == std::string::npos ||
        key != at + (l.compare(at, 2, "- ") == 0 ? 2 : 0))
      continue;
    const std::string rest = l.substr(key + 5);
    const size_t v = rest.find_first_not_of(' ');
    const bool block =
        v != std::string::npos && (rest[v] == '|' || rest[v] == '>');
    return block ? i + 1 + k : i + 1;
  }
  return where.line;
}

const std::vector<std::string>& TextLocator::File(const std::string& rel) {
  auto it = std::find_if(files_.begin(), files_.end(),
                         [&](const auto& f) { return f.first == rel; });
  if (it != files_.end()) return it->second;
  std::vector<std::string> lines;
  std::ifstream in(std::filesystem::path(dir_) / rel, std::ios::binary);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  files_.emplace_back(rel, std::move(lines));
  return files_.back().second;
}

}  // namespace reply::lint
