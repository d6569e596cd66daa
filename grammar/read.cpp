#include "read.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

namespace actjit {

namespace {

std::string too_big(size_t size, size_t limit) {
    return fmt::format("the file is {} bytes, over the limit of {} bytes", size, limit);
}

}  // namespace

ReadText read_text(const std::string& path, size_t limit) {
    const bool standard_input = path == "-";
    int fd = standard_input ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return {std::nullopt, std::string("cannot open the file: ") + std::strerror(errno)};
    struct Closer {
        int fd;
        bool owned;
        ~Closer() {
            if (owned) ::close(fd);
        }
    } closer{fd, !standard_input};
    struct stat info {};
    if (::fstat(fd, &info) != 0) return {std::nullopt, std::string("cannot read the file: ") + std::strerror(errno)};
    if (S_ISDIR(info.st_mode)) return {std::nullopt, "is a directory, not a file"};
    // Terminals are character devices too, and a user may type a file into one.
    if ((S_ISCHR(info.st_mode) && !::isatty(fd)) || S_ISBLK(info.st_mode))
        return {std::nullopt, "is a device, not a file"};
    if (S_ISREG(info.st_mode) && static_cast<unsigned long long>(info.st_size) > limit)
        return {std::nullopt, too_big(static_cast<size_t>(info.st_size), limit)};
    std::string text;
    if (S_ISREG(info.st_mode)) text.reserve(static_cast<size_t>(info.st_size));
    char buffer[65536];
    for (;;) {
        ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got < 0) {
            if (errno == EINTR) continue;
            return {std::nullopt, std::string("cannot read the file: ") + std::strerror(errno)};
        }
        if (got == 0) break;
        if (text.size() + static_cast<size_t>(got) > limit)
            return {std::nullopt, fmt::format("the input goes on past the limit of {} bytes", limit)};
        text.append(buffer, static_cast<size_t>(got));
    }
    return {std::move(text), {}};
}

}  // namespace actjit
