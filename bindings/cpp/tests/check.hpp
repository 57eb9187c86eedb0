// check.hpp — the counters, CHECK macro and test runner the C++ binding's
// test programs share. Each program includes it once.
#pragma once

#include "pgtc.hpp"

#include <cstdio>
#include <functional>
#include <utility>

static int passed = 0, failed = 0;

#define CHECK(cond)                                                                      \
    do {                                                                                 \
        if (cond) {                                                                      \
            ++passed;                                                                    \
        } else {                                                                         \
            ++failed;                                                                    \
            std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                                \
    } while (0)

// Run each named test, reporting an exception it did not expect as a
// failure, then print "<label>: N passed, M failed"; the exit status.
template <size_t N>
static int run_tests(const char *label, const std::pair<const char *, std::function<void()>> (&tests)[N]) {
    for (const auto &[name, fn] : tests) {
        int before = failed;
        try {
            fn();
        } catch (const pgtc::Error &e) {
            ++failed;
            std::fprintf(stderr, "%s: unexpected pgtc::Error %s [%s] (SQLSTATE %s)\n", name, e.what(),
                         e.status_name(), e.sqlstate().c_str());
        } catch (const std::exception &e) {
            ++failed;
            std::fprintf(stderr, "%s: unexpected exception: %s\n", name, e.what());
        }
        std::printf("%-34s %s\n", name, failed == before ? "ok" : "FAILED");
    }
    std::printf("%s: %d passed, %d failed\n", label, passed, failed);
    return failed == 0 ? 0 : 1;
}
