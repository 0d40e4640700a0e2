// What the suggest() benchmarks share (suggest_bench, conversation_bench):
// the engine over the repository's packs, the overdue order they ask about,
// and unseen messages that carry an intent. One definition, so the two
// benchmarks measure the same request and their numbers compare.
//
// Thread safety: BenchEngine() is built once, on first use; the rest are
// pure functions.
#ifndef REPLY_BENCH_SUGGEST_FIXTURE_H_
#define REPLY_BENCH_SUGGEST_FIXTURE_H_

#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/order/order.h"

namespace reply::bench {

// The engine on the packs of the source tree.
Engine& BenchEngine();

// A paid order past the 48-hour promise at the benchmarks' clock
// (kBenchNow), with an item, a carrier and a buyer.
Order OverdueOrder();
inline constexpr char kBenchNow[] = "2026-11-23T10:00:00+08:00";

// `count` unseen messages (UnseenMessages(count, seed)), each ending in one
// of the zh pack's examples (picked with `pick_seed`), so each carries an
// intent and replies are chosen and rendered.
std::vector<std::string> MessagesWithIntent(size_t count, unsigned seed,
                                            unsigned pick_seed);

}  // namespace reply::bench

#endif  // REPLY_BENCH_SUGGEST_FIXTURE_H_
