#include "input_file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "scratchnet/data/data_error.hpp"

namespace scratchnet::data::detail {

InputFile::InputFile(const std::string& path) : path_(path) {
  // The path is looked at before it is opened: fopen would open a directory for reading, and
  // would wait for a writer on a named pipe, which has no size to check against anyway.
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (error) throw DataError(path, "cannot open: " + error.message());
  if (std::filesystem::is_directory(status)) {
    throw DataError(path, std::string("cannot open: ") + std::strerror(EISDIR));
  }
  if (!std::filesystem::is_regular_file(status)) {
    throw DataError(path, "cannot open: not a regular file");
  }
  file_ = std::fopen(path.c_str(), "rb");
  if (file_ == nullptr) throw DataError(path, std::string("cannot open: ") + std::strerror(errno));
  size_ = std::filesystem::file_size(path, error);
  if (error) {
    std::fclose(file_);
    throw DataError(path, "cannot open: " + error.message());
  }
}

InputFile::~InputFile() {
  std::fclose(file_);
}

std::size_t InputFile::read(void* out, std::size_t bytes) {
  const std::size_t got = std::fread(out, 1, bytes, file_);
  if (got < bytes && std::ferror(file_)) {
    throw DataError(path_, std::string("read error: ") + std::strerror(errno));
  }
  return got;
}

void InputFile::rewind() {
  if (std::fseek(file_, 0, SEEK_SET) != 0) {
    throw DataError(path_, std::string("cannot seek: ") + std::strerror(errno));
  }
}

}  // namespace scratchnet::data::detail
