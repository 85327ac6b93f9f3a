// CSV tables: quoting, line endings, the byte order mark, header detection, label columns, the
// prediction layout, each error's one-line message with its line and column; and the classes of
// a label column.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <cmath>

#include "data_files.hpp"
#include "scratchnet/data/classes.hpp"
#include "scratchnet/data/csv.hpp"

namespace scratchnet::data {
namespace {

using scratchnet::testing::data_error_message;
using scratchnet::testing::TempFiles;
using Strings = std::vector<std::string>;

Matrix<double> rows_of(std::initializer_list<std::initializer_list<double>> rows) {
  Matrix<double> matrix(Index(rows.size()), Index(rows.begin()->size()));
  Index r = 0;
  for (const auto& row : rows) {
    Index c = 0;
    for (double value : row)
      matrix(r, c++) = value;
    ++r;
  }
  return matrix;
}

TEST(Csv, ReadsAHeaderFeaturesAndTextLabels) {
  TempFiles files;
  const auto table = read_csv(
      files.write("iris.csv", "sepal,petal,species\n5.1,1.4,setosa\n-7,2.5e-1,versicolor\n"), {});
  EXPECT_EQ(table.feature_names, (Strings{"sepal", "petal"}));
  EXPECT_EQ(table.label_name, "species");
  EXPECT_EQ(table.features, rows_of({{5.1, 1.4}, {-7, 0.25}}));
  EXPECT_EQ(table.labels, (Strings{"setosa", "versicolor"}));
}

// Quoted fields with commas, doubled quotes and a line break; CRLF line endings; a UTF-8 byte
// order mark; no final newline; spaces around cells (kept inside quotes).
TEST(Csv, QuotesCrlfAndByteOrderMark) {
  TempFiles files;
  const auto table = read_csv(files.write("quoted.csv",
                                          "\xEF\xBB\xBF\"x, first\",\"y \"\"2\"\"\",label\r\n"
                                          "\" 1.5 \", 2 ,\"a,b\"\r\n"
                                          "3,\"4\",\"say \"\"hi\"\"\r\nthere\"\r\n"
                                          "  5 ,+6,  plain text  "),
                              {});
  EXPECT_EQ(table.feature_names, (Strings{"x, first", "y \"2\""}));
  EXPECT_EQ(table.label_name, "label");
  EXPECT_EQ(table.features, rows_of({{1.5, 2}, {3, 4}, {5, 6}}));
  EXPECT_EQ(table.labels, (Strings{"a,b", "say \"hi\"\r\nthere", "plain text"}));
}

TEST(Csv, SkipsEmptyLinesAndAcceptsAFinalNewline) {
  TempFiles files;
  const auto table = read_csv(files.write("blank.csv", "\na,y\n\n1,p\r\n\r\n2,q\n\n"), {});
  EXPECT_EQ(table.features, rows_of({{1}, {2}}));
  EXPECT_EQ(table.labels, (Strings{"p", "q"}));
}

TEST(Csv, DetectsAFileWithoutHeader) {
  TempFiles files;
  const auto table = read_csv(files.write("plain.csv", "1,2,0\n3,4,1\n"), {});
  EXPECT_EQ(table.feature_names, (Strings{"0", "1"}));
  EXPECT_EQ(table.label_name, "2");
  EXPECT_EQ(table.features, rows_of({{1, 2}, {3, 4}}));
  EXPECT_EQ(table.labels, (Strings{"0", "1"}));
}

TEST(Csv, HeaderOptionOverridesDetection) {
  TempFiles files;
  const std::string path = files.write("numbers.csv", "10,20,30\n1,2,3\n");
  const auto with_header = read_csv(path, {.header = true});
  EXPECT_EQ(with_header.feature_names, (Strings{"10", "20"}));
  EXPECT_EQ(with_header.label_name, "30");
  EXPECT_EQ(with_header.features.rows(), 1);
  const auto without =
      read_csv(files.write("text.csv", "cat,1\ndog,2\n"), {.header = false, .label = "0"});
  EXPECT_EQ(without.features, rows_of({{1}, {2}}));
  EXPECT_EQ(without.labels, (Strings{"cat", "dog"}));
  const std::string names = files.write("names.csv", "a,b\n1,2\n");
  EXPECT_EQ(data_error_message([&] { read_csv(names, {.header = false}); }),
            names + ":1:1: feature cell 'a' is not a number (column 0)");
}

TEST(Csv, LabelColumnByNameOrIndex) {
  TempFiles files;
  const std::string path = files.write("middle.csv", "a,y,b\n1,cat,2\n3,dog,4\n");
  for (const std::string label : {"y", "1"}) {
    const auto table = read_csv(path, {.label = label});
    EXPECT_EQ(table.feature_names, (Strings{"a", "b"}));
    EXPECT_EQ(table.label_name, "y");
    EXPECT_EQ(table.features, rows_of({{1, 2}, {3, 4}}));
    EXPECT_EQ(table.labels, (Strings{"cat", "dog"}));
  }
  const auto headerless = read_csv(files.write("first.csv", "7,1,2\n8,3,4\n"), {.label = "0"});
  EXPECT_EQ(headerless.feature_names, (Strings{"1", "2"}));  // their column indices
  EXPECT_EQ(headerless.label_name, "0");
  EXPECT_EQ(headerless.labels, (Strings{"7", "8"}));
}

TEST(Csv, NumericLabelsForRegression) {
  TempFiles files;
  const auto table = read_csv(files.write("regression.csv", "x,target\n1,1.5\n2, -2e3 \n3,\"7\"\n"),
                              {.numeric_label = true});
  EXPECT_EQ(table.labels, (Strings{"1.5", "-2e3", "7"}));
  EXPECT_EQ(numeric_targets(table.labels, "regression.csv"), rows_of({{1.5}, {-2000}, {7}}));
}

TEST(Csv, ConstantColumnIsNotAnError) {
  TempFiles files;
  const auto table = read_csv(files.write("constant.csv", "a,b,y\n1,0,p\n2,0,q\n"), {});
  EXPECT_EQ(table.features, rows_of({{1, 0}, {2, 0}}));
}

TEST(Csv, NumbersAsPythonReadsThem) {
  TempFiles files;
  const auto table = read_csv(
      files.write("numbers.csv", "a,b,c,d,y\n.5,5.,1e-400,-0,p\n+1,1E3,\t2\t,0.1,q\n"), {});
  EXPECT_EQ(table.features, rows_of({{0.5, 5, 0, 0}, {1, 1000, 2, 0.1}}));
}

// For prediction, a file may come with or without the label column.
TEST(Csv, ExpectedFeaturesMakesTheLabelOptional) {
  TempFiles files;
  const auto unlabelled = read_csv(files.write("two.csv", "1,2\n3,4\n"), {.expected_features = 2});
  EXPECT_EQ(unlabelled.features, rows_of({{1, 2}, {3, 4}}));
  EXPECT_TRUE(unlabelled.labels.empty());
  EXPECT_EQ(unlabelled.label_name, "");
  EXPECT_EQ(unlabelled.feature_names, (Strings{"0", "1"}));
  const auto labelled =
      read_csv(files.write("three.csv", "a,b,y\n1,2,cat\n"), {.expected_features = 2});
  EXPECT_EQ(labelled.features, rows_of({{1, 2}}));
  EXPECT_EQ(labelled.labels, (Strings{"cat"}));
  EXPECT_EQ(labelled.label_name, "y");
  EXPECT_THROW(read_csv(files.write("zero.csv", "1\n"), {.expected_features = 0}),
               std::invalid_argument);
}

TEST(Csv, FeatureColumnsByNameInAnyOrderWithMissingCellsCounted) {
  TempFiles files;
  const CsvOptions by_name{.label = "y", .feature_columns = {"a", "b"}, .allow_missing = true};
  const auto table = read_csv(files.write("named.csv", "y,b,a\ncat,2,1\ndog,NA,3\n"), by_name);
  EXPECT_EQ(table.feature_names, (Strings{"a", "b"}));
  EXPECT_EQ(table.features(0, 0), 1);
  EXPECT_EQ(table.features(0, 1), 2);
  EXPECT_EQ(table.features(1, 0), 3);
  EXPECT_TRUE(std::isnan(table.features(1, 1)));
  EXPECT_EQ(table.labels, (Strings{"cat", "dog"}));
  EXPECT_EQ(table.missing.total, 1);
  EXPECT_EQ(table.missing.per_column, (std::vector<Index>{0, 1}));
  EXPECT_EQ(describe_missing(table), "1 missing value: column 'b' 1 (at 3:5)");
  // Knowing the names, a first row of numbers and a class name is data; without them, a header.
  const std::string plain = files.write("plain.csv", "1,2,cat\n3,4,dog\n");
  EXPECT_EQ(read_csv(plain, {.feature_columns = {"a", "b"}}).features.rows(), 2);
  EXPECT_EQ(read_csv(plain, {}).features.rows(), 1);
  // A predict-style read: the label may be absent, found by its default name when present.
  const CsvOptions unlabelled{
      .default_label = "y", .expected_features = 2, .feature_columns = {"a", "b"}};
  EXPECT_TRUE(read_csv(files.write("bare.csv", "b,a\n2,1\n"), unlabelled).labels.empty());
  EXPECT_EQ(read_csv(files.write("with.csv", "b,y,a\n2,p,1\n"), unlabelled).labels, (Strings{"p"}));
}

TEST(Csv, CannotOpen) {
  TempFiles files;
  const std::string missing = files.path("missing.csv");
  EXPECT_EQ(data_error_message([&] { read_csv(missing, {}); }),
            missing + ": cannot open: No such file or directory");
  const std::string directory = ::testing::TempDir();
  EXPECT_EQ(data_error_message([&] { read_csv(directory, {}); }),
            directory + ": cannot open: Is a directory");
  const std::string pipe = files.path("pipe.csv");  // refused without waiting for a writer
  ASSERT_EQ(mkfifo(pipe.c_str(), 0600), 0);
  EXPECT_EQ(data_error_message([&] { read_csv(pipe, {}); }),
            pipe + ": cannot open: not a regular file");
}

// A constructor, not an aggregate: GCC 12 warns falsely (-Wmaybe-uninitialized) about the
// CsvOptions of an aggregate in a braced list.
struct BadCsv {
  BadCsv(std::string name, std::string contents, CsvOptions options, std::string message)
      : name(std::move(name)),
        contents(std::move(contents)),
        options(std::move(options)),
        message(std::move(message)) {}
  std::string name;
  std::string contents;
  CsvOptions options;
  std::string message;  // after the path
};

void PrintTo(const BadCsv& bad, std::ostream* out) {
  *out << bad.name;
}

class CsvError : public ::testing::TestWithParam<BadCsv> {};

TEST_P(CsvError, OneLineWithPathLineAndColumn) {
  TempFiles files;
  const std::string path = files.write("bad.csv", GetParam().contents);
  EXPECT_EQ(data_error_message([&] { read_csv(path, GetParam().options); }),
            path + GetParam().message);
}

std::vector<BadCsv> bad_csv_cases() {
  return {
      BadCsv{"Empty", "", {}, ": empty file"},
      BadCsv{"OnlyNewlines", "\n\r\n\n", {}, ": empty file"},
      BadCsv{"OnlyByteOrderMark", "\xEF\xBB\xBF", {}, ": empty file"},
      BadCsv{"HeaderOnly", "a,b,y\n", {}, ":1:1: a header but no data rows"},
      BadCsv{"RaggedShort",
             "a,b,c,y\n1,2,3,p\n1,2,3\n",
             {},
             ":3:1: row has 3 columns, the header has 4"},
      BadCsv{"RaggedLong", "1,2,0\n1,2,3,4\n", {}, ":2:1: row has 4 columns, the first row has 3"},
      BadCsv{
          "BlankCellsRow", "a,b,y\n1,2,p\n  \n", {}, ":3:1: row has 1 columns, the header has 3"},
      BadCsv{"NotANumber",
             "a,b,y\n1,abc,p\n",
             {},
             ":2:3: feature cell 'abc' is not a number (column 'b')"},
      BadCsv{"NotANumberNoHeader",
             "1,2,0\n3,x,1\n",
             {},
             ":2:3: feature cell 'x' is not a number (column 1)"},
      BadCsv{"EmptyFeature", "a,b,y\n1,,p\n", {}, ":2:3: 1 missing value: column 'b' 1 (at 2:3)"},
      BadCsv{"BlankQuotedFeature",
             "a,b,y\n1,\" \",p\n",
             {},
             ":2:3: 1 missing value: column 'b' 1 (at 2:3)"},
      BadCsv{"NaN", "a,b,y\n1, NaN,p\n", {}, ":2:3: 1 missing value: column 'b' 1 (at 2:3)"},
      BadCsv{"MissingEverywhere",
             "a,b,y\nNA,1,p\n?,,q\n3,null,r\n4,5,s\nN/A,6,t\n,7,u\n",
             {},
             ":2:1: 6 missing values: column 'a' 4 (at 2:1, 3:1, 6:1, …), column 'b' 2 (at 3:3, "
             "4:3)"},
      BadCsv{"NALabel",
             "a,b,y\n1,2,p\n3,4,NA\n",
             {},
             ":3:5: label 'NA' marks a missing value; a row without its label cannot be used "
             "(column 'y')"},
      BadCsv{"ColumnsByName",
             "c,a,y,z\n1,2,p,3\n",
             {.label = "y", .feature_columns = {"a", "b"}},
             ":1:1: the columns do not match the features by name: the header lacks 'b'; 'c', 'z' "
             "are not among them"},
      BadCsv{"ColumnNamedTwice",
             "a,b,a,y\n1,2,3,p\n",
             {.feature_columns = {"a", "b"}},
             ":1:1: the header names the feature column 'a' twice, so it is not known which one "
             "to read"},
      BadCsv{"Infinite",
             "a,b,y\n-inf,1,p\n",
             {},
             ":2:1: feature cell '-inf' is not a finite number (column 'a')"},
      BadCsv{"Overflow",
             "a,b,y\n1e999,1,p\n",
             {},
             ":2:1: feature cell '1e999' is not a finite number (column 'a')"},
      BadCsv{"LineBreakInCellIsEscaped",
             "a,b,y\n1,\"4\n2\",p\n",
             {},
             ":2:3: feature cell '4\\n2' is not a number (column 'b')"},
      BadCsv{"LongCellIsCut",
             "a,y\n0123456789012345678901234567890123456789xyz,p\n",
             {},
             ":2:1: feature cell '0123456789012345678901234567890123456789...' is not a "
             "number (column 'a')"},
      BadCsv{"UnterminatedQuote",
             "a,b,y\n1,\"2,p\n3,4,q\n",
             {},
             ":2:3: unterminated quote: the field never closes"},
      BadCsv{"TextAfterClosingQuote",
             "a,b,y\n1,\"2\"x,p\n",
             {},
             ":2:6: unexpected 'x' after a closing quote"},
      BadCsv{"NoSuchLabelName",
             "a,b,y\n1,2,p\n",
             {.label = "species"},
             ":1:1: no label column 'species'; the columns are a, b, y"},
      BadCsv{"NoSuchLabelIndex",
             "a,b,y\n1,2,p\n",
             {.label = "3"},
             ":1:1: no label column '3'; the columns are a, b, y"},
      BadCsv{"NoSuchLabelWithoutHeader",
             "1,2,0\n",
             {.label = "y"},
             ":1:1: no label column 'y'; the file has no header, so its columns are numbered 0 "
             "to 2"},
      BadCsv{"EmptyLabel", "a,b,y\n1,2,p\n1,2,\n", {}, ":3:5: empty label cell (column 'y')"},
      BadCsv{"EmptyQuotedLabel", "a,b,y\n1,2,\"\"\n", {}, ":2:5: empty label cell (column 'y')"},
      BadCsv{"NonNumericLabel",
             "a,b,y\n1,2,3\n1,2,cat\n",
             {.numeric_label = true},
             ":3:5: label 'cat' is not a number (column 'y')"},
      BadCsv{"NaNLabel",
             "a,b,y\n1,2,nan\n",
             {.numeric_label = true},
             ":2:5: label 'nan' marks a missing value; a row without its label cannot be used "
             "(column 'y')"},
      BadCsv{"OnlyALabelColumn",
             "y\n1\n",
             {},
             ":1:1: the only column is the label column: "
             "there are no feature columns"},
      BadCsv{"WrongColumnCountForModel",
             "1,2,3,4\n",
             {.expected_features = 2},
             ":1:1: expected 2 feature columns (or 3 with a label column), the first row has 4"},
      // Lines and columns: CRLF, the byte order mark (not counted), quoted line breaks.
      BadCsv{"ColumnAfterByteOrderMark",
             "\xEF\xBB\xBF"
             "a,\"b",
             {},
             ":1:3: unterminated quote: the field never closes"},
      BadCsv{"LineAfterCrlf",
             "a,b,y\r\n1,2,p\r\n3,x,q\r\n",
             {},
             ":3:3: feature cell 'x' is not a number (column 'b')"},
      BadCsv{"HeaderNotUtf8",
             "a,\"b\xC0\xAF\",y\n1,2,p\n",
             {},
             ":1:3: header cell is not valid UTF-8 (byte 0xC0 at its byte 2); save the file as "
             "UTF-8"},
      BadCsv{"LabelNotUtf8",
             "a,y\n1,p\n2,\xED\xA0\x80\n",  // a surrogate: not UTF-8
             {},
             ":3:3: label is not valid UTF-8 (byte 0xED at its byte 1); save the file as UTF-8"},
      BadCsv{"UnterminatedQuoteAfterManyRows",
             std::string("a,y\n") +
                 [] {
                   std::string rows;
                   for (int i = 0; i < 20000; ++i)
                     rows += "1,p\n";
                   return rows;
                 }() +
                 "2,\"open\n3,q\n",
             {},
             ":20002:3: unterminated quote: the field never closes"},
      BadCsv{"LineAfterQuotedLineBreak",
             "a,y,b\n1,\"two\nlines\",q\n",
             {.label = "y"},
             ":3:8: feature cell 'q' is not a number (column 'b')"}};
}

INSTANTIATE_TEST_SUITE_P(Malformed, CsvError, ::testing::ValuesIn(bad_csv_cases()),
                         [](const auto& info) { return info.param.name; });

// The file is read in pieces of 64 KiB: rows, quoted fields and doubled quotes that straddle
// two pieces, a row longer than a piece, and enough rows to grow the matrix several times.
TEST(Csv, RowsAcrossThePiecesOfALargeFile) {
  TempFiles files;
  std::string text = "\xEF\xBB\xBFx,\"name\"\r\n";
  std::vector<std::string> expected_labels;
  for (int i = 0; i < 30000; ++i) {
    const std::string label = "say \"" + std::to_string(i) + "\"" + (i % 1000 == 0 ? "\n" : "");
    expected_labels.push_back(label);
    std::string quoted_label = "\"";
    for (char c : label)
      quoted_label += c == '"' ? std::string("\"\"") : std::string(1, c);
    text += std::to_string(i) + ", " + quoted_label + "\"\r\n";
  }
  const std::string long_label(200000, 'z');  // one row longer than three pieces
  text += "-1," + long_label;
  expected_labels.push_back(long_label);
  const auto table = read_csv(files.write("large.csv", text), {});
  EXPECT_EQ(table.feature_names, (Strings{"x"}));
  EXPECT_EQ(table.label_name, "name");
  ASSERT_EQ(table.features.rows(), 30001);
  for (Index r = 0; r < 30000; ++r)
    ASSERT_EQ(table.features(r, 0), double(r));
  EXPECT_EQ(table.features(30000, 0), -1);
  EXPECT_EQ(table.labels, expected_labels);
}

TEST(Csv, ErrorLineCountsQuotedLineBreaksAcrossPieces) {
  TempFiles files;
  std::string text = "a,y\n";
  for (int i = 0; i < 10000; ++i)
    text += "1,\"two\nlines\"\n";  // each row takes two lines
  text += "x,p\n";
  const std::string path = files.write("lines.csv", text);
  EXPECT_EQ(data_error_message([&] { read_csv(path, {}); }),
            path + ":20002:1: feature cell 'x' is not a number (column 'a')");
}

TEST(Classes, OneNumberWrittenTwoWaysIsRefused) {
  EXPECT_EQ(data_error_message([] {
              require_one_spelling_per_class({"2", "1", "2", "1e0"}, "a.csv");
            }),
            "a.csv: row 4: label '1e0' and row 2's label '1' are the same number written two "
            "ways; write each class one way, so that no two are merged by mistake");
  EXPECT_EQ(data_error_message([] {
              require_one_spelling_per_class({"0", "-0"}, "b.csv");
            }),
            "b.csv: row 2: label '-0' and row 1's label '0' are the same number written two "
            "ways; write each class one way, so that no two are merged by mistake");
  // One spelling per number, or text labels (compared as text): nothing to refuse.
  EXPECT_NO_THROW(require_one_spelling_per_class({"10", "2", "10", "0.5"}, "c.csv"));
  EXPECT_NO_THROW(require_one_spelling_per_class({"1", "1.0", "cat"}, "d.csv"));
}

TEST(Classes, SortedNumericallyWhenAllAreNumbers) {
  EXPECT_EQ(sorted_classes({"10", "2", "1", "2.0", "-0", "0", "1e1"}),
            (Strings{"0", "1", "2", "10"}));
  EXPECT_EQ(sorted_classes({"0.5", "-1.25"}), (Strings{"-1.25", "0.5"}));
}

TEST(Classes, SortedAsTextOtherwise) {
  EXPECT_EQ(sorted_classes({"dog", "10", "cat", "2", "dog", "Zebra"}),
            (Strings{"10", "2", "Zebra", "cat", "dog"}));
  EXPECT_EQ(sorted_classes({"1", "nan"}), (Strings{"1", "nan"}));  // nan is no class number
  EXPECT_TRUE(sorted_classes({}).empty());
}

TEST(Classes, IndicesMatchTextOrValue) {
  const Strings classes = {"1", "2", "10"};
  EXPECT_EQ(class_indices({"10", "1.0", "2", "1", " 2 "}, classes, "data.csv"),
            rows_of({{2}, {0}, {1}, {0}, {1}}));
  EXPECT_EQ(class_indices({"dog", "cat"}, {"cat", "dog"}, "data.csv"), rows_of({{1}, {0}}));
}

TEST(Classes, UnknownLabelNamesTheRowAndTheClasses) {
  EXPECT_EQ(data_error_message([] {
              class_indices({"cat", "bird", "cow"}, {"bird", "cat"}, "a.csv");
            }),
            "a.csv: row 3: label 'cow' is not one of the model's classes (bird, cat)");
  EXPECT_EQ(data_error_message([] {
              class_indices({"1", "3"}, {"1", "2"}, "b.csv");
            }),
            "b.csv: row 2: label '3' is not one of the model's classes (1, 2)");
  Strings many;
  for (int i = 0; i < 25; ++i)
    many.push_back(std::to_string(i));
  EXPECT_EQ(data_error_message([&] { class_indices({"x"}, many, "c.csv"); }),
            "c.csv: row 1: label 'x' is not one of the model's classes (0, 1, 2, 3, 4, 5, 6, 7, 8, "
            "9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, ... (25 in all))");
}

TEST(Classes, NumericTargets) {
  EXPECT_EQ(numeric_targets({"1.5", "-2", "1e3"}, "r.csv"), rows_of({{1.5}, {-2}, {1000}}));
  EXPECT_EQ(data_error_message([] {
              numeric_targets({"1", "inf"}, "r.csv");
            }),
            "r.csv: row 2: label 'inf' is not a finite number");
  EXPECT_EQ(data_error_message([] { numeric_targets({"big"}, "r.csv"); }),
            "r.csv: row 1: label 'big' is not a finite number");
}

}  // namespace
}  // namespace scratchnet::data
