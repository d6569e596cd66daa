#include "format.hpp"

#include <algorithm>

#include "printer.hpp"

namespace actjit {

namespace {

bool line_end(char c) { return c == '\n' || c == '\r'; }
bool blank(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; }

// Line breaks in text[from, to) (CRLF is one).
int line_breaks(std::string_view text, uint32_t from, uint32_t to) {
    int n = 0;
    for (uint32_t i = from; i < to; ++i)
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= to || text[i + 1] != '\n'))) ++n;
    return n;
}

struct Item {
    SourceRange range;
    std::string text;
};

class Formatter {
public:
    explicit Formatter(std::string_view text) : text_(text) {}

    // An element of the output that starts at `begin` in the source and ends at `end`:
    // a blank line before it where the source has one since the previous element.
    void element(uint32_t begin, uint32_t end, const std::string& lines) {
        if (any_ && line_breaks(text_, previous_end_, begin) >= 2) out_ += '\n';
        out_ += lines;
        any_ = true;
        previous_end_ = end;
    }
    std::string comment(const Comment& c) const {
        std::string_view t = text_.substr(c.range.begin, c.range.end - c.range.begin);
        while (!t.empty() && blank(t.back())) t.remove_suffix(1);
        return std::string(t);
    }
    std::string take() { return std::move(out_); }

private:
    std::string_view text_;
    std::string out_;
    bool any_ = false;
    uint32_t previous_end_ = 0;
};

}  // namespace

std::vector<Comment> comments(const SourceFile& file) {
    std::string_view t = file.text();
    std::vector<Comment> out;
    bool own_line = true, quoted = false;
    for (size_t i = 0; i < t.size(); ++i) {
        char c = t[i];
        if (line_end(c)) {
            own_line = true;
            quoted = false;
        } else if (quoted) {
            quoted = c != '"';
        } else if (c == '#') {
            size_t j = i;
            while (j < t.size() && !line_end(t[j])) ++j;
            out.push_back({{static_cast<uint32_t>(i), static_cast<uint32_t>(j)}, own_line});
            i = j - 1;  // the line end, if any, comes next
        } else if (!blank(c)) {
            own_line = false;
            quoted = c == '"';
        }
    }
    return out;
}

std::string format_source(const ParsedFile& parsed, const SourceFile& file) {
    std::vector<Item> items;
    for (const ast::Use& u : parsed.ast.uses) items.push_back({parsed.range(u), to_source(u)});
    for (const ast::Definition& d : parsed.ast.definitions) items.push_back({parsed.range(d), to_source(d)});
    // (each item starts at an offset of its own: a plain sort is stable enough)
    std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.range.begin < b.range.begin; });
    const std::vector<Comment> all = comments(file);
    std::string_view text = file.text();
    Formatter f(text);
    size_t c = 0;
    auto standalone = [&](const Comment& k) { f.element(k.range.begin, k.range.end, f.comment(k) + "\n"); };
    for (const Item& item : items) {
        for (; c < all.size() && all[c].range.begin < item.range.begin; ++c) standalone(all[c]);
        std::string lines;
        for (; c < all.size() && all[c].range.begin < item.range.end; ++c) lines += f.comment(all[c]) + "\n";
        lines += item.text;
        uint32_t end = item.range.end;
        if (c < all.size() && !all[c].own_line && line_breaks(text, item.range.end, all[c].range.begin) == 0) {
            lines += "  " + f.comment(all[c]);
            end = all[c++].range.end;
        }
        f.element(item.range.begin, end, lines + "\n");
    }
    for (; c < all.size(); ++c) standalone(all[c]);
    return f.take();
}

}  // namespace actjit
