#pragma once
// Images held as bytes, turned into T one batch at a time: Fashion-MNIST's 60000 training images
// take 47 MB as bytes, where as float they would take 188 MB.
//   features [rows, pixels] as pixel / 255 in [0, 1], as torchvision's ToTensor scales them;
//   targets [rows, 1] as the label byte (a class index)

#include <cstdint>
#include <span>
#include <vector>

#include "scratchnet/data/dataset.hpp"
#include "scratchnet/data/idx.hpp"

namespace scratchnet::data {

/// What an image's bytes are divided by, as torchvision's ToTensor divides them; a model trained
/// on images records it (its "pixel_scale"), so that pixels from a CSV file are scaled alike.
inline constexpr double kImagePixelScale = 255;

template <typename T>
class ImageDataset final : public Dataset<T> {
 public:
  /// Takes the pixels and labels of `images`; throws std::invalid_argument when their sizes do
  /// not match its rows and features, or its image_dims its features.
  explicit ImageDataset(LabelledImages images);

  Index size() const override { return images_.rows; }
  Index features() const override { return images_.features; }
  Index target_width() const override { return 1; }
  /// [1, height, width] for grey images; see LabelledImages::sample_shape().
  Shape sample_shape() const override { return images_.sample_shape(); }
  /// Writes T(pixel) / T(255) into `features` [rows.size(), features()] and the label into
  /// `targets` [rows.size(), 1].
  void gather(std::span<const Index> rows, MatrixView<T> features,
              MatrixView<T> targets) const override;

  /// Row `row`'s raw pixels, features() bytes row-major (28 x 28 for Fashion-MNIST).
  std::span<const std::uint8_t> pixels(Index row) const;
  /// Row `row`'s label.
  std::uint8_t label(Index row) const { return images_.labels[std::size_t(row)]; }

 private:
  LabelledImages images_;
};

}  // namespace scratchnet::data
