#pragma once
// From the data a command line names to data sets a model trains on or is measured on:
// reads a CSV file, an IDX pair or Fashion-MNIST, turns labels into targets as the task reads
// them, and applies a standardisation. Images stay bytes until a batch needs them.
//   CSV:  features [rows, columns] as doubles, labels as text
//   IDX:  pixels [rows, features] as bytes, labels as class indices

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scratchnet/data/csv.hpp"
#include "scratchnet/data/dataset.hpp"
#include "scratchnet/data/idx.hpp"
#include "scratchnet/data/image_dataset.hpp"
#include "scratchnet/data/standardization.hpp"
#include "scratchnet/losses/loss.hpp"

namespace scratchnet::data {

/// Where rows come from, as the command line names them.
struct DataSource {
  std::string path;         // a CSV file, an IDX images file, or "fashion-mnist"
  std::string labels_path;  // the IDX labels file that goes with an IDX images file
  CsvOptions csv;
  bool test_set = false;  // with "fashion-mnist": its 10000 test rows, not its 60000 training rows
};

/// Rows as their files hold them, before targets and scaling.
struct RawRows {
  std::string path;                        // where they came from, for messages
  std::optional<CsvTable> table;           // CSV rows
  std::optional<LabelledImages> images;    // IDX rows
  std::vector<std::string> image_classes;  // Fashion-MNIST's class names; empty for other IDX
  std::optional<Shape> table_shape;        // a CSV row's sample shape, when it is not flat

  Index rows() const;
  Index features() const;
  bool has_labels() const;
  /// The shape of one row's sample: the images' (LabelledImages::sample_shape()), a CSV row's
  /// table_shape, or flat [features()].
  Shape sample_shape() const;
};

/// Reads the rows `source` names. Throws DataError for a file that cannot be used.
RawRows read_rows(const DataSource& source);

/// The classes of training rows: their sorted distinct labels (CSV), Fashion-MNIST's ten names,
/// or "0".."K−1" for other IDX labels (K = the largest label + 1). Throws DataError when CSV
/// labels write one number two ways (require_one_spelling_per_class), or when there are fewer
/// than 2 classes ("PATH: the labels hold one class ('x'); a classifier needs at least 2").
std::vector<std::string> classes_of(const RawRows& rows);

/// Targets [rows, 1] as `task` reads them: class indices into `classes` (multiclass, and binary
/// with two classes), or the labels as numbers (regression). Throws DataError for a label that
/// is not a class, one number written two ways among class labels, a binary task without
/// exactly two classes, or a non-numeric regression label.
Matrix<double> targets_of(const RawRows& rows, Task task, const std::vector<std::string>& classes);

/// The rows' features as doubles [rows, features] (images as pixel/255).
Matrix<double> features_of(const RawRows& rows);

/// A data set over `rows` with `targets`, its samples of rows.sample_shape(): a table's values
/// divided by `pixel_scale` (255 when a model that learnt on images reads them from a CSV file;
/// images are pixel/255 already), then scaled by `scaling` when given. Unscaled images stay
/// bytes (an ImageDataset); everything else is held as T. The table must have no missing cells
/// left (MissingValues::resolve).
template <typename T>
std::unique_ptr<Dataset<T>> make_dataset(RawRows rows, const Matrix<double>& targets,
                                         const Standardization* scaling, double pixel_scale = 1);

}  // namespace scratchnet::data
