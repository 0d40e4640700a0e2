// DecodeSuggestFrame: the fast path of DecodeFrame (server/protocol.h) for
// the frames nearly all traffic is, well-formed suggest and trigger
// requests. It reads the JSON text once, straight into a ClientMessage,
// without building a JSON tree (which cost more than the engine's whole
// suggestion: a node and a string allocation per field, then a lookup per
// field read; docs/benchmarks.md, "Server").
//
//   ClientMessage m;
//   if (DecodeSuggestFrame(text, &m)) Handle(m);    // m is what DecodeFrame
//   else decoded = DecodeFrame(text);                // would have given
//
// It never decides that a frame is wrong. Whatever it is not certain about
// -- any error, a type other than suggest or trigger, a `history` (null
// aside), a known field given twice, a \u escape, an integer of more than 18
// digits, nesting deeper than strict_json::Reader::kMaxDepth, an unknown
// order field or a near miss of a request field (both warned about) --
// makes it return false, and DecodeFrame's general path (a JSON tree)
// decodes the frame and names the error. So errors and their messages stay
// those of the general path, and a frame it accepts decodes to exactly what
// the general path gives (tests/server/suggest_frame_decoder_test.cc checks
// the two against each other on valid and mutated frames).
//
// Thread safety: a pure function.
#ifndef REPLY_SERVER_SUGGEST_FRAME_DECODER_H_
#define REPLY_SERVER_SUGGEST_FRAME_DECODER_H_

#include <string_view>

#include "server/protocol.h"

namespace reply::server {

// True when `text` is a valid suggest or trigger frame; *out then holds its
// message. False: *out is unspecified and the frame needs DecodeFrame.
// With `bytes` kValidUtf8 (a promise, see FrameBytes) strings are not
// checked for UTF-8 again: a string between quotes of valid UTF-8 text is
// valid UTF-8, and the escapes taken stand for ASCII.
bool DecodeSuggestFrame(std::string_view text, ClientMessage* out,
                        FrameBytes bytes = FrameBytes::kUnchecked);

}  // namespace reply::server

#endif  // REPLY_SERVER_SUGGEST_FRAME_DECODER_H_
