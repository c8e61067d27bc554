#include "edit_distance.h"

#include <algorithm>
#include <vector>

namespace harness::internal {

std::size_t edit_distance(std::string_view needle, std::string_view haystack, Fit fit) {
  // One row of the dynamic-programming table; row[j]: distance to haystack's first j bytes.
  // A substring may start anywhere: the first row costs nothing and the answer is the row's
  // minimum instead of its last cell.
  std::vector<std::size_t> row(haystack.size() + 1, 0);
  if (fit == Fit::Whole) {
    for (std::size_t j = 0; j < row.size(); ++j) row[j] = j;
  }
  for (std::size_t i = 1; i <= needle.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= haystack.size(); ++j) {
      const std::size_t above = row[j];
      const std::size_t substitute = diagonal + (needle[i - 1] == haystack[j - 1] ? 0 : 1);
      row[j] = std::min({substitute, above + 1, row[j - 1] + 1});
      diagonal = above;
    }
  }
  return fit == Fit::Whole ? row.back() : *std::min_element(row.begin(), row.end());
}

}  // namespace harness::internal
