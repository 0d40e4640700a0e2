// FUZZ_CHECK: a property a fuzz target asserts about the code under test.
// A failure prints the condition and what broke it, then aborts, which
// libFuzzer reports as a crash and saves the input that caused it.
//
//   FUZZ_CHECK(fast.text == traced.text, "explain path: " + traced.text);
//
// Thread safety: only for the fuzz targets' single thread.
#ifndef REPLY_FUZZ_FUZZ_CHECK_H_
#define REPLY_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>
#include <string>

#define FUZZ_CHECK(condition, message)                                     \
  do {                                                                     \
    if (!(condition)) {                                                    \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK(%s) failed: %s\n", __FILE__, \
                   __LINE__, #condition, std::string(message).c_str());    \
      std::abort();                                                        \
    }                                                                      \
  } while (0)

#endif  // REPLY_FUZZ_FUZZ_CHECK_H_
