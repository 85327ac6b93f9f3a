#pragma once
// Whether a path may receive an output, asked before any work is done, so that a command never
// replaces a device, a FIFO or a folder with a regular file, never overwrites a file its user
// may not write, and never writes over one of its own inputs.
//
// The rules:
// - An output file is a path that does not exist yet (in a folder the process may write), or a
//   regular file it may write; a symbolic link counts as the file it points to, and a link to
//   nothing is refused. "May write" means what access(2) says and, in addition, that the file's
//   mode has at least one write bit: root may write anything, but a file nobody may write
//   (0444) is refused for root too, just as root may execute only a file with an execute bit.
// - An output folder (a checkpoint folder) is an existing folder the process may write, or a
//   path that does not exist yet whose nearest existing ancestor is such a folder.
// - Two paths are the same file when they name one device and inode (whatever the symbolic and
//   hard links between them), or, for paths that do not exist yet, when their folders resolve
//   to the same folder and their names are equal.

#include <optional>
#include <string>
#include <vector>

namespace scratchnet::files {

/// Throws std::runtime_error "PATH: cannot write: REASON" unless `path` may be written as an
/// output file by the rules above. REASON names what is there ("a character device, not a
/// regular file", "a FIFO, ...", "a folder, ...", "a socket, ...", "a symbolic link to nothing",
/// "read-only (mode 0444)") or is strerror's text ("No such file or directory" for a missing
/// folder, "Permission denied", "Read-only file system").
void check_output_file(const std::string& path);

/// Throws std::runtime_error "PATH: cannot write: REASON" unless `path` may be used as an
/// output folder by the rules above (REASON as for check_output_file, "..., not a folder").
void check_output_folder(const std::string& path);

/// A path a command reads or writes, with the flag (or argument) that named it.
struct NamedPath {
  std::string flag;
  std::string path;
};

/// Two named paths that are the same file: an output, and the input or other output it would
/// overwrite.
struct SameFile {
  NamedPath output;
  NamedPath other;
};

/// The first output in `outputs` that is the same file as an input in `inputs` or as an earlier
/// output; nothing when all are distinct. Inputs that do not exist are skipped (reading them
/// fails on its own); empty paths are skipped everywhere.
std::optional<SameFile> find_same_file(const std::vector<NamedPath>& inputs,
                                       const std::vector<NamedPath>& outputs);

}  // namespace scratchnet::files
