// Explanation: what `replyctl explain` shows about one request, built from
// the engine's Trace (Engine::Explain) as JSON, and printed for people.
//
//   Trace trace;
//   Result<Response> response = engine.Explain(request, &trace);
//   nlohmann::ordered_json e = BuildExplanation(request, *response, trace,
//                                               pack_dir);
//   PrintExplanation(e, std::cout);   // or std::cout << e.dump(2)
//
// It holds the normalized text and the words the locale's abbreviations
// and dialect table wrote out in it; every pattern that matched, match and exclude, with its
// file:line, the pattern as written, the span it matched in the buyer's
// original message (through the normalizer's offsets) and, for a pattern
// made of concepts, the entry of each that matched; what each firing
// exclude did; the intents chosen; every fact;
// for each intent, each reply variant in the order the engine ranks them
// with its `when`, each test of it with its value and the values of the
// facts it reads, the placeholders that had no value, and why it was or was
// not offered; and the replies. Triggers are shown for trigger requests.
// docs/authoring.md ("replyctl explain") shows the output; replyd answers
// an `explain` request with the same JSON (docs/protocol.md).
//
// Thread safety: pure functions.
#ifndef REPLY_ENGINE_EXPLAIN_EXPLANATION_H_
#define REPLY_ENGINE_EXPLAIN_EXPLANATION_H_

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "engine/engine.h"
#include "engine/pipeline/pipeline.h"

namespace reply {

// `pack_dir` prefixes the files named (as PackPath does), so an author can
// open them from the current directory.
nlohmann::ordered_json BuildExplanation(const Request& request,
                                        const Response& response,
                                        const Trace& trace,
                                        const std::string& pack_dir);

// The explanation as plain text, sections in pipeline order.
void PrintExplanation(const nlohmann::ordered_json& explanation,
                      std::ostream& out);

}  // namespace reply

#endif  // REPLY_ENGINE_EXPLAIN_EXPLANATION_H_
