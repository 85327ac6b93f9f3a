// The safetensors reader and writer: the exact bytes of a small file, the bytes torch's save_file
// writes (tests/fixtures/torch_sequential*.safetensors, from tools/make_safetensors_fixtures.py),
// round trips, and every malformed file the reader must refuse, each with its one-line message.
// Malformed files are crafted here byte by byte: an 8-byte length, a header, a data buffer.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <new>

#include "scratchnet/io/safetensors.hpp"
#include "temporary_folder.hpp"

// The largest single allocation since the last reset, to show that a hostile header length
// allocates nothing of its size. Every unaligned operator new and delete is replaced (all of them,
// so that AddressSanitizer sees matching pairs), counting every container's allocations.
namespace {
std::atomic<std::size_t> largest_allocation{0};

void* counted_allocation(std::size_t size) noexcept {
  std::size_t seen = largest_allocation.load();
  while (size > seen && !largest_allocation.compare_exchange_weak(seen, size)) {
  }
  return std::malloc(size ? size : 1);
}
}  // namespace

void* operator new(std::size_t size) {
  if (void* memory = counted_allocation(size)) return memory;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
  return operator new(size);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return counted_allocation(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return counted_allocation(size);
}
// GCC cannot see that the replaced operators above are what pair with free() here.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* memory) noexcept {
  std::free(memory);
}
void operator delete[](void* memory) noexcept {
  std::free(memory);
}
void operator delete(void* memory, std::size_t) noexcept {
  std::free(memory);
}
void operator delete[](void* memory, std::size_t) noexcept {
  std::free(memory);
}
void operator delete(void* memory, const std::nothrow_t&) noexcept {
  std::free(memory);
}
void operator delete[](void* memory, const std::nothrow_t&) noexcept {
  std::free(memory);
}
#pragma GCC diagnostic pop

namespace scratchnet::io {
namespace {

using testing::read_bytes;
using testing::TemporaryFolder;
using testing::write_bytes;

namespace fs = std::filesystem;

std::string little_endian_u64(std::uint64_t value) {
  std::string bytes(8, '\0');
  for (int i = 0; i < 8; ++i)
    bytes[i] = char((value >> (8 * i)) & 0xff);
  return bytes;
}

// A file of `header` (unpadded) followed by `data_size` zero bytes.
std::string file_bytes(const std::string& header, std::size_t data_size) {
  return little_endian_u64(header.size()) + header + std::string(data_size, '\0');
}

class SafetensorsRead : public ::testing::Test {
 protected:
  // The FormatError read_safetensors raises for `bytes` written to "model.safetensors", with
  // the folder taken out of its path; "no error" if it reads.
  std::string error_for(const std::string& bytes) {
    write_bytes(path_, bytes);
    try {
      read_safetensors(path_);
    } catch (const FormatError& error) {
      std::string text = error.what();
      const std::string folder = fs::path(path_).parent_path().string() + "/";
      if (text.starts_with(folder)) text.erase(0, folder.size());
      return text;
    }
    return "no error";
  }

  TemporaryFolder folder_;
  std::string path_ = folder_.file("model.safetensors");
};

std::string fixture(const std::string& name) {
  return std::string(SCRATCHNET_FIXTURES_DIR) + "/" + name;
}

TEST(SafetensorsWrite, WritesTheExactBytesOfASmallFile) {
  const std::vector<float> values{1.0f, 2.0f};
  const std::string bytes =
      encode_safetensors({make_tensor<float>("a", {2}, values)}, {{"k", "v"}});
  // 79 bytes of JSON, one space to make 80 (a multiple of 8), then 1.0f and 2.0f little-endian.
  const std::string header =
      R"({"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}} )";
  const std::string expected = std::string("\x50\0\0\0\0\0\0\0", 8) + header +
                               std::string("\x00\x00\x80\x3f\x00\x00\x00\x40", 8);
  EXPECT_EQ(bytes, expected);
}

TEST(SafetensorsWrite, LaysTensorsOutInTheOrderGivenWithoutMetadata) {
  const std::vector<double> a{1.5};
  const std::vector<float> b{};
  const std::string bytes = encode_safetensors(
      {make_tensor<double>("z", {1}, a), make_tensor<float>("b", {0, 3}, b)}, {});
  const std::string header = R"({"z":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},)"
                             R"("b":{"dtype":"F32","shape":[0,3],"data_offsets":[8,8]}})";
  ASSERT_EQ(header.size() % 8, 5u);  // three spaces of padding
  EXPECT_EQ(bytes, little_endian_u64(header.size() + 3) + header + "   " +
                       std::string("\0\0\0\0\0\0\xf8\x3f", 8));
}

TEST(SafetensorsWrite, WritesTheBytesTorchsSaveFileWrites) {
  for (const char* name : {"torch_sequential.safetensors", "torch_sequential_f64.safetensors"}) {
    const SafetensorsFile file = read_safetensors(fixture(name));
    EXPECT_EQ(encode_safetensors(file.tensors, file.metadata), read_bytes(fixture(name))) << name;
  }
}

TEST_F(SafetensorsRead, ReadsTorchsStateDict) {
  const SafetensorsFile file = read_safetensors(fixture("torch_sequential.safetensors"));
  EXPECT_TRUE(file.metadata.empty());
  ASSERT_EQ(file.tensors.size(), 4u);
  EXPECT_EQ(file.tensors[0].name, "0.bias");  // save_file sorts by name
  EXPECT_EQ(file.tensors[1].name, "0.weight");
  EXPECT_EQ(file.tensors[1].shape, (std::vector<std::int64_t>{4, 3}));
  EXPECT_EQ(file.tensors[1].dtype, Dtype::F32);
  EXPECT_EQ(tensor_values<float>(file.tensors[1])[1], 0.3097158372402191f);  // torch's [0][1]
  ASSERT_NE(file.find("2.weight"), nullptr);
  EXPECT_EQ(file.find("2.weight")->shape, (std::vector<std::int64_t>{2, 4}));
  EXPECT_EQ(file.find("3.weight"), nullptr);

  const SafetensorsFile f64 = read_safetensors(fixture("torch_sequential_f64.safetensors"));
  EXPECT_EQ(f64.metadata, (std::map<std::string, std::string>{{"format", "pt"}}));
  EXPECT_EQ(f64.find("0.weight")->dtype, Dtype::F64);
  EXPECT_EQ(tensor_values<double>(*f64.find("0.weight"))[1], double(0.3097158372402191f));
}

TEST_F(SafetensorsRead, RoundTripsEveryKindOfTensorAndMetadata) {
  const std::vector<float> floats{1.5f, -0.0f, 3.4028235e38f, 1e-45f, -2.25f, 7.0f};
  const std::vector<double> doubles{0.1, -1e308, 5e-324};
  const std::vector<double> scalar{42.0};
  TensorRecord raw{"ints", Dtype::I32, {2}, {}};
  for (int byte : {1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff})
    raw.data.push_back(std::byte(byte));
  const std::vector<TensorRecord> tensors{
      make_tensor<float>("layer.weight", {2, 3}, floats), make_tensor<double>("b", {3}, doubles),
      make_tensor<double>("scalar", {}, scalar), make_tensor<float>("empty", {0}, {}), raw};
  const std::map<std::string, std::string> metadata{
      {"format", "pt"}, {"ünïcode ✓", "line\nbreak \"quoted\""}, {"empty", ""}};
  write_bytes(path_, encode_safetensors(tensors, metadata));

  const SafetensorsFile file = read_safetensors(path_);
  EXPECT_EQ(file.metadata, metadata);
  ASSERT_EQ(file.tensors.size(), tensors.size());
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    EXPECT_EQ(file.tensors[i].name, tensors[i].name);
    EXPECT_EQ(file.tensors[i].dtype, tensors[i].dtype);
    EXPECT_EQ(file.tensors[i].shape, tensors[i].shape);
    EXPECT_EQ(file.tensors[i].data, tensors[i].data);
  }
  EXPECT_EQ(tensor_values<float>(file.tensors[0]), floats);
  EXPECT_EQ(tensor_values<double>(file.tensors[1]), doubles);
  EXPECT_EQ(tensor_values<double>(file.tensors[2]), scalar);
  EXPECT_EQ(tensor_values<double>(file.tensors[0])[0], 1.5);  // F32 widens exactly
  EXPECT_EQ(tensor_values<float>(file.tensors[1])[0], 0.1f);  // F64 rounds to nearest
  EXPECT_THROW(tensor_values<float>(file.tensors[4]), std::invalid_argument);  // I32
}

TEST(SafetensorsWrite, RefusesTensorsThatCannotBeWritten) {
  const std::vector<float> two{1, 2};
  TensorRecord short_data = make_tensor<float>("a", {2}, two);
  short_data.data.pop_back();
  EXPECT_THROW(encode_safetensors({short_data}, {}), std::invalid_argument);
  EXPECT_THROW(encode_safetensors(
                   {make_tensor<float>("a", {2}, two), make_tensor<float>("a", {2}, two)}, {}),
               std::invalid_argument);
  EXPECT_THROW(encode_safetensors({make_tensor<float>("__metadata__", {2}, two)}, {}),
               std::invalid_argument);
  EXPECT_THROW(make_tensor<float>("a", {3}, two), std::invalid_argument);
  EXPECT_THROW(make_tensor<float>("a", {-2}, two), std::invalid_argument);
}

TEST_F(SafetensorsRead, SaysWhenTheFileCannotBeRead) {
  const std::string missing = folder_.file("missing.safetensors");
  try {
    read_safetensors(missing);
    FAIL() << "no error";
  } catch (const std::runtime_error& error) {
    EXPECT_EQ(std::string(error.what()), missing + ": cannot read: No such file or directory");
  }
}

TEST_F(SafetensorsRead, RefusesFilesTooShortForTheHeaderLength) {
  EXPECT_EQ(error_for(""),
            "model.safetensors: the file is 0 bytes, too short for the 8-byte "
            "header length");
  EXPECT_EQ(error_for("abcde"),
            "model.safetensors: the file is 5 bytes, too short for the "
            "8-byte header length");
}

TEST_F(SafetensorsRead, RefusesAHeaderLengthPastTheEndOfTheFile) {
  EXPECT_EQ(error_for(little_endian_u64(13) + "{}"),
            "model.safetensors: header length 13 runs past the end of the 10-byte file");
}

// A file of another kind (text: its first 8 bytes read as a length give some 10^18) is named
// as such, rather than as a safetensors file with a bad length.
TEST_F(SafetensorsRead, SaysATextFileIsNotASafetensorsFile) {
  const std::string csv = "fixed_acidity,volatile_acidity,class\n7.4,0.7,0\n";
  std::uint64_t length = 0;  // "fixed_ac" read as a little-endian length
  for (int i = 7; i >= 0; --i)
    length = length * 256 + static_cast<unsigned char>(csv[std::size_t(i)]);
  EXPECT_EQ(error_for(csv), "model.safetensors: not a safetensors file (header length " +
                                std::to_string(length) + " runs past the end of the " +
                                std::to_string(csv.size()) + "-byte file)");
  // A plausible length whose header is not there: text after a small number.
  EXPECT_EQ(error_for(little_endian_u64(100) + "hello"),
            "model.safetensors: not a safetensors file (header length 100 runs past the end of "
            "the 13-byte file)");
}

TEST_F(SafetensorsRead, RefusesAHeaderLengthOf2To60WithoutAllocatingIt) {
  const std::string bytes = little_endian_u64(std::uint64_t(1) << 60) + "{\"a\":1}     ";
  ASSERT_EQ(bytes.size(), 20u);
  write_bytes(path_, bytes);
  largest_allocation = 0;
  EXPECT_THROW(read_safetensors(path_), FormatError);
  EXPECT_LT(largest_allocation.load(), 4096u);
  EXPECT_EQ(error_for(bytes),
            "model.safetensors: not a safetensors file (header length 1152921504606846976 "
            "runs past the end of the 20-byte file)");
}

TEST_F(SafetensorsRead, RefusesAHeaderOver100MegabytesWithoutAllocatingIt) {
  // A sparse file: its size says the header fits, but the limit is 100,000,000 bytes.
  const std::uint64_t length = 100'000'001;
  write_bytes(path_, little_endian_u64(length) + "{");
  fs::resize_file(path_, 8 + length);
  largest_allocation = 0;
  try {
    read_safetensors(path_);
    FAIL() << "no error";
  } catch (const FormatError& error) {
    EXPECT_EQ(std::string(error.what()),
              path_ + ": header length 100000001 is over the limit of 100000000 bytes");
  }
  EXPECT_LT(largest_allocation.load(), 4096u);
}

TEST_F(SafetensorsRead, RefusesAHeaderThatIsNotUtf8) {
  EXPECT_EQ(error_for(file_bytes("{\"a\xff\":1}", 0)),
            "model.safetensors: header is not valid UTF-8 (at byte 3 of the header)");
  EXPECT_EQ(error_for(file_bytes("{\"\xc0\xaf\":1}", 0)),  // an overlong '/'
            "model.safetensors: header is not valid UTF-8 (at byte 2 of the header)");
  EXPECT_EQ(error_for(file_bytes("{\"\xed\xa0\x80\":1}", 0)),  // a UTF-16 surrogate
            "model.safetensors: header is not valid UTF-8 (at byte 2 of the header)");
}

TEST_F(SafetensorsRead, RefusesAHeaderThatIsNotJson) {
  EXPECT_EQ(error_for(file_bytes("{\"a\":", 0)),
            "model.safetensors: header is not valid JSON: parse error at line 1, column 6: "
            "syntax error while parsing value - unexpected end of input; expected '[', '{', or "
            "a literal");
  EXPECT_EQ(error_for(file_bytes("{} x", 0)),
            "model.safetensors: header is not valid JSON: parse error at line 1, column 4: "
            "syntax error while parsing value - invalid literal; last read: '{} x'; expected "
            "end of input");
}

TEST_F(SafetensorsRead, RefusesAHeaderThatIsNotAnObject) {
  const std::string message =
      "model.safetensors: not a safetensors file (the header after its 8-byte length does not "
      "start with '{')";
  EXPECT_EQ(error_for(file_bytes("[1, 2]", 0)), message);
  EXPECT_EQ(error_for(file_bytes("", 0)), message);
  EXPECT_EQ(error_for(file_bytes(" {}", 0)), message);
}

TEST_F(SafetensorsRead, AcceptsAnEmptyFileAndSpacePadding) {
  EXPECT_EQ(error_for(file_bytes("{}      ", 0)), "no error");
}

TEST_F(SafetensorsRead, ReadsThirtyThousandTensorsAndFindsEachByName) {
  // The count of tensors is bounded only by the header's size; finding each by name must not
  // cost a pass over all of them (that made loading quadratic).
  std::vector<TensorRecord> tensors;
  const std::vector<float> one{1.5f};
  for (int i = 0; i < 30'000; ++i)
    tensors.push_back(make_tensor<float>(std::to_string(i) + ".weight", {1}, one));
  write_bytes(path_, encode_safetensors(tensors, {}));
  const SafetensorsFile file = read_safetensors(path_);
  ASSERT_EQ(file.tensors.size(), 30'000u);
  const TensorsByName by_name(file.tensors);
  for (int i = 0; i < 30'000; ++i) {
    const std::string name = std::to_string(i) + ".weight";
    const TensorRecord* found = by_name.find(name);
    ASSERT_NE(found, nullptr) << name;
    EXPECT_EQ(found->name, name);
    EXPECT_EQ(found, file.find(name));
  }
  EXPECT_EQ(by_name.find("30000.weight"), nullptr);
  EXPECT_EQ(by_name.find(""), nullptr);
  EXPECT_EQ(TensorsByName({}).find("0.weight"), nullptr);
}

TEST_F(SafetensorsRead, QuotesANameWithControlCharactersEscapedAndWhole) {
  // \u0000 is a NUL in the name: a message holding it raw would end there (what() is a C
  // string); \u001b and \u009b would start terminal escape sequences.
  EXPECT_EQ(
      error_for(file_bytes(
          R"({"a\u0000b\u001b[2J\u009bc":{"dtype":"X8","shape":[],"data_offsets":[0,0]}})", 0)),
      "model.safetensors: tensor 'a\\x00b\\x1b[2J\\u009bc': unknown dtype 'X8'");
}

TEST_F(SafetensorsRead, RefusesMetadataThatIsNotAFlatMapOfStrings) {
  EXPECT_EQ(error_for(file_bytes(R"({"__metadata__":{"a":"x","b":1}})", 0)),
            "model.safetensors: __metadata__ must map names to strings, but 'b' holds 1");
  EXPECT_EQ(error_for(file_bytes(R"({"__metadata__":{"a":{"b":"c"}}})", 0)),
            "model.safetensors: __metadata__ must map names to strings, but 'a' holds an object");
  EXPECT_EQ(error_for(file_bytes(R"({"__metadata__":{"a":["b"]}})", 0)),
            "model.safetensors: __metadata__ must map names to strings, but 'a' holds a list");
  EXPECT_EQ(error_for(file_bytes(R"({"__metadata__":"x"})", 0)),
            "model.safetensors: __metadata__ must be an object mapping names to strings, found a "
            "string");
  EXPECT_EQ(error_for(file_bytes(R"({"__metadata__":null})", 0)),
            "model.safetensors: __metadata__ must be an object mapping names to strings, found "
            "null");
}

TEST_F(SafetensorsRead, RefusesDuplicateKeys) {
  const std::string a = R"("a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]})";
  EXPECT_EQ(error_for(file_bytes("{" + a + "," + a + "}", 1)),
            "model.safetensors: duplicate tensor name 'a'");
  EXPECT_EQ(error_for(file_bytes(R"({"__metadata__":{},"__metadata__":{}})", 0)),
            "model.safetensors: duplicate key '__metadata__'");
  EXPECT_EQ(error_for(file_bytes(R"({"__metadata__":{"k":"1","k":"2"}})", 0)),
            "model.safetensors: __metadata__: duplicate key 'k'");
  EXPECT_EQ(error_for(file_bytes(
                R"({"a":{"dtype":"U8","dtype":"U8","shape":[1],"data_offsets":[0,1]}})", 1)),
            "model.safetensors: tensor 'a': duplicate field 'dtype'");
}

TEST_F(SafetensorsRead, RefusesEntriesWithMissingOrUnknownFields) {
  EXPECT_EQ(error_for(file_bytes(R"({"a":{"dtype":"U8","shape":[1]}})", 1)),
            "model.safetensors: tensor 'a': missing field 'data_offsets'");
  EXPECT_EQ(error_for(file_bytes(R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1],)"
                                 R"("offsets":[0,1]}})",
                                 1)),
            "model.safetensors: tensor 'a': unknown field 'offsets' (a tensor has dtype, shape "
            "and data_offsets)");
  EXPECT_EQ(error_for(file_bytes(R"({"a":[1]})", 0)),
            "model.safetensors: tensor 'a': entry must be an object with dtype, shape and "
            "data_offsets, found a list");
  EXPECT_EQ(error_for(file_bytes("{\"a\\nb\":5}", 0)),  // a name holding a line break
            "model.safetensors: tensor 'a\\nb': entry must be an object with dtype, shape and "
            "data_offsets, found 5");
}

TEST_F(SafetensorsRead, RefusesUnknownDtypes) {
  EXPECT_EQ(
      error_for(file_bytes(R"({"a":{"dtype":"F128","shape":[1],"data_offsets":[0,16]}})", 16)),
      "model.safetensors: tensor 'a': unknown dtype 'F128'");
  EXPECT_EQ(error_for(file_bytes(R"({"a":{"dtype":"f32","shape":[1],"data_offsets":[0,4]}})", 4)),
            "model.safetensors: tensor 'a': unknown dtype 'f32'");
  EXPECT_EQ(error_for(file_bytes(R"({"a":{"dtype":4,"shape":[1],"data_offsets":[0,4]}})", 4)),
            "model.safetensors: tensor 'a': dtype must be a string such as \"F32\", found 4");
}

TEST_F(SafetensorsRead, AcceptsEveryDtypeOfTheFormat) {
  for (const char* name : {"BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16",
                           "I32", "U32", "F32", "F64", "I64", "U64"}) {
    const Dtype dtype = parse_dtype(name).value();
    EXPECT_EQ(dtype_name(dtype), name);
    const std::size_t size = dtype_size(dtype);
    const std::string header = std::string(R"({"a":{"dtype":")") + name +
                               R"(","shape":[2],"data_offsets":[0,)" + std::to_string(2 * size) +
                               "]}}";
    EXPECT_EQ(error_for(file_bytes(header, 2 * size)), "no error") << name;
  }
}

TEST_F(SafetensorsRead, RefusesShapesThatAreNotListsOfNonNegativeIntegers) {
  const auto with_shape = [](const std::string& shape) {
    return file_bytes(R"({"a":{"dtype":"U8","shape":)" + shape + R"(,"data_offsets":[0,2]}})", 2);
  };
  const std::string expected =
      "model.safetensors: tensor 'a': shape must be a list of "
      "non-negative integers, found ";
  EXPECT_EQ(error_for(with_shape("[2,-1]")), expected + "-1");
  EXPECT_EQ(error_for(with_shape("[2.0]")), expected + "2.0");
  EXPECT_EQ(error_for(with_shape("[2e0]")), expected + "2e0");
  EXPECT_EQ(error_for(with_shape("[\"2\"]")), expected + "a string");
  EXPECT_EQ(error_for(with_shape("[[2]]")), expected + "a list");
  EXPECT_EQ(error_for(with_shape("[true]")), expected + "true");
  EXPECT_EQ(error_for(with_shape("2")), expected + "2");
  EXPECT_EQ(error_for(with_shape("{}")), expected + "an object");
  EXPECT_EQ(error_for(with_shape("[18446744073709551616]")), expected + "18446744073709551616");
  EXPECT_EQ(error_for(with_shape("[9223372036854775808]")),
            "model.safetensors: tensor 'a': shape dimension 9223372036854775808 is too large");
}

TEST_F(SafetensorsRead, RefusesShapesWhoseSizeOverflows) {
  EXPECT_EQ(error_for(file_bytes(R"({"a":{"dtype":"U8","shape":[4294967296,4294967296],)"
                                 R"("data_offsets":[0,0]}})",
                                 0)),
            "model.safetensors: tensor 'a': shape [4294967296, 4294967296] has more elements "
            "than 64 bits can count");
  EXPECT_EQ(error_for(file_bytes(R"({"a":{"dtype":"F32","shape":[4611686018427387904],)"
                                 R"("data_offsets":[0,0]}})",
                                 0)),
            "model.safetensors: tensor 'a': shape [4611686018427387904] holds more F32 bytes "
            "than 64 bits can count");
}

TEST_F(SafetensorsRead, RefusesASizeThatDisagreesWithTheOffsets) {
  EXPECT_EQ(error_for(file_bytes(R"({"0.weight":{"dtype":"F32","shape":[3,4],)"
                                 R"("data_offsets":[0,40]}})",
                                 40)),
            "model.safetensors: tensor '0.weight': shape [3, 4] holds 12 F32 values = 48 bytes "
            "but data_offsets span 40");
  EXPECT_EQ(error_for(file_bytes(R"({"s":{"dtype":"F64","shape":[],"data_offsets":[0,4]}})", 4)),
            "model.safetensors: tensor 's': shape [] holds 1 F64 values = 8 bytes but "
            "data_offsets span 4");
}

TEST_F(SafetensorsRead, RefusesOffsetsThatAreNotTwoNonNegativeIntegersInRange) {
  const auto with_offsets = [](const std::string& offsets) {
    return file_bytes(R"({"a":{"dtype":"U8","shape":[4],"data_offsets":)" + offsets + "}}", 4);
  };
  const std::string expected =
      "model.safetensors: tensor 'a': data_offsets must be two non-negative integers [begin, "
      "end], found ";
  EXPECT_EQ(error_for(with_offsets("[0]")), expected + "1");
  EXPECT_EQ(error_for(with_offsets("[0,4,8]")), expected + "3");
  EXPECT_EQ(error_for(with_offsets("[-1,3]")), expected + "-1");
  EXPECT_EQ(error_for(with_offsets("[0,4.0]")), expected + "4.0");
  EXPECT_EQ(error_for(with_offsets("\"0,4\"")), expected + "a string");
  EXPECT_EQ(error_for(with_offsets("[8,4]")),
            "model.safetensors: tensor 'a': data_offsets [8, 4] end before they begin");
  EXPECT_EQ(error_for(with_offsets("[4,8]")),
            "model.safetensors: tensor 'a': data_offsets [4, 8] run past the end of the 4-byte "
            "data buffer");
  EXPECT_EQ(error_for(file_bytes(R"({"a":{"dtype":"U8","shape":[3],)"
                                 R"("data_offsets":[18446744073709551612,18446744073709551615]}})",
                                 4)),
            "model.safetensors: tensor 'a': data_offsets [18446744073709551612, "
            "18446744073709551615] run past the end of the 4-byte data buffer");
}

TEST_F(SafetensorsRead, RefusesTensorsThatLeaveGapsOrOverlap) {
  const auto two = [](const std::string& a, const std::string& b, std::size_t data) {
    return file_bytes(R"({"a":{"dtype":"U8","shape":[4],"data_offsets":)" + a +
                          R"(},"b":{"dtype":"U8","shape":[4],"data_offsets":)" + b + "}}",
                      data);
  };
  EXPECT_EQ(error_for(two("[0,4]", "[4,8]", 8)), "no error");
  EXPECT_EQ(error_for(two("[4,8]", "[0,4]", 8)), "no error");  // any order in the header
  EXPECT_EQ(error_for(two("[2,6]", "[6,10]", 10)),
            "model.safetensors: tensor 'a': data_offsets [2, 6] leave a gap: the data buffer "
            "starts at 0");
  EXPECT_EQ(error_for(two("[0,4]", "[6,10]", 10)),
            "model.safetensors: tensor 'b': data_offsets [6, 10] leave a gap after tensor 'a', "
            "which ends at 4");
  EXPECT_EQ(error_for(two("[0,4]", "[2,6]", 6)),
            "model.safetensors: tensor 'b': data_offsets [2, 6] overlap tensor 'a', which ends "
            "at 4");
  EXPECT_EQ(error_for(two("[0,4]", "[0,4]", 4)),
            "model.safetensors: tensor 'b': data_offsets [0, 4] overlap tensor 'a', which ends "
            "at 4");
}

TEST_F(SafetensorsRead, RefusesTrailingBytesAfterTheLastTensor) {
  EXPECT_EQ(error_for(file_bytes(R"({"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}})", 6)),
            "model.safetensors: the data buffer holds 6 bytes but the tensors end at 4 "
            "(trailing bytes)");
  EXPECT_EQ(error_for(file_bytes("{}", 1)),
            "model.safetensors: the data buffer holds 1 bytes but the tensors end at 0 "
            "(trailing bytes)");
}

TEST(SafetensorsFormat, WritesShapesForMessages) {
  EXPECT_EQ(shape_text(std::vector<std::int64_t>{3, 4}), "[3, 4]");
  EXPECT_EQ(shape_text(std::vector<std::int64_t>{}), "[]");
  EXPECT_EQ(shape_text(std::vector<std::int64_t>(20, 1)),
            "[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, … (20 dimensions)]");
  EXPECT_EQ(element_count({}), 1);
  EXPECT_EQ(element_count({2, 0, 5}), 0);
  EXPECT_EQ(element_count({std::int64_t(1) << 62, 2, 0}), 0);  // no overflow before the 0
}

// Fails fuzz/fuzz_safetensors's check that every tensor read holds element_count(shape) values:
// the reader took this empty tensor (its size fits 64 bits unsigned, as in the reference
// reader), but element_count overflowed on the dimensions before the 0 and threw.
TEST_F(SafetensorsRead, AnEmptyTensorWithHugeDimensionsHasNoElements) {
  const std::string header =
      R"({"a":{"dtype":"F32","shape":[4611686018427387904,2,0],"data_offsets":[0,0]}})";
  EXPECT_EQ(error_for(file_bytes(header, 0)), "no error");
  const SafetensorsFile file = read_safetensors(path_);
  ASSERT_EQ(file.tensors.size(), 1u);
  EXPECT_EQ(element_count(file.tensors[0].shape), 0);
}

}  // namespace
}  // namespace scratchnet::io
