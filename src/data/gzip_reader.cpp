#include "gzip_reader.hpp"

#include <algorithm>
#include <new>
#include <string>

#include "scratchnet/data/data_error.hpp"

namespace scratchnet::data::detail {
namespace {

constexpr std::size_t kInputChunk = 1 << 16;      // compressed bytes read from the file at a time
constexpr std::size_t kMaxOutputChunk = 1 << 30;  // zlib counts output in a 32-bit uInt
constexpr int kGzipOnly = 15 + 16;                // the largest window, gzip wrapper only

}  // namespace

GzipReader::GzipReader(InputFile& file) : file_(file), input_(kInputChunk) {
  const int status = inflateInit2(&stream_, kGzipOnly);
  if (status == Z_MEM_ERROR) throw std::bad_alloc();
  if (status != Z_OK) throw DataError(file_.path(), "cannot start inflating: zlib error");
}

GzipReader::~GzipReader() {
  inflateEnd(&stream_);
}

std::size_t GzipReader::read(std::uint8_t* out, std::size_t bytes) {
  std::size_t produced = 0;
  while (produced < bytes && !finished_) {
    if (stream_.avail_in == 0) {
      const std::size_t got = file_.read(input_.data(), input_.size());
      if (got == 0) {
        if (member_ended_) {
          finished_ = true;
          break;
        }
        throw DataError(file_.path(), "truncated gzip stream: the compressed data ends early");
      }
      stream_.next_in = input_.data();
      stream_.avail_in = static_cast<uInt>(got);
    }
    if (member_ended_) {  // bytes after a member's trailer: another member must start there
      inflateReset(&stream_);
      member_ended_ = false;
      later_member_ = true;
    }
    const std::size_t room = std::min(bytes - produced, kMaxOutputChunk);
    stream_.next_out = out + produced;
    stream_.avail_out = static_cast<uInt>(room);
    const int status = inflate(&stream_, Z_NO_FLUSH);
    produced += room - stream_.avail_out;
    if (status == Z_STREAM_END) {
      member_ended_ = true;
    } else if (status == Z_MEM_ERROR) {
      throw std::bad_alloc();
    } else if (status == Z_DATA_ERROR && later_member_ && stream_.total_out == 0 &&
               stream_.msg != nullptr && std::string(stream_.msg) == "incorrect header check") {
      throw DataError(file_.path(), "unexpected bytes after the gzip stream");
    } else if (status != Z_OK && status != Z_BUF_ERROR) {  // Z_BUF_ERROR: needs more input
      throw DataError(file_.path(), std::string("corrupt gzip stream: ") +
                                        (stream_.msg != nullptr ? stream_.msg : "zlib error"));
    }
  }
  return produced;
}

}  // namespace scratchnet::data::detail
