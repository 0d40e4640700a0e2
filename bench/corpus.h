// Inputs for the benchmarks: streams of buyer messages the matcher has never
// seen, and generated pattern sets of any size.
//
// A warm regex cache flatters a matcher by 10-1000x, so benchmarks never
// repeat a message: UnseenMessages splices a prefix of one dev-set message
// onto the suffix of another, giving as many distinct, realistic messages as
// asked for. GeneratePatterns builds gap patterns of the kind packs use
// ("A.{0,6}B", "(A|B)C") from the dev set's own vocabulary.
#ifndef REPLY_BENCH_CORPUS_H_
#define REPLY_BENCH_CORPUS_H_

#include <string>
#include <vector>

namespace reply::bench {

// The dev-set messages (text column of ecd_buyer_messages.tsv).
std::vector<std::string> DevMessages();

// `count` distinct messages, deterministic for a given seed. With
// `min_chars`, pieces are spliced on until a message has at least that many
// characters (capped at 60).
std::vector<std::string> UnseenMessages(size_t count, unsigned seed = 1,
                                        size_t min_chars = 0);

// The same splicing over other messages (`base`, at least two).
std::vector<std::string> UnseenMessagesFrom(
    const std::vector<std::string>& base, size_t count, unsigned seed = 1,
    size_t min_chars = 0);

// Vietnamese buyer messages for the benchmarks: the bundled vi pack's own
// examples and counter-examples (pack_dir/intents/vi), each also typed
// without diacritics and in teencode, so the stream has all three kinds.
// (The labelled Vietnamese set is an evaluation set with a held-out half:
// the benchmarks do not read it.)
std::vector<std::string> VietnameseMessages(const std::string& pack_dir);

// `count` RE2 patterns over the dev-set vocabulary, deterministic.
std::vector<std::string> GeneratePatterns(size_t count, unsigned seed = 7);

}  // namespace reply::bench

#endif  // REPLY_BENCH_CORPUS_H_
