#pragma once
// The IDX format of MNIST and Fashion-MNIST, raw or gzip-compressed (told apart by gzip's magic
// bytes 1f 8b, not by the file name), and where Debian's dataset-fashion-mnist puts its files.
//
// An IDX file is a 4-byte magic number (0, 0, a type code, the number of dimensions), each
// dimension as a big-endian uint32, then the values in row-major order. Only unsigned bytes
// (type 0x08) are read, as the images and labels of MNIST are stored.
//
// Nothing is allocated for the values before the header has been checked against what the file
// can hold: the bytes left in a raw file, or for a gzip file 1032 times its size (deflate's
// largest ratio). A gzip stream is inflated into a buffer of the size the header claims, and one
// that would inflate past it is refused, so a small file cannot make the reader allocate or
// inflate more than it claims.

#include <cstdint>
#include <string>
#include <vector>

#include "scratchnet/data/data_error.hpp"
#include "scratchnet/matrix.hpp"
#include "scratchnet/shape.hpp"

namespace scratchnet::data {

/// An IDX file's contents: its dimensions and its values, row-major.
struct IdxArray {
  /// The dimensions, outermost first (60000, 28, 28 for Fashion-MNIST's training images).
  std::vector<std::uint32_t> dims;
  /// The product of dims values, row-major.
  std::vector<std::uint8_t> values;
};

/// Reads the IDX file at `path`, raw or gzip. Throws DataError "PATH: problem" for: a file that
/// cannot be opened, one too short for its header, a magic number not starting with two zero
/// bytes, a type code other than 0x08 (an unknown one, or a known one that is not supported),
/// no dimensions or a zero dimension, dimensions whose product overflows or exceeds what the file
/// can hold, too few values (truncated) or too many (trailing bytes, or a gzip stream that
/// inflates past the size its header claims), and a corrupt or truncated gzip stream.
IdxArray read_idx(const std::string& path);

/// Images and their labels as bytes: what ImageDataset holds.
struct LabelledImages {
  /// Number of images.
  Index rows = 0;
  /// Pixels per image (784 for 28 x 28).
  Index features = 0;
  /// The images' pixels, [rows, features] row-major.
  std::vector<std::uint8_t> pixels;
  /// Each image's label, [rows].
  std::vector<std::uint8_t> labels;
  /// One image's dimensions, as the file gives them after the count ({28, 28}); empty when
  /// unknown, for a flat image of `features` pixels.
  std::vector<Index> image_dims;

  /// One image as a sample shape: a grey image [h, w] is one channel, [1, h, w], as
  /// torchvision's ToTensor makes it; other dimensions are kept as the file gives them, and
  /// without any the image is flat, [features].
  Shape sample_shape() const;
};

/// Reads an images file [n, d1, d2, ...] (features = d1 · d2 · ..., image_dims = {d1, d2, ...})
/// and a labels file [n]. Throws
/// DataError as read_idx does, for files with the wrong number of dimensions, and when the two
/// counts differ (naming both files).
LabelledImages read_idx_pair(const std::string& images_path, const std::string& labels_path);

/// Where Fashion-MNIST's four files are.
struct FashionMnistFiles {
  /// 60000 images [60000, 28, 28] and their labels [60000].
  std::string train_images, train_labels;
  /// 10000 images [10000, 28, 28] and their labels [10000].
  std::string test_images, test_labels;
};

/// The files of Debian's dataset-fashion-mnist, in /usr/share/datasets/fashion-mnist/. Throws
/// DataError "PATH: missing; install Debian's dataset-fashion-mnist (apt-get install
/// dataset-fashion-mnist)" for the first one that does not exist.
FashionMnistFiles fashion_mnist_files();

/// Fashion-MNIST's class names, by label.
inline constexpr const char* fashion_mnist_class_names[10] = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

}  // namespace scratchnet::data
