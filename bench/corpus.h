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

// `count` RE2 patterns over the dev-set vocabulary, deterministic.
std::vector<std::string> GeneratePatterns(size_t count, unsigned seed = 7);

}  // namespace reply::bench

#endif  // REPLY_BENCH_CORPUS_H_
