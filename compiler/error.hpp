// Internal errors: a broken invariant of the compiler itself, never a user's mistake.
// ACT_ASSERT records the condition and builds its message only when it fails.
#pragma once

#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace actjit {

struct InternalError : std::logic_error {
    using std::logic_error::logic_error;
};

[[noreturn]] void internal_error(const char* file, int line, const char* condition,
                                 const std::string& message);

}  // namespace actjit

#define ACT_ASSERT(condition, ...)                                                        \
    do {                                                                                  \
        if (!(condition))                                                                 \
            ::actjit::internal_error(__FILE__, __LINE__, #condition, fmt::format(__VA_ARGS__)); \
    } while (false)
