#pragma once
// From label text to what a loss takes: the classes a label column holds, each row's class
// index, or each row's number for regression.
//   class_indices and numeric_targets return [rows, 1], as Dataset targets are laid out.
//
// Labels that are all numbers are compared as numbers: "2" sorts before "10", and "1.0" is the
// class "1" (so a file that writes "1.0" matches a model trained on "1"); within one file each
// number must be written one way (require_one_spelling_per_class). Any other labels are compared
// as text.

#include <string>
#include <vector>

#include "scratchnet/data/data_error.hpp"
#include "scratchnet/matrix.hpp"

namespace scratchnet::data {

/// The distinct values of `labels`, sorted. When every label is a finite number they are
/// distinct and sorted by value and written as the shortest text of that value ("1.0" and "1"
/// are the class "1"); otherwise distinct and sorted as text (byte order).
std::vector<std::string> sorted_classes(const std::vector<std::string>& labels);

/// Checks that a label column names each class one way: when every label is a finite number, two
/// labels of the same value must be the same text ("1" and "1.0" would silently merge into one
/// class). Throws DataError "PATH: row N: label '1.0' and row M's label '1' are the same number
/// written two ways; ..." for the first such pair (rows count data rows from 1).
void require_one_spelling_per_class(const std::vector<std::string>& labels,
                                    const std::string& path);

/// Each label's index in `classes`, [rows, 1]. A label matches a class with the same text or,
/// when both are numbers, the same value. Throws DataError "PATH: row N: label 'x' is not one of
/// the model's classes (a, b, c)" for the first label that matches none (N counts data rows
/// from 1).
Matrix<double> class_indices(const std::vector<std::string>& labels,
                             const std::vector<std::string>& classes, const std::string& path);

/// Each label as a number, [rows, 1], for regression. Throws DataError "PATH: row N: label 'x'
/// is not a finite number" for the first label that is not one.
Matrix<double> numeric_targets(const std::vector<std::string>& labels, const std::string& path);

}  // namespace scratchnet::data
