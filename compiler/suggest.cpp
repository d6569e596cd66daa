#include "suggest.hpp"

#include <algorithm>
#include <cstdlib>

namespace actjit {

namespace {

// Optimal string alignment distance, giving up once it must exceed `limit`.
size_t edit_distance(std::string_view a, std::string_view b, size_t limit) {
    if (a.size() > b.size() + limit || b.size() > a.size() + limit) return limit + 1;
    std::vector<size_t> previous2(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        size_t row_min = current[0];
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                current[j] = std::min(current[j], previous2[j - 2] + 1);
            row_min = std::min(row_min, current[j]);
        }
        if (row_min > limit) return limit + 1;
        std::swap(previous2, previous);
        std::swap(previous, current);
    }
    return previous[b.size()];
}

}  // namespace

std::string closest_name(std::string_view name, const std::vector<std::string_view>& candidates) {
    // A one-letter name is one edit from every other one-letter name: no suggestion.
    if (name.size() < 2) return {};
    size_t limit = std::max<size_t>(1, name.size() / 3);
    std::string_view best;
    size_t best_distance = limit + 1;
    for (std::string_view candidate : candidates) {
        if (candidate == name) continue;
        size_t d = edit_distance(name, candidate, std::min(limit, best_distance));
        if (d < best_distance) {
            best_distance = d;
            best = candidate;
        }
    }
    return std::string(best);
}

}  // namespace actjit
