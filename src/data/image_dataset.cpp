#include "scratchnet/data/image_dataset.hpp"

#include <stdexcept>
#include <string>
#include <utility>

namespace scratchnet::data {

template <typename T>
ImageDataset<T>::ImageDataset(LabelledImages images) : images_(std::move(images)) {
  const auto rows = std::size_t(images_.rows), features = std::size_t(images_.features);
  if (images_.rows < 0 || images_.features < 0 || images_.pixels.size() != rows * features ||
      images_.labels.size() != rows) {
    throw std::invalid_argument("image data set of " + std::to_string(images_.rows) + " rows of " +
                                std::to_string(images_.features) + " pixels has " +
                                std::to_string(images_.pixels.size()) + " pixels and " +
                                std::to_string(images_.labels.size()) + " labels");
  }
  if (!images_.image_dims.empty() && images_.sample_shape().elements() != images_.features) {
    throw std::invalid_argument("image data set of " + std::to_string(images_.features) +
                                " pixels per image has images of shape " +
                                images_.sample_shape().text());
  }
}

template <typename T>
void ImageDataset<T>::gather(std::span<const Index> rows, MatrixView<T> features,
                             MatrixView<T> targets) const {
  const T scale = T(kImagePixelScale);
  // Shuffled rows are scattered over tens of megabytes: ask for a row a few rows ahead, so its
  // cache lines arrive while this one is converted.
  constexpr std::size_t kAhead = 4;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i + kAhead < rows.size()) {
      const std::uint8_t* later = images_.pixels.data() + rows[i + kAhead] * images_.features;
      for (Index offset = 0; offset < images_.features; offset += 64)
        __builtin_prefetch(later + offset);
    }
    const std::uint8_t* row = images_.pixels.data() + rows[i] * images_.features;
    T* out = features.data() + Index(i) * images_.features;  // a plain loop vectorises
    for (Index j = 0; j < images_.features; ++j)
      out[j] = T(row[j]) / scale;
    targets(Index(i), 0) = T(images_.labels[std::size_t(rows[i])]);
  }
}

template <typename T>
std::span<const std::uint8_t> ImageDataset<T>::pixels(Index row) const {
  return {images_.pixels.data() + row * images_.features, std::size_t(images_.features)};
}

template class ImageDataset<float>;
template class ImageDataset<double>;

}  // namespace scratchnet::data
