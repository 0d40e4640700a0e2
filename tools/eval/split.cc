#include "tools/eval/split.h"

#include <openssl/evp.h>

#include <fstream>

namespace reply::eval {
Result<Half> ParseHalf(std::string_view name) {
  if (std::optional<Half> half = FromName(kHalfNames, name)) return *half;
  return Status::BadRequest("half: '" + std::string(name.substr(0, 32)) +
                            "' is not a half; expected dev or heldout");
}

std::string Sha256Hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

Result<Split> Split::Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(path + ": cannot open");
  Split split;
  split.path_ = path;
  std::string line;
  int set_col = -1, hash_col = -1, half_col = -1;
  for (int number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const std::vector<std::string> fields = SplitTabs(line);
    const auto fail = [&](const std::string& why) {
      return Status::BadRequest(path + ":" + std::to_string(number) + ": " +
                                why);
    };
    if (set_col < 0) {
      for (size_t i = 0; i < fields.size(); ++i) {
        if (fields[i] == "set") set_col = static_cast<int>(i);
        if (fields[i] == "sha256") hash_col = static_cast<int>(i);
        if (fields[i] == "half") half_col = static_cast<int>(i);
      }
      if (set_col < 0 || hash_col < 0 || half_col < 0) {
        return fail("expected a header naming the columns set, sha256, half");
      }
      continue;
    }
    const size_t needed =
        static_cast<size_t>(std::max({set_col, hash_col, half_col})) + 1;
    if (fields.size() < needed) {
      return fail("expected " + std::to_string(needed) + " columns, got " +
                  std::to_string(fields.size()));
    }
    Result<Half> half = ParseHalf(fields[half_col]);
    if (!half.ok()) return fail(half.status().message());
    const std::string& hash = fields[hash_col];
    if (hash.size() != 64 ||
        hash.find_first_not_of("0123456789abcdef") != std::string::npos) {
      return fail("sha256: expected 64 lower-case hex digits");
    }
    split.halves_[fields[set_col]][hash] = *half;
  }
  if (set_col < 0) return Status::BadRequest(path + ": empty");
  return split;
}

Result<std::vector<LabelledMessage>> Split::Select(
    const std::vector<LabelledMessage>& messages, const std::string& set,
    Half half) const {
  const auto it = halves_.find(set);
  if (it == halves_.end()) {
    std::string sets;
    for (const auto& [name, rows] : halves_) {
      sets += (sets.empty() ? "" : ", ") + name;
    }
    return Status::BadRequest(path_ + " records no lines of '" + set +
                              "' (the labelled file's name); its sets are " +
                              sets);
  }
  std::vector<LabelledMessage> out;
  int missing = 0;
  std::string first_missing;
  for (const LabelledMessage& m : messages) {
    const auto row = it->second.find(Sha256Hex(m.text));
    if (row == it->second.end()) {
      // Line numbers only: a new line may belong to the held-out half once
      // the split is extended, so its text is not shown.
      if (++missing <= 5) {
        first_missing +=
            (first_missing.empty() ? "" : ", ") + std::to_string(m.line);
      }
      continue;
    }
    if (row->second == half) out.push_back(m);
  }
  if (missing > 0) {
    return Status::BadRequest(
        std::to_string(missing) + " of " + std::to_string(messages.size()) +
        " lines of " + set + " are in neither half of " + path_ + " (lines " +
        first_missing + (missing > 5 ? ", ..." : "") +
        "): new lines belong to no half until the split is extended");
  }
  return out;
}

}  // namespace reply::eval
