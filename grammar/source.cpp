#include "source.hpp"

#include "lookalike.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace actjit {

size_t utf8_sequence_length(std::string_view s, size_t i) {
    auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char b0 = byte(i);
    if (b0 < 0x80) return 1;
    size_t len = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 0;
    if (len == 0 || b0 > 0xF4 || b0 == 0xC0 || b0 == 0xC1 || i + len > s.size()) return 0;
    for (size_t k = 1; k < len; ++k)
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
    unsigned char b1 = byte(i + 1);
    if (b0 == 0xE0 && b1 < 0xA0) return 0;  // overlong
    if (b0 == 0xED && b1 > 0x9F) return 0;  // surrogate
    if (b0 == 0xF0 && b1 < 0x90) return 0;  // overlong
    if (b0 == 0xF4 && b1 > 0x8F) return 0;  // beyond U+10FFFF
    return len;
}

namespace {

// One code point (or one stray byte) of a source line as it is drawn.
struct Glyph {
    size_t offset;      // byte offset in the line
    std::string shown;  // what is printed for it
    bool tab;
};

std::vector<Glyph> glyphs_of(std::string_view line) {
    std::vector<Glyph> out;
    for (size_t i = 0; i < line.size();) {
        size_t len = utf8_sequence_length(line, i);
        auto c = static_cast<unsigned char>(line[i]);
        if (len == 0) {
            out.push_back({i, fmt::format("<{:02X}>", c), false});
            len = 1;
        } else if (c == '\t') {
            out.push_back({i, "\t", true});
        } else if (len == 1 && (c < 0x20 || c == 0x7F)) {
            out.push_back({i, fmt::format("<{:02X}>", c), false});
        } else if (const Lookalike* l = len > 1 ? lookalike(decode_utf8(line, i)) : nullptr; l && l->invisible) {
            out.push_back({i, fmt::format("<U+{:04X}>", l->code), false});  // else it would not be seen
        } else {
            out.push_back({i, std::string(line.substr(i, len)), false});
        }
        i += len;
    }
    return out;
}

// Display width of a glyph: one column per code point, the byte notation's own width.
size_t width_of(const Glyph& g) {
    return g.shown.size() > 1 && g.shown[0] == '<' ? g.shown.size() : 1;
}

}  // namespace

SourceFile::SourceFile(std::string name, std::string text)
    : name_(std::move(name)), text_(std::move(text)) {
    // A leading byte-order mark is ignored (LANGUAGE.md §1): positions count from after it.
    if (text_.compare(0, 3, "\xEF\xBB\xBF") == 0) text_.erase(0, 3);
    line_starts_.push_back(0);
    for (size_t i = 0; i < text_.size(); ++i) {
        if (text_[i] == '\r' && i + 1 < text_.size() && text_[i + 1] == '\n') ++i;
        if (text_[i] == '\n' || text_[i] == '\r')
            line_starts_.push_back(static_cast<uint32_t>(i + 1));
    }
}

LineColumn SourceFile::position(uint32_t offset) const {
    offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    auto line = static_cast<uint32_t>(it - line_starts_.begin());
    uint32_t start = line_starts_[line - 1];
    uint32_t column = 1;
    std::string_view rest = std::string_view(text_).substr(start, offset - start);
    for (size_t i = 0; i < rest.size(); ++column) {
        size_t len = utf8_sequence_length(rest, i);
        i += len == 0 ? 1 : len;
    }
    return {line, column};
}

std::string_view SourceFile::line_text(uint32_t line) const {
    if (line == 0 || line > line_starts_.size()) return {};
    uint32_t start = line_starts_[line - 1];
    uint32_t end = line < line_starts_.size() ? line_starts_[line] : static_cast<uint32_t>(text_.size());
    std::string_view s = std::string_view(text_).substr(start, end - start);
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

void Diagnostics::error(SourceRange range, std::string message) {
    left_out_ = false;
    if (limit_ != 0 && errors_ >= limit_) {
        ++dropped_;
        return;
    }
    list_.push_back({Severity::Error, range, std::move(message)});
    ++errors_;
}

void Diagnostics::warning(SourceRange range, std::string_view flag, std::string message) {
    if (warnings_mode_ == Warnings::Off || std::find(disabled_.begin(), disabled_.end(), flag) != disabled_.end()) {
        left_out_ = true;
        return;
    }
    if (warnings_mode_ == Warnings::AsErrors) {
        size_t before = errors_;
        error(range, fmt::format("{} [-Werror,-W{}]", message, flag));
        promoted_ += errors_ - before;
        return;
    }
    left_out_ = false;
    list_.push_back({Severity::Warning, range, fmt::format("{} [-W{}]", message, flag)});
    ++warnings_;
}

void Diagnostics::note(SourceRange range, std::string message, const SourceFile* file) {
    if (dropped_ > 0 || left_out_) return;  // it would attach to a dropped error or a left-out warning
    list_.push_back({Severity::Note, range, std::move(message), file});
}

void Diagnostics::truncate(size_t count) {
    // What an abandoned attempt dropped went with it.
    dropped_ = 0;
    if (count >= list_.size()) return;
    list_.resize(count);
    errors_ = static_cast<size_t>(std::count_if(list_.begin(), list_.end(), [](const Diagnostic& d) {
        return d.severity == Severity::Error;
    }));
    warnings_ = static_cast<size_t>(std::count_if(list_.begin(), list_.end(), [](const Diagnostic& d) {
        return d.severity == Severity::Warning;
    }));
    promoted_ = static_cast<size_t>(std::count_if(list_.begin(), list_.end(), [](const Diagnostic& d) {
        return d.severity == Severity::Error && d.message.find(" [-Werror,-W") != std::string::npos;
    }));
}

std::vector<Diagnostic> Diagnostics::sorted() const {
    // Group each error with the notes that follow it, then order groups by position.
    std::vector<std::pair<size_t, size_t>> groups;  // [first, last) indices into list_
    for (size_t i = 0; i < list_.size(); ++i) {
        if (list_[i].severity != Severity::Note || groups.empty())
            groups.push_back({i, i + 1});
        else
            groups.back().second = i + 1;
    }
    // By position; equal positions keep the order they were reported in.
    std::sort(groups.begin(), groups.end(), [&](auto a, auto b) {
        uint32_t pa = list_[a.first].range.begin, pb = list_[b.first].range.begin;
        return pa != pb ? pa < pb : a.first < b.first;
    });
    std::vector<Diagnostic> out;
    out.reserve(list_.size());
    for (auto [first, last] : groups)
        out.insert(out.end(), list_.begin() + first, list_.begin() + last);
    return out;
}

namespace {

// ANSI escapes, as clang uses them.
struct Colours {
    const char *bold, *severity, *caret, *reset;
};
Colours colours(bool on, Severity s) {
    if (!on) return {"", "", "", ""};
    const char* severity = s == Severity::Error ? "\033[1;31m" : s == Severity::Warning ? "\033[1;35m" : "\033[1;36m";
    return {"\033[1m", severity, "\033[1;32m", "\033[0m"};
}

}  // namespace

std::string render(const SourceFile& reported_on, const Diagnostic& d, bool colour) {
    const SourceFile& file = d.file ? *d.file : reported_on;
    LineColumn at = file.position(d.range.begin);
    Colours c = colours(colour, d.severity);
    std::string out = fmt::format("{}{}:{}:{}: {}{}: {}{}{}{}\n", c.bold, file.name(), at.line, at.column, c.severity,
                                  d.severity == Severity::Error     ? "error"
                                  : d.severity == Severity::Warning ? "warning"
                                                                    : "note",
                                  c.reset, c.bold, d.message, c.reset);
    std::string_view line = file.line_text(at.line);
    // Byte offsets of the range relative to the line's start.
    size_t line_start = static_cast<size_t>(line.data() - file.text().data());
    size_t from = d.range.begin - line_start;
    size_t to = std::max<size_t>(from, std::min<size_t>(d.range.end - line_start, line.size()));
    if (to == from && from < line.size()) to = from + 1;  // a point marks the column it is at

    // A long line is cut to a window around the caret, marked with "..." at the cuts;
    // first to some hundreds of bytes each side, so that a line of megabytes costs no
    // more than a short one.
    constexpr size_t reach = 512;
    size_t base = from > reach ? from - reach : 0;
    while (base > 0 && base < line.size() && (static_cast<unsigned char>(line[base]) & 0xC0) == 0x80) ++base;
    size_t stop = std::min(line.size(), to + reach);
    const bool cut_front = base > 0, cut_back = stop < line.size();
    std::vector<Glyph> glyphs = glyphs_of(line.substr(base, stop - base));
    for (Glyph& g : glyphs) g.offset += base;
    size_t caret = 0;
    while (caret < glyphs.size() && glyphs[caret].offset < from) ++caret;
    constexpr size_t window = 100;
    size_t first = 0, last = glyphs.size();
    if (glyphs.size() > window) {
        first = caret > window / 2 ? caret - window / 2 : 0;
        last = std::min(glyphs.size(), first + window);
    }
    std::string source_line, marks;
    if (first > 0 || cut_front) {
        source_line += "...";
        marks += "   ";
    }
    bool caret_placed = false;
    for (size_t k = first; k < last; ++k) {
        const Glyph& g = glyphs[k];
        source_line += g.shown;
        size_t width = width_of(g);
        char mark = ' ';
        if (g.offset >= from && g.offset < to) mark = caret_placed ? '~' : '^';
        if (mark == ' ' && g.tab) {
            marks += '\t';
        } else if (mark == '^') {
            caret_placed = true;
            marks += '^' + std::string(width - 1, '~');
        } else {
            marks += std::string(width, mark);
        }
    }
    if (last < glyphs.size() || cut_back) source_line += "...";
    if (!caret_placed) marks += '^';  // the range starts at the end of the line
    while (!marks.empty() && marks.back() == ' ') marks.pop_back();
    out += source_line + "\n" + c.caret + marks + c.reset + "\n";
    return out;
}

std::string render_all(const SourceFile& file, const Diagnostics& diagnostics, bool colour) {
    std::string out;
    for (const Diagnostic& d : diagnostics.sorted()) out += render(file, d, colour);
    if (diagnostics.full()) {
        Colours c = colours(colour, Severity::Error);
        out += fmt::format("{}{}: {}error:{} {}too many errors, stopping after the first {}{}\n", c.bold, file.name(),
                           c.severity, c.reset, c.bold, diagnostics.limit(), c.reset);
    }
    return out;
}

}  // namespace actjit
