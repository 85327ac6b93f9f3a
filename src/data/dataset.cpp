#include "scratchnet/data/dataset.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "scratchnet/text/shortest.hpp"

namespace scratchnet {

template <typename T>
InMemoryDataset<T>::InMemoryDataset(Matrix<T> features, Matrix<T> targets,
                                    std::optional<Shape> sample_shape)
    : features_(std::move(features)),
      targets_(std::move(targets)),
      sample_shape_(std::move(sample_shape)) {
  if (features_.rows() != targets_.rows()) {
    throw std::invalid_argument("data set has " + std::to_string(features_.rows()) +
                                " feature rows but " + std::to_string(targets_.rows()) +
                                " target rows");
  }
  if (sample_shape_ && sample_shape_->elements() != features_.cols()) {
    throw std::invalid_argument("data set rows of " + std::to_string(features_.cols()) +
                                " features cannot hold samples of shape " + sample_shape_->text());
  }
}

template <typename T>
void InMemoryDataset<T>::gather(std::span<const Index> rows, MatrixView<T> features,
                                MatrixView<T> targets) const {
  for (std::size_t i = 0; i < rows.size(); ++i) {
    features.row(Index(i)) = features_.row(rows[i]);
    targets.row(Index(i)) = targets_.row(rows[i]);
  }
}

template <typename T>
Subset<T>::Subset(const Dataset<T>& parent, std::vector<Index> rows)
    : parent_(&parent), rows_(std::move(rows)) {
  for (Index row : rows_) {
    if (row < 0 || row >= parent.size()) throw std::out_of_range("subset row out of range");
  }
}

template <typename T>
void Subset<T>::gather(std::span<const Index> rows, MatrixView<T> features,
                       MatrixView<T> targets) const {
  // The parent's row numbers, a slice at a time on the stack: no allocation and no shared
  // scratch, so threads may gather disjoint parts of a batch at once.
  constexpr std::size_t kSlice = 64;
  Index translated[kSlice];
  for (std::size_t first = 0; first < rows.size(); first += kSlice) {
    const std::size_t count = std::min(kSlice, rows.size() - first);
    for (std::size_t i = 0; i < count; ++i)
      translated[i] = rows_[rows[first + i]];
    parent_->gather(std::span<const Index>(translated, count),
                    MatrixView<T>(features.row(Index(first)).data(), Index(count), features.cols()),
                    MatrixView<T>(targets.row(Index(first)).data(), Index(count), targets.cols()));
  }
}

std::pair<std::vector<Index>, std::vector<Index>> split_rows(Index rows, double fraction,
                                                             Random& random) {
  if (!(fraction >= 0 && fraction < 1)) {
    throw std::invalid_argument("validation fraction must be in [0, 1)");
  }
  Index held_out = Index(std::floor(fraction * double(rows)));
  if (fraction > 0) held_out = std::max<Index>(held_out, 1);
  if (held_out >= rows) {
    throw std::invalid_argument("a validation split of " + shortest(fraction) + " of " +
                                std::to_string(rows) + " rows leaves no training rows");
  }
  std::vector<Index> order(static_cast<std::size_t>(rows));
  std::iota(order.begin(), order.end(), Index{0});
  random.shuffle(std::span(order));
  std::vector<Index> validation(order.begin(), order.begin() + held_out);
  std::vector<Index> training(order.begin() + held_out, order.end());
  std::sort(validation.begin(), validation.end());
  std::sort(training.begin(), training.end());
  return {std::move(training), std::move(validation)};
}

template <typename T>
std::pair<Subset<T>, Subset<T>> split_validation(const Dataset<T>& data, double fraction,
                                                 Random& random) {
  auto [training, validation] = split_rows(data.size(), fraction, random);
  return {Subset<T>(data, std::move(training)), Subset<T>(data, std::move(validation))};
}

template class InMemoryDataset<float>;
template class InMemoryDataset<double>;
template class Subset<float>;
template class Subset<double>;
template std::pair<Subset<float>, Subset<float>> split_validation(const Dataset<float>&, double,
                                                                  Random&);
template std::pair<Subset<double>, Subset<double>> split_validation(const Dataset<double>&, double,
                                                                    Random&);

}  // namespace scratchnet
