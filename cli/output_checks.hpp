#pragma once
// The check every command that writes makes before its work: its outputs may be written, and
// none of them is the same file as one of its inputs or another output. A refused output then
// costs no work and leaves every file as it was.

#include <vector>

#include "scratchnet/files/output_path.hpp"

namespace scratchnet::cli {

/// Throws std::runtime_error "PATH: cannot write: REASON" (exit status 1) for the first of
/// `outputs` that is neither a new path nor a regular file the process may write
/// (files::check_output_file). Empty paths (flags not given) are skipped.
void check_output_files(const std::vector<files::NamedPath>& outputs);

/// Throws FlagError "OUTPUT-FLAG: PATH is the same file as FLAG PATH" (exit status 2) for the
/// first of `outputs` that is the same file as one of `inputs` or an earlier output, through
/// links too (files::find_same_file).
void refuse_same_file(const std::vector<files::NamedPath>& inputs,
                      const std::vector<files::NamedPath>& outputs);

}  // namespace scratchnet::cli
