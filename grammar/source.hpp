// A .act file's text with its line table, and the diagnostics that point into it.
// Positions are byte offsets; lines and columns are computed only when a diagnostic
// is drawn (columns count Unicode code points, so a caret lines up under UTF-8 text).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace actjit {

// A half-open byte range [begin, end) in one SourceFile. begin == end is a point.
struct SourceRange {
    uint32_t begin = 0;
    uint32_t end = 0;
};

struct LineColumn {
    uint32_t line = 1;    // 1-based
    uint32_t column = 1;  // 1-based, in code points
};

class SourceFile {
public:
    // A leading UTF-8 byte-order mark is dropped from `text` (LANGUAGE.md §1).
    SourceFile(std::string name, std::string text);

    const std::string& name() const { return name_; }
    std::string_view text() const { return text_; }

    // Line and column of a byte offset; LF, CRLF and a lone CR each end a line.
    LineColumn position(uint32_t offset) const;
    // The text of a 1-based line, without its line end.
    std::string_view line_text(uint32_t line) const;

private:
    std::string name_;
    std::string text_;
    std::vector<uint32_t> line_starts_;  // offset of the first byte of each line
};

// Length of the well-formed UTF-8 sequence at text[i], or 0 for a stray byte (a lone
// continuation byte, a truncated or overlong sequence, a surrogate, > U+10FFFF).
size_t utf8_sequence_length(std::string_view text, size_t i);

enum class Severity { Error, Warning, Note };

// How warnings are reported: shown (the default), left out (-w), or as errors (-Werror).
enum class Warnings { Show, Off, AsErrors };

struct Diagnostic {
    Severity severity = Severity::Error;
    SourceRange range;
    std::string message;
    const SourceFile* file = nullptr;  // a note's other file (a used one); null: the file reported on
};

// What the passes of the front end report into. Passes never print.
class Diagnostics {
public:
    void error(SourceRange range, std::string message);
    // A warning of a named kind (`flag`, as in -Wunused-input), ended by "[-Wflag]".
    void warning(SourceRange range, std::string_view flag, std::string message);
    // A note attaches to the diagnostic reported just before it; `file`, when given,
    // is another file the note points into (a definition in a used file).
    void note(SourceRange range, std::string message, const SourceFile* file = nullptr);
    void set_warnings(Warnings w) { warnings_mode_ = w; }
    void disable_warning(std::string flag) { disabled_.push_back(std::move(flag)); }  // -Wno-FLAG
    size_t warning_count() const { return warnings_; }
    // Errors that are not warnings made errors by -Werror.
    size_t hard_error_count() const { return errors_ - promoted_; }

    // Drops everything reported after the first `count` diagnostics (a parse attempt
    // that was abandoned).
    size_t count() const { return list_.size(); }
    void truncate(size_t count);

    bool has_errors() const { return errors_ > 0; }
    size_t error_count() const { return errors_; }

    // At most `limit` errors are kept (0: no limit), as clang's -ferror-limit: an error
    // past them (and its notes) is dropped, full() then tells the passes to stop, and
    // render_all says it stopped. Bounds the time and memory garbage input can take.
    void set_limit(size_t limit) { limit_ = limit; }
    size_t limit() const { return limit_; }
    bool full() const { return dropped_ > 0; }
    const std::vector<Diagnostic>& all() const { return list_; }

    // Errors in file order (stable for equal positions), each followed by its notes.
    std::vector<Diagnostic> sorted() const;

private:
    std::vector<Diagnostic> list_;
    size_t errors_ = 0;
    size_t warnings_ = 0;
    size_t promoted_ = 0;  // warnings made errors
    size_t limit_ = 0;
    size_t dropped_ = 0;  // errors past the limit
    bool left_out_ = false;  // the last warning was left out (-w): so are its notes
    Warnings warnings_mode_ = Warnings::Show;
    std::vector<std::string> disabled_;
};

// Draws one diagnostic: `FILE:LINE:COL: error: MESSAGE`, the source line, and a
// caret under the start of the range with `~` under the rest of it on that line.
// With `colour`, in clang's colours (ANSI escapes): the position and message bold, the
// severity red, magenta or cyan, the caret line green.
std::string render(const SourceFile& file, const Diagnostic& diagnostic, bool colour = false);

// Every diagnostic of `diagnostics`, in file order, then "too many errors, stopping" if
// some were dropped at the limit.
std::string render_all(const SourceFile& file, const Diagnostics& diagnostics, bool colour = false);

}  // namespace actjit
