// The one source of reply_test_pch, the target that owns the tests'
// precompiled header.
