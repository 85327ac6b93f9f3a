#include "evaluation_output.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "scratchnet/text/one_line.hpp"

namespace scratchnet::cli {

void print_evaluation(std::ostream& out, const Evaluation& evaluation,
                      const std::vector<std::string>& class_names) {
  // The names come from a model file or a data set: their control characters are shown escaped.
  std::vector<std::string> classes;
  for (const std::string& name : class_names)
    classes.push_back(on_one_line(name));
  char line[256];
  if (evaluation.regression) {
    std::snprintf(line, sizeof line, "loss %.6g  mse %.6g  mae %.6g  r2 %.6f\n", evaluation.loss,
                  evaluation.regression->mse(), evaluation.regression->mae(),
                  evaluation.regression->r2());
    out << line;
    return;
  }
  const ConfusionMatrix& confusion = *evaluation.confusion;
  std::int64_t correct = 0;
  for (Index c = 0; c < confusion.classes(); ++c)
    correct += confusion.count(c, c);
  std::snprintf(line, sizeof line, "loss %.6g  accuracy %.4f (%lld/%lld)\n", evaluation.loss,
                confusion.accuracy(), static_cast<long long>(correct),
                static_cast<long long>(confusion.total()));
  out << line;

  std::size_t name_width = 5;  // "class"
  for (const std::string& name : classes)
    name_width = std::max(name_width, name.size());
  out << "confusion matrix (rows: true class, columns: predicted)\n";
  for (Index truth = 0; truth < confusion.classes(); ++truth) {
    const std::string& name = classes.at(std::size_t(truth));
    out << name << std::string(name_width - name.size(), ' ');
    for (Index predicted = 0; predicted < confusion.classes(); ++predicted) {
      std::snprintf(line, sizeof line, " %7lld",
                    static_cast<long long>(confusion.count(truth, predicted)));
      out << line;
    }
    out << "\n";
  }
  out << "class" << std::string(name_width - 5, ' ') << "  precision  recall     f1\n";
  for (Index c = 0; c < confusion.classes(); ++c) {
    const std::string& name = classes.at(std::size_t(c));
    std::snprintf(line, sizeof line, "  %9.4f  %6.4f  %6.4f\n", confusion.precision(c),
                  confusion.recall(c), confusion.f1(c));
    out << name << std::string(name_width - name.size(), ' ') << line;
  }
}

}  // namespace scratchnet::cli
