// Where Debian's dataset-fashion-mnist installs Fashion-MNIST (declared in data/idx.hpp).
#include <filesystem>

#include "scratchnet/data/idx.hpp"

namespace scratchnet::data {

FashionMnistFiles fashion_mnist_files() {
  const std::string directory = "/usr/share/datasets/fashion-mnist/";
  FashionMnistFiles files{
      directory + "train-images-idx3-ubyte.gz", directory + "train-labels-idx1-ubyte.gz",
      directory + "t10k-images-idx3-ubyte.gz", directory + "t10k-labels-idx1-ubyte.gz"};
  for (const std::string* path :
       {&files.train_images, &files.train_labels, &files.test_images, &files.test_labels}) {
    std::error_code error;
    if (!std::filesystem::exists(*path, error)) {
      throw DataError(*path,
                      "missing; install Debian's dataset-fashion-mnist (apt-get install "
                      "dataset-fashion-mnist)");
    }
  }
  return files;
}

}  // namespace scratchnet::data
