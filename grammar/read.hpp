// Reading a .act file's text from anything a user names: a regular file, a pipe, a FIFO,
// a process substitution (`<(...)`), a socket or a terminal, each read to its end (a pipe
// has no size to ask for beforehand); "-" is standard input. A directory or a device is
// refused by name, and reading stops at a size limit whatever the source.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace actjit {

struct ReadText {
    std::optional<std::string> text;
    std::string error;  // when there is no text: why, as "cannot open the file: ..." or "is a directory"
};

ReadText read_text(const std::string& path, size_t limit);

}  // namespace actjit
