#pragma once
// Prints a float64 matrix exactly as numpy's str(array) does with its default print options
// (precision 8, floatmode "maxprec"), so our output lines up with the seed notebook's:
//   [[0.03861796]
//    [0.96425342]]
// Each value gets its shortest round-trip digits, cut to 8 after the point; the column is
// padded to a common width; scientific notation is used when numpy would (a non-zero magnitude
// below 1e-4 or from 1e8 up, or a ratio of largest to smallest over 1000). Rows are never
// wrapped, so this matches numpy for rows that fit its 75-character line.

#include <string>

#include "scratchnet/matrix.hpp"

namespace scratchnet {

/// The text numpy's str() gives for `values` as a 2-D float64 array.
std::string numpy_str(const Matrix<double>& values);

}  // namespace scratchnet
