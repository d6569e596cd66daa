// "Did you mean": the candidate closest to a misspelled name, if one is close enough.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace actjit {

// The candidate with the smallest edit distance (insert, delete, substitute, swap of
// neighbours) to `name`, if that distance is at most max(1, |name| / 3) and `name` has
// two characters or more; else "".
std::string closest_name(std::string_view name, const std::vector<std::string_view>& candidates);

}  // namespace actjit
