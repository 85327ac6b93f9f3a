#pragma once
// `scratchnet gradcheck --layers SPEC`: the finite-difference check on a network the user
// describes, printing the worst relative error per tensor.

#include <cstdint>
#include <vector>

#include "command.hpp"
#include "scratchnet/model/layer_spec.hpp"

namespace scratchnet::cli {

class GradcheckCommand final : public Command {
 public:
  explicit GradcheckCommand(CLI::App& parent);
  void check_flags() const override { settings_from_flags(); }
  void run(std::ostream& out) override;

 private:
  struct Settings {
    std::vector<SpecEntry> layers;
    std::vector<Index> input_shape;  // one sample's: [features] or [C, H, W]
    Index batch = 0;
    std::uint32_t seed = 0;
  };
  Settings settings_from_flags() const;

  std::string layers_, loss_ = "ce", inputs_ = "4", input_shape_, batch_ = "4", seed_ = "0";
};

}  // namespace scratchnet::cli
