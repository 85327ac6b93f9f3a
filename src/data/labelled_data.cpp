#include "scratchnet/data/labelled_data.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "message_text.hpp"
#include "scratchnet/data/classes.hpp"
#include "scratchnet/data/data_error.hpp"
#include "scratchnet/text/shortest.hpp"

namespace scratchnet::data {

Index RawRows::rows() const {
  return table ? table->features.rows() : images->rows;
}

Index RawRows::features() const {
  return table ? table->features.cols() : images->features;
}

bool RawRows::has_labels() const {
  return table ? !table->labels.empty() : true;
}

Shape RawRows::sample_shape() const {
  if (images) return images->sample_shape();
  return table_shape ? *table_shape : Shape(features());
}

RawRows read_rows(const DataSource& source) {
  RawRows rows;
  if (source.path == "fashion-mnist") {
    const FashionMnistFiles files = fashion_mnist_files();
    rows.path = source.test_set ? files.test_images : files.train_images;
    rows.images = source.test_set ? read_idx_pair(files.test_images, files.test_labels)
                                  : read_idx_pair(files.train_images, files.train_labels);
    rows.image_classes.assign(std::begin(fashion_mnist_class_names),
                              std::end(fashion_mnist_class_names));
    return rows;
  }
  rows.path = source.path;
  if (!source.labels_path.empty()) {
    rows.images = read_idx_pair(source.path, source.labels_path);
  } else {
    rows.table = read_csv(source.path, source.csv);
  }
  return rows;
}

std::vector<std::string> classes_of(const RawRows& rows) {
  std::vector<std::string> classes;
  if (rows.table) {
    require_one_spelling_per_class(rows.table->labels, rows.path);
    classes = sorted_classes(rows.table->labels);
  } else if (!rows.image_classes.empty()) {
    classes = rows.image_classes;
  } else {
    const auto& labels = rows.images->labels;
    const int largest = labels.empty() ? 0 : *std::max_element(labels.begin(), labels.end());
    for (int c = 0; c <= largest; ++c)
      classes.push_back(std::to_string(c));
  }
  // Said here, before any work: a network with one output would only fail later, at the
  // confusion matrix.
  if (classes.size() < 2) {
    throw DataError(rows.path,
                    "the labels hold " +
                        (classes.empty() ? std::string("no class")
                                         : "one class (" + detail::quoted(classes[0]) + ")") +
                        "; a classifier needs at least 2");
  }
  return classes;
}

namespace {

// Image labels are class indices already; they must name one of the classes.
Matrix<double> image_targets(const RawRows& rows, Task task, std::size_t classes) {
  const auto& labels = rows.images->labels;
  Matrix<double> targets(Index(labels.size()), 1);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (task != Task::regression && labels[i] >= classes) {
      throw DataError(rows.path + ": image " + std::to_string(i) + " has label " +
                      std::to_string(labels[i]) + ", out of range for " + std::to_string(classes) +
                      " classes");
    }
    targets(Index(i), 0) = labels[i];
  }
  return targets;
}

}  // namespace

Matrix<double> targets_of(const RawRows& rows, Task task, const std::vector<std::string>& classes) {
  if (task == Task::binary && classes.size() != 2) {
    throw DataError(rows.path + ": binary cross-entropy needs exactly 2 classes, the labels have " +
                    std::to_string(classes.size()));
  }
  if (rows.images) return image_targets(rows, task, classes.size());
  if (task == Task::regression) return numeric_targets(rows.table->labels, rows.path);
  // As in training: "1" and "1.0" in one file are refused rather than matched to one class.
  require_one_spelling_per_class(rows.table->labels, rows.path);
  return class_indices(rows.table->labels, classes, rows.path);
}

Matrix<double> features_of(const RawRows& rows) {
  if (rows.table) return rows.table->features;
  const LabelledImages& images = *rows.images;
  Matrix<double> features(images.rows, images.features);
  for (Index i = 0; i < features.size(); ++i)
    features.data()[i] = images.pixels[i] / kImagePixelScale;
  return features;
}

namespace {

// Every feature must be a finite T once scaled, or training would stop at its first batch with
// "non-finite input" though the file holds a finite number: said now, naming the cell.
template <typename T>
void require_features_fit(const Matrix<double>& features, const RawRows& rows, bool scaled) {
  constexpr double largest = double(std::numeric_limits<T>::max());
  constexpr bool f32 = sizeof(T) == sizeof(float);
  for (Index r = 0; r < features.rows(); ++r) {
    for (Index c = 0; c < features.cols(); ++c) {
      const double x = features(r, c);
      if (std::abs(x) <= largest) continue;
      const std::string column =
          rows.table ? rows.table->feature_names.at(std::size_t(c)) : std::to_string(c);
      // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) about "text" + std::string.
      std::string problem = "row " + std::to_string(r + 1) + ", column " + detail::quoted(column);
      if (scaled) {
        problem.append(": the feature is ").append(shortest(x));
        problem.append(" after standardisation,");
      } else {
        problem.append(": the feature ").append(shortest(x)).append(" is");
      }
      problem.append(" beyond the range of ").append(f32 ? "f32" : "f64");
      problem.append(" (±").append(shortest(largest)).append(")");
      if (f32)
        problem += scaled ? "; use --dtype f64" : "; use --dtype f64 or --normalize standard";
      throw DataError(rows.path, problem);
    }
  }
}

}  // namespace

template <typename T>
std::unique_ptr<Dataset<T>> make_dataset(RawRows rows, const Matrix<double>& targets,
                                         const Standardization* scaling, double pixel_scale) {
  if (rows.images && scaling == nullptr) {
    return std::make_unique<ImageDataset<T>>(std::move(*rows.images));
  }
  const Shape sample_shape = rows.sample_shape();
  // The table's features are moved, not copied: the rows are this function's own.
  Matrix<double> features = rows.table ? std::move(rows.table->features) : features_of(rows);
  if (rows.table && pixel_scale != 1) features /= pixel_scale;
  if (scaling != nullptr) scaling->apply(features);
  require_features_fit<T>(features, rows, scaling != nullptr);
  return std::make_unique<InMemoryDataset<T>>(features.cast<T>(), targets.cast<T>(), sample_shape);
}

template std::unique_ptr<Dataset<float>> make_dataset<float>(RawRows, const Matrix<double>&,
                                                             const Standardization*, double);
template std::unique_ptr<Dataset<double>> make_dataset<double>(RawRows, const Matrix<double>&,
                                                               const Standardization*, double);

}  // namespace scratchnet::data
