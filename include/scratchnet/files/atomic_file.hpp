#pragma once
// Replacing a file so that a crash, a full disk or a kill at any moment leaves either the old
// file or the new one, never a torn mix: the bytes go to a temporary file in the same folder
// (".NAME.scratchnet-tmp-PID-N", a name only scratchnet makes, which no *.safetensors glob
// matches), are flushed to disk with fsync, and the temporary is renamed over the target
// (atomic within one file system); then the folder is fsynced so that the rename itself
// survives a power cut.

#include <string>
#include <string_view>

namespace scratchnet::files {

/// Replaces (or creates) the file at `path` with `bytes`, atomically. Only a new path or a
/// regular file the process may write is written (check_output_file in output_path.hpp: a
/// device, FIFO, folder, socket or read-only file is refused, and nothing is made). A replaced
/// file keeps its permission bits, and its owner and group where the process may give them;
/// a symbolic link stays a link, and the file it leads to is the one replaced (the temporary
/// is made beside that file). On any failure the temporary is removed, the old file is left as
/// it was, and std::runtime_error says "PATH: cannot write: REASON" (REASON as
/// check_output_file or strerror gives it: "No such file or directory", "Permission denied",
/// "No space left on device").
void write_file_atomically(const std::string& path, std::string_view bytes);

/// Removes from `folder` the temporaries that processes killed mid-write (kill -9, a power cut)
/// left behind: regular files named exactly ".NAME.scratchnet-tmp-PID-N" whose process no
/// longer runs. Those of a running process, every other name (".notes.tmp-1-1" included), and
/// anything it cannot remove, stay. Returns how many it removed.
int remove_stale_temporaries(const std::string& folder);

}  // namespace scratchnet::files
