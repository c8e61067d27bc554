// Edit distance for "did you mean" suggestions and the nearest line of a missing expectation.
#pragma once

#include <cstddef>
#include <string_view>

namespace harness::internal {

// What `needle` is compared with: all of `haystack` (Levenshtein), or its closest substring
// (Sellers: the match may start and end anywhere in `haystack`).
enum class Fit { Whole, Substring };

// Fewest inserts, deletes and substitutions turning `needle` into `haystack` (Fit::Whole) or
// into some substring of it (Fit::Substring).
std::size_t edit_distance(std::string_view needle, std::string_view haystack, Fit fit);

}  // namespace harness::internal
