// IDX files, raw and gzip: reading them, each malformed header, truncated and over-long payloads,
// corrupt gzip streams and gzip bombs, checked before anything large is allocated; image and
// label pairs; and Debian's Fashion-MNIST files.
//
// operator new is replaced below with a version that records the largest single allocation, so
// that a test can show a reader refused a file before allocating what its header claims.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <new>

#include "data_files.hpp"
#include "scratchnet/data/idx.hpp"

namespace {
std::atomic<std::size_t> largest_allocation{0};
}  // namespace

// Not inlined, so that GCC does not see malloc's pointer reach delete (-Wmismatched-new-delete).
[[gnu::noinline]] void* operator new(std::size_t size) {
  std::size_t seen = largest_allocation.load();
  while (size > seen && !largest_allocation.compare_exchange_weak(seen, size)) {
  }
  if (void* pointer = std::malloc(size == 0 ? 1 : size)) return pointer;
  throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* pointer) noexcept {
  std::free(pointer);
}
[[gnu::noinline]] void operator delete(void* pointer, std::size_t) noexcept {
  std::free(pointer);
}

namespace scratchnet::data {
namespace {

using scratchnet::testing::data_error_message;
using scratchnet::testing::read_bytes;
using scratchnet::testing::TempFiles;

constexpr std::size_t kMiB = 1 << 20;

// The bytes of an IDX file: magic (0, 0, type, rank), big-endian dimensions, then `values`.
std::string idx_bytes(const std::vector<std::uint32_t>& dims, const std::string& values,
                      std::uint8_t type = 0x08) {
  std::string bytes = {0, 0, char(type), char(dims.size())};
  for (std::uint32_t dim : dims) {
    for (int shift = 24; shift >= 0; shift -= 8)
      bytes += char((dim >> shift) & 0xFF);
  }
  return bytes + values;
}

std::string counting(std::size_t count) {
  std::string values(count, '\0');
  for (std::size_t i = 0; i < count; ++i)
    values[i] = char(i);
  return values;
}

// Writes `bytes` gzip-compressed with zlib's gzwrite, followed by `zeros` zero bytes inside
// the same stream, and returns the path.
std::string write_gzip(TempFiles& files, const std::string& name, const std::string& bytes,
                       std::size_t zeros = 0) {
  const std::string path = files.path(name);
  gzFile file = gzopen(path.c_str(), "wb9");
  EXPECT_NE(file, nullptr);
  EXPECT_EQ(gzwrite(file, bytes.data(), unsigned(bytes.size())), int(bytes.size()));
  const std::string chunk(kMiB, '\0');
  for (std::size_t written = 0; written < zeros; written += chunk.size()) {
    const auto size = unsigned(std::min(chunk.size(), zeros - written));
    EXPECT_EQ(gzwrite(file, chunk.data(), size), int(size));
  }
  EXPECT_EQ(gzclose(file), Z_OK);
  return path;
}

// The largest single operator new while `run()` runs.
template <typename Run>
std::size_t largest_allocation_in(Run&& run) {
  largest_allocation = 0;
  run();
  return largest_allocation;
}

TEST(Idx, ReadsRawUnsignedBytes) {
  TempFiles files;
  const auto array = read_idx(files.write("raw.idx", idx_bytes({2, 3}, counting(6))));
  EXPECT_EQ(array.dims, (std::vector<std::uint32_t>{2, 3}));
  EXPECT_EQ(array.values, (std::vector<std::uint8_t>{0, 1, 2, 3, 4, 5}));
}

// gzip is told by its magic bytes, not by the file's name.
TEST(Idx, ReadsGzipWhateverTheName) {
  TempFiles files;
  const std::string bytes = idx_bytes({4, 2, 2}, counting(16));
  for (const std::string name : {"images.gz", "images.idx"}) {
    const auto array = read_idx(write_gzip(files, name, bytes));
    EXPECT_EQ(array.dims, (std::vector<std::uint32_t>{4, 2, 2}));
    EXPECT_EQ(array.values.size(), 16u);
    EXPECT_EQ(array.values[15], 15);
  }
  EXPECT_EQ(read_idx(files.write("raw.gz", bytes)).values.size(), 16u);
}

// Concatenated gzip members are one stream, as gzip -d reads them.
TEST(Idx, ReadsConcatenatedGzipMembers) {
  TempFiles files;
  const std::string bytes = idx_bytes({6}, counting(6));
  const std::string first = read_bytes(write_gzip(files, "first.gz", bytes.substr(0, 7)));
  const std::string second = read_bytes(write_gzip(files, "second.gz", bytes.substr(7)));
  const auto array = read_idx(files.write("both.gz", first + second));
  EXPECT_EQ(array.values, (std::vector<std::uint8_t>{0, 1, 2, 3, 4, 5}));
}

TEST(Idx, CannotOpen) {
  TempFiles files;
  const std::string missing = files.path("missing.gz");
  EXPECT_EQ(data_error_message([&] { read_idx(missing); }),
            missing + ": cannot open: No such file or directory");
}

struct BadIdx {
  std::string name;
  std::string bytes;
  std::string message;  // after the path
};

void PrintTo(const BadIdx& bad, std::ostream* out) {
  *out << bad.name;
}

class IdxError : public ::testing::TestWithParam<BadIdx> {};

TEST_P(IdxError, RawNamesThePathAndTheProblem) {
  TempFiles files;
  const std::string path = files.write("bad.idx", GetParam().bytes);
  EXPECT_EQ(data_error_message([&] { read_idx(path); }), path + GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, IdxError,
    ::testing::Values(
        BadIdx{"Empty", "", ": too short for an IDX header (0 bytes)"},
        BadIdx{"ShortMagic", std::string("\0\0\x08", 3), ": too short for an IDX header (3 bytes)"},
        BadIdx{"ShortDimensions", std::string("\0\0\x08\x03\0\0\0\x02\0\0", 10),
               ": too short for an IDX header: 3 dimensions need 16 bytes, it has 10 bytes"},
        BadIdx{"WrongMagic", "PK\x03\x04 not idx",
               ": not an IDX file: it starts with bytes 0x50 "
               "0x4B, not 0x00 0x00"},
        BadIdx{"FloatType", idx_bytes({1}, "abcd", 0x0D),
               ": IDX type 0x0D (32-bit float) is not supported; only 0x08 (unsigned byte) is"},
        BadIdx{"SignedByteType", idx_bytes({1}, "a", 0x09),
               ": IDX type 0x09 (signed byte) is not supported; only 0x08 (unsigned byte) is"},
        BadIdx{"UnknownType", idx_bytes({1}, "a", 0x07), ": unknown IDX type code 0x07"},
        BadIdx{"ZeroDimensions", idx_bytes({}, "abc"), ": the IDX header declares zero dimensions"},
        BadIdx{"ZeroDimension", idx_bytes({3, 0}, ""), ": dimension 2 of 2 is 0"},
        BadIdx{"Overflow", idx_bytes({0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF}, ""),
               ": the dimensions 4294967295 x 4294967295 x 4294967295 overflow a 64-bit count of "
               "values"},
        BadIdx{"Truncated", idx_bytes({2, 3}, counting(4)),
               ": truncated: the header claims 2 x 3 = 6 values, the file holds 4 bytes after the "
               "header"},
        BadIdx{"TrailingBytes", idx_bytes({2, 3}, counting(8)),
               ": 2 bytes trailing after the 2 x 3 = 6 values its header claims"},
        BadIdx{"TrailingBytesOneDimension", idx_bytes({5}, counting(6)),
               ": 1 byte trailing after the 5 values its header claims"}),
    [](const auto& info) { return info.param.name; });

// A 100-byte file whose header claims 2^40 values is refused from the header alone: nothing near
// its claim is allocated.
TEST(Idx, HugeClaimInASmallFileFailsBeforeAllocating) {
  TempFiles files;
  const std::string bytes = idx_bytes({1 << 20, 1 << 20}, std::string(88, '\x7f'));
  ASSERT_EQ(bytes.size(), 100u);
  const std::string path = files.write("huge.idx", bytes);
  std::string message;
  const std::size_t largest =
      largest_allocation_in([&] { message = data_error_message([&] { read_idx(path); }); });
  EXPECT_EQ(message, path +
                         ": truncated: the header claims 1048576 x 1048576 = 1099511627776 "
                         "values, the file holds 88 bytes after the header");
  EXPECT_LT(largest, kMiB);
}

TEST(Idx, GzipClaimingTerabytesFailsBeforeAllocating) {
  TempFiles files;
  const std::string path =
      write_gzip(files, "huge.gz", idx_bytes({1 << 20, 1 << 20}, std::string(1000, '\0')));
  const auto size = std::filesystem::file_size(path);
  std::string message;
  const std::size_t largest =
      largest_allocation_in([&] { message = data_error_message([&] { read_idx(path); }); });
  EXPECT_EQ(message, path +
                         ": the header claims 1048576 x 1048576 = 1099511627776 values, more "
                         "than a gzip file of " +
                         std::to_string(size) +
                         " bytes can hold (deflate inflates at most 1032 times)");
  EXPECT_LT(largest, kMiB);
}

// A gzip bomb: 100 MB of zeros in ~100 KB, behind a header that claims one million values (within
// 1032 times the file's size). Reading stops one byte past the claim.
TEST(Idx, GzipBombStopsAtTheClaimedSize) {
  TempFiles files;
  const std::string path = write_gzip(files, "bomb.gz", idx_bytes({1000, 1000}, ""), 100 * kMiB);
  EXPECT_LT(std::filesystem::file_size(path), 200'000u);
  std::string message;
  const std::size_t largest =
      largest_allocation_in([&] { message = data_error_message([&] { read_idx(path); }); });
  EXPECT_EQ(message, path + ": inflates past the 1000 x 1000 = 1000000 values its header claims");
  EXPECT_LT(largest, 2 * kMiB);  // the one million values, not the 100 MB
}

TEST(Idx, GzipWithTooFewValues) {
  TempFiles files;
  const std::string path = write_gzip(files, "short.gz", idx_bytes({2, 3}, counting(4)));
  EXPECT_EQ(data_error_message([&] { read_idx(path); }),
            path +
                ": truncated: the header claims 2 x 3 = 6 values, the decompressed file holds 4 "
                "bytes after the header");
  const std::string header = write_gzip(files, "header.gz", std::string("\0\0", 2));
  EXPECT_EQ(data_error_message([&] { read_idx(header); }),
            header + ": too short for an IDX header (2 bytes decompressed)");
}

TEST(Idx, GzipWithTooManyValues) {
  TempFiles files;
  const std::string path = write_gzip(files, "long.gz", idx_bytes({2, 3}, counting(7)));
  EXPECT_EQ(data_error_message([&] { read_idx(path); }),
            path + ": inflates past the 2 x 3 = 6 values its header claims");
}

TEST(Idx, CorruptGzip) {
  TempFiles files;
  const std::string good = read_bytes(write_gzip(files, "good.gz", idx_bytes({3}, "abc")));
  ASSERT_GT(good.size(), 18u);

  std::string bad_block = good;
  bad_block[10] = '\x07';  // the first deflate block: final, of the reserved type 3
  const std::string block = files.write("block.gz", bad_block);
  EXPECT_EQ(data_error_message([&] { read_idx(block); }),
            block + ": corrupt gzip stream: invalid block type");

  std::string bad_crc = good;
  bad_crc[good.size() - 8] ^= 0x01;  // the trailer's CRC-32
  const std::string crc = files.write("crc.gz", bad_crc);
  EXPECT_EQ(data_error_message([&] { read_idx(crc); }),
            crc + ": corrupt gzip stream: incorrect data check");

  const std::string cut = files.write("cut.gz", good.substr(0, good.size() - 4));
  EXPECT_EQ(data_error_message([&] { read_idx(cut); }),
            cut + ": truncated gzip stream: the compressed data ends early");

  const std::string junk = files.write("junk.gz", good + "junk");
  EXPECT_EQ(data_error_message([&] { read_idx(junk); }),
            junk + ": unexpected bytes after the gzip stream");
}

TEST(IdxPair, ImagesAndLabels) {
  TempFiles files;
  const auto pair =
      read_idx_pair(files.write("images.idx", idx_bytes({3, 2, 2}, counting(12))),
                    write_gzip(files, "labels.gz", idx_bytes({3}, std::string("\x07\x00\x09", 3))));
  EXPECT_EQ(pair.rows, 3);
  EXPECT_EQ(pair.features, 4);
  EXPECT_EQ(pair.pixels.size(), 12u);
  EXPECT_EQ(pair.pixels[11], 11);
  EXPECT_EQ(pair.labels, (std::vector<std::uint8_t>{7, 0, 9}));
}

TEST(IdxPair, Errors) {
  TempFiles files;
  const std::string images = files.write("images.idx", idx_bytes({3, 4}, counting(12)));
  const std::string labels = files.write("labels.idx", idx_bytes({2}, counting(2)));
  EXPECT_EQ(data_error_message([&] { read_idx_pair(images, labels); }),
            images + ": 3 images, but " + labels + " holds 2 labels");
  EXPECT_EQ(
      data_error_message([&] { read_idx_pair(labels, labels); }),
      labels + ": an images file has 2 or more dimensions [count, pixels...], this one has 1");
  EXPECT_EQ(data_error_message([&] { read_idx_pair(images, images); }),
            images + ": a labels file has 1 dimension [count], this one has 2");
}

TEST(FashionMnist, ClassNames) {
  EXPECT_STREQ(fashion_mnist_class_names[0], "T-shirt/top");
  EXPECT_STREQ(fashion_mnist_class_names[9], "Ankle boot");
}

// Debian's dataset-fashion-mnist: 60000 training and 10000 test images of 28 x 28, 6000 and 1000
// of each of the ten classes.
TEST(FashionMnist, RealFilesLoad) {
  if (!std::filesystem::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")) {
    GTEST_SKIP() << "Debian's dataset-fashion-mnist is not installed";
  }
  const FashionMnistFiles paths = fashion_mnist_files();
  const LabelledImages train = read_idx_pair(paths.train_images, paths.train_labels);
  EXPECT_EQ(train.rows, 60000);
  EXPECT_EQ(train.features, 784);
  EXPECT_EQ(train.image_dims, (std::vector<Index>{28, 28}));
  EXPECT_EQ(train.sample_shape(), Shape({1, 28, 28}));  // one grey channel, as torchvision's
  EXPECT_EQ(train.pixels.size(), 60000u * 784u);
  EXPECT_EQ(train.pixels.capacity(), train.pixels.size());  // 47 MB of bytes, nothing more
  const LabelledImages test = read_idx_pair(paths.test_images, paths.test_labels);
  EXPECT_EQ(test.rows, 10000);
  EXPECT_EQ(test.features, 784);
  for (const auto* set : {&train, &test}) {
    std::vector<long> counts(10, 0);
    for (std::uint8_t label : set->labels) {
      ASSERT_LT(label, 10);
      ++counts[label];
    }
    EXPECT_EQ(counts, std::vector<long>(10, set->rows / 10));
  }
  EXPECT_EQ(*std::max_element(train.pixels.begin(), train.pixels.end()), 255);
}

}  // namespace
}  // namespace scratchnet::data
