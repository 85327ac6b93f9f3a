#include "scratchnet/data/labelled_data.hpp"

#include <algorithm>

#include "scratchnet/data/classes.hpp"
#include "scratchnet/data/data_error.hpp"

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
  if (rows.table) return sorted_classes(rows.table->labels);
  if (!rows.image_classes.empty()) return rows.image_classes;
  const auto& labels = rows.images->labels;
  const int largest = labels.empty() ? 0 : *std::max_element(labels.begin(), labels.end());
  std::vector<std::string> classes;
  for (int c = 0; c <= largest; ++c)
    classes.push_back(std::to_string(c));
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
  return class_indices(rows.table->labels, classes, rows.path);
}

Matrix<double> features_of(const RawRows& rows) {
  if (rows.table) return rows.table->features;
  const LabelledImages& images = *rows.images;
  Matrix<double> features(images.rows, images.features);
  for (Index i = 0; i < features.size(); ++i)
    features.data()[i] = images.pixels[i] / 255.0;
  return features;
}

template <typename T>
std::unique_ptr<Dataset<T>> make_dataset(RawRows rows, const Matrix<double>& targets,
                                         const Standardization* scaling) {
  if (rows.images && scaling == nullptr) {
    return std::make_unique<ImageDataset<T>>(std::move(*rows.images));
  }
  Matrix<double> features = features_of(rows);
  if (scaling != nullptr) scaling->apply(features);
  return std::make_unique<InMemoryDataset<T>>(features.cast<T>(), targets.cast<T>());
}

template std::unique_ptr<Dataset<float>> make_dataset<float>(RawRows, const Matrix<double>&,
                                                             const Standardization*);
template std::unique_ptr<Dataset<double>> make_dataset<double>(RawRows, const Matrix<double>&,
                                                               const Standardization*);

}  // namespace scratchnet::data
