#include "scratchnet/data/image_dataset.hpp"

#include <array>
#include <stdexcept>
#include <string>
#include <utility>

namespace scratchnet::data {
namespace {

// Every value a pixel can take, divided once: looking the 256 quotients up gives the same bits
// as dividing each pixel, without a division per pixel.
template <typename T>
const std::array<T, 256>& pixel_values() {
  static const std::array<T, 256> values = [] {
    std::array<T, 256> quotients{};
    for (std::size_t byte = 0; byte < quotients.size(); ++byte)
      quotients[byte] = T(byte) / T(kImagePixelScale);
    return quotients;
  }();
  return values;
}

}  // namespace

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
  const std::array<T, 256>& values = pixel_values<T>();
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
    T* out = features.data() + Index(i) * images_.features;
    for (Index j = 0; j < images_.features; ++j)
      out[j] = values[row[j]];
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
