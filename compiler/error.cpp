#include "error.hpp"

namespace actjit {

void internal_error(const char* file, int line, const char* condition, const std::string& message) {
    throw InternalError(fmt::format("internal error at {}:{}: {} ({}); this is a bug in actjit",
                                    file, line, message, condition));
}

}  // namespace actjit
