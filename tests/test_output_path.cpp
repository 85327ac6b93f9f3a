// Where outputs may go: a new path or a writable regular file, never a device, FIFO, folder or
// socket, never a read-only file (not even for root), and never the same file as an input or
// another output. The atomic writer keeps the replaced file's mode and links, refuses what the
// check refuses even when it appears after the check, and its cleanup removes only its own
// temporaries.
#include "scratchnet/files/output_path.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <functional>

#include "scratchnet/files/atomic_file.hpp"
#include "temporary_folder.hpp"

namespace scratchnet::files {
namespace {

namespace fs = std::filesystem;
using testing::names_in;
using testing::read_bytes;
using testing::TemporaryFolder;
using testing::write_bytes;

mode_t mode_of(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode;
}

// A listening unix socket bound at `path`; its descriptor.
int bind_socket(const std::string& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
  EXPECT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
  return fd;
}

TEST(OutputPath, RefusesDevicesAndLeavesThemDevices) {
  TemporaryFolder folder;
  for (const std::string device : {"/dev/null", "/dev/full"}) {
    EXPECT_EQ(testing::error_without_folder([&] { check_output_file(device); }, folder),
              device + ": cannot write: a character device, not a regular file");
    EXPECT_EQ(
        testing::error_without_folder([&] { write_file_atomically(device, "model"); }, folder),
        device + ": cannot write: a character device, not a regular file");
    EXPECT_TRUE(S_ISCHR(mode_of(device))) << device;
  }
  // A device of one's own, where the process may make one (root may).
  const std::string made = folder.file("null");
  if (::mknod(made.c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0) {
    EXPECT_EQ(testing::error_without_folder([&] { write_file_atomically(made, "model"); }, folder),
              "null: cannot write: a character device, not a regular file");
    EXPECT_TRUE(S_ISCHR(mode_of(made)));
  }
  EXPECT_EQ(testing::error_without_folder([&] { check_output_folder("/dev/null"); }, folder),
            "/dev/null: cannot write: a character device, not a folder");
}

TEST(OutputPath, RefusesAFifoAFolderAndASocket) {
  TemporaryFolder folder;
  const std::string fifo = folder.file("fifo"), socket = folder.file("socket");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0666), 0);
  const int socket_fd = bind_socket(socket);
  fs::create_directory(folder.file("sub"));
  EXPECT_EQ(testing::error_without_folder([&] { check_output_file(fifo); }, folder),
            "fifo: cannot write: a FIFO, not a regular file");
  EXPECT_EQ(testing::error_without_folder([&] { check_output_file(folder.file("sub")); }, folder),
            "sub: cannot write: a folder, not a regular file");
  EXPECT_EQ(testing::error_without_folder([&] { check_output_file(socket); }, folder),
            "socket: cannot write: a socket, not a regular file");
  // The writer refuses them itself (a FIFO made after a command's check, say): opening a FIFO
  // with no reader would block, and renaming over it would destroy it.
  EXPECT_EQ(testing::error_without_folder([&] { write_file_atomically(fifo, "x"); }, folder),
            "fifo: cannot write: a FIFO, not a regular file");
  EXPECT_EQ(testing::error_without_folder([&] { write_file_atomically(socket, "x"); }, folder),
            "socket: cannot write: a socket, not a regular file");
  EXPECT_TRUE(S_ISFIFO(mode_of(fifo)));
  EXPECT_TRUE(S_ISSOCK(mode_of(socket)));
  EXPECT_EQ(names_in(folder.path()), (std::vector<std::string>{"fifo", "socket", "sub"}));
  ::close(socket_fd);
}

TEST(OutputPath, TakesANewPathOrAWritableFileInAnExistingFolder) {
  TemporaryFolder folder;
  EXPECT_EQ(testing::error_without_folder(
                [&] { check_output_file(folder.file("new.safetensors")); }, folder),
            "no error");
  write_bytes(folder.file("old.csv"), "x");
  EXPECT_EQ(
      testing::error_without_folder([&] { check_output_file(folder.file("old.csv")); }, folder),
      "no error");
  EXPECT_EQ(testing::error_without_folder(
                [&] { check_output_file(folder.file("missing/new.csv")); }, folder),
            "missing/new.csv: cannot write: No such file or directory");
  EXPECT_EQ(testing::error_without_folder(
                [&] { check_output_file(folder.file("old.csv/new.csv")); }, folder),
            "old.csv/new.csv: cannot write: Not a directory");
}

// Root may write any file, but a file nobody may write is not scratchnet's to replace.
TEST(OutputPath, RefusesAReadOnlyFileEvenForRoot) {
  TemporaryFolder folder;
  const std::string path = folder.file("model.safetensors");
  write_bytes(path, "precious");
  fs::permissions(path, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  EXPECT_EQ(testing::error_without_folder([&] { check_output_file(path); }, folder),
            "model.safetensors: cannot write: read-only (mode 0444)");
  EXPECT_EQ(testing::error_without_folder([&] { write_file_atomically(path, "new"); }, folder),
            "model.safetensors: cannot write: read-only (mode 0444)");
  EXPECT_EQ(read_bytes(path), "precious");
  EXPECT_EQ(mode_of(path) & 07777, 0444u);
  EXPECT_EQ(names_in(folder.path()), std::vector<std::string>{"model.safetensors"});
}

// A user other than root may not replace a file only its owner may write, even in a folder
// open to all.
TEST(OutputPath, RefusesAnotherUsersFile) {
  TemporaryFolder folder;
  const std::string path = folder.file("theirs.csv");
  write_bytes(path, "theirs");
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_read);
  fs::permissions(folder.path(), fs::perms::all);
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to become another user";
  const pid_t child = ::fork();
  if (child == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(77);
    try {
      write_file_atomically(path, "mine");
    } catch (const std::runtime_error& error) {
      ::_exit(std::string(error.what()) == path + ": cannot write: Permission denied" ? 0 : 1);
    }
    ::_exit(2);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 77) GTEST_SKIP() << "cannot become nobody here";
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(read_bytes(path), "theirs");
  EXPECT_EQ(names_in(folder.path()), std::vector<std::string>{"theirs.csv"});
}

TEST(OutputPath, AReplacedFileKeepsItsModeOwnerAndGroup) {
  TemporaryFolder folder;
  const std::string secret = folder.file("secret.safetensors");
  write_bytes(secret, "old");
  ASSERT_EQ(::chmod(secret.c_str(), 0600), 0);
  write_file_atomically(secret, "new");
  EXPECT_EQ(read_bytes(secret), "new");
  EXPECT_EQ(mode_of(secret) & 07777, 0600u);

  const std::string shared = folder.file("shared.csv");
  write_bytes(shared, "old");
  ASSERT_EQ(::chmod(shared.c_str(), 0664), 0);
  write_file_atomically(shared, "new");
  EXPECT_EQ(mode_of(shared) & 07777, 0664u);

  // Root can give the new file the old one's owner and group.
  if (::geteuid() != 0) GTEST_SKIP() << "only root may give a file to another user";
  ASSERT_EQ(::chown(secret.c_str(), 65534, 65534), 0);
  write_file_atomically(secret, "newer");
  struct stat info {};
  ASSERT_EQ(::stat(secret.c_str(), &info), 0);
  EXPECT_EQ(info.st_uid, 65534u);
  EXPECT_EQ(info.st_gid, 65534u);
  EXPECT_EQ(info.st_mode & 07777, 0600u);
  EXPECT_EQ(read_bytes(secret), "newer");
}

// Writing to a symbolic link replaces the file it leads to and leaves the link a link; a link
// to nothing, or to a device, is refused.
TEST(OutputPath, WritesThroughASymbolicLinkAndKeepsIt) {
  TemporaryFolder folder;
  fs::create_directory(folder.file("models"));
  const std::string target = folder.file("models/v1.safetensors");
  write_bytes(target, "old");
  ASSERT_EQ(::chmod(target.c_str(), 0640), 0);
  fs::create_symlink("models/v1.safetensors", folder.file("latest.safetensors"));
  write_file_atomically(folder.file("latest.safetensors"), "new");
  EXPECT_TRUE(fs::is_symlink(folder.file("latest.safetensors")));
  EXPECT_EQ(fs::read_symlink(folder.file("latest.safetensors")), "models/v1.safetensors");
  EXPECT_EQ(read_bytes(target), "new");
  EXPECT_EQ(mode_of(target) & 07777, 0640u);
  EXPECT_EQ(names_in(folder.file("models")), std::vector<std::string>{"v1.safetensors"});

  fs::create_symlink("nowhere.csv", folder.file("dangling.csv"));
  EXPECT_EQ(testing::error_without_folder(
                [&] { write_file_atomically(folder.file("dangling.csv"), "x"); }, folder),
            "dangling.csv: cannot write: a symbolic link to nothing");
  EXPECT_FALSE(fs::exists(folder.file("nowhere.csv")));
  fs::create_symlink("/dev/null", folder.file("null.csv"));
  EXPECT_EQ(testing::error_without_folder(
                [&] { write_file_atomically(folder.file("null.csv"), "x"); }, folder),
            "null.csv: cannot write: a character device, not a regular file");
  EXPECT_TRUE(fs::is_symlink(folder.file("null.csv")));
  EXPECT_TRUE(S_ISCHR(mode_of("/dev/null")));
}

TEST(OutputPath, AnOutputFolderIsAFolderOrANewPath) {
  TemporaryFolder folder;
  write_bytes(folder.file("data.csv"), "x");
  EXPECT_EQ(testing::error_without_folder([&] { check_output_folder(folder.path()); }, folder),
            "no error");
  EXPECT_EQ(testing::error_without_folder([&] { check_output_folder(folder.file("new/deeper")); },
                                          folder),
            "no error");
  EXPECT_EQ(
      testing::error_without_folder([&] { check_output_folder(folder.file("data.csv")); }, folder),
      "data.csv: cannot write: a regular file, not a folder");
  EXPECT_EQ(testing::error_without_folder(
                [&] { check_output_folder(folder.file("data.csv/checkpoints")); }, folder),
            "data.csv/checkpoints: cannot write: Not a directory");
}

TEST(OutputPath, FindsAnOutputThatIsAnInputThroughLinks) {
  TemporaryFolder folder;
  const std::string data = folder.file("data.csv");
  write_bytes(data, "a,b\n1,2\n");
  fs::create_hard_link(data, folder.file("hard.csv"));
  fs::create_symlink("data.csv", folder.file("soft.csv"));
  fs::create_directory(folder.file("sub"));
  const std::vector<NamedPath> inputs = {{"--data", data}, {"--test", folder.file("missing.csv")}};

  const auto same_as_data = [&](const std::string& path) {
    const auto same = find_same_file(inputs, {{"--log", folder.file("log.csv")}, {"--out", path}});
    return same && same->output.flag == "--out" && same->output.path == path &&
           same->other.flag == "--data" && same->other.path == data;
  };
  EXPECT_TRUE(same_as_data(data));
  EXPECT_TRUE(same_as_data(folder.file("hard.csv")));
  EXPECT_TRUE(same_as_data(folder.file("soft.csv")));
  EXPECT_TRUE(same_as_data(folder.file("sub/../data.csv")));
  EXPECT_FALSE(find_same_file(inputs, {{"--out", folder.file("model.safetensors")}}));
  // An input that does not exist is not read, so not overwritten; reading it fails by itself.
  EXPECT_FALSE(find_same_file(inputs, {{"--out", folder.file("missing.csv")}}));
  // Empty paths are flags not given.
  EXPECT_FALSE(find_same_file({{"--labels", ""}}, {{"--out", ""}, {"--log", ""}}));
}

TEST(OutputPath, FindsTwoOutputsThatAreOneFile) {
  TemporaryFolder folder;
  write_bytes(folder.file("old.html"), "x");
  fs::create_directory(folder.file("sub"));
  fs::create_symlink("sub", folder.file("link"));
  const auto clash = [&](const std::string& first, const std::string& second) {
    const auto same = find_same_file({}, {{"--out", first}, {"--report", second}});
    return same && same->output.flag == "--report" && same->other.flag == "--out";
  };
  EXPECT_TRUE(clash(folder.file("old.html"), folder.file("old.html")));
  // New paths: the same name in the same folder, however the folder is reached.
  EXPECT_TRUE(clash(folder.file("new.html"), folder.file("./new.html")));
  EXPECT_TRUE(clash(folder.file("sub/new.html"), folder.file("link/new.html")));
  EXPECT_FALSE(clash(folder.file("new.html"), folder.file("sub/new.html")));
  EXPECT_FALSE(clash(folder.file("new.html"), folder.file("old.html")));
}

// Cleanup removes what scratchnet's own writers left, and nothing of anyone else's.
TEST(OutputPath, CleanupLeavesForeignTemporariesAlone) {
  TemporaryFolder folder;
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ASSERT_GT(child, 0);
  ASSERT_EQ(::waitpid(child, nullptr, 0), child);  // its PID now names no process
  const std::string gone = std::to_string(child), alive = std::to_string(::getpid());
  const std::string ours = ".model.safetensors.scratchnet-tmp-" + gone + "-0";
  const std::vector<std::string> foreign = {
      ".notes.tmp-999998-1",                                // an editor's, say
      ".notes.tmp-" + gone + "-1",                          // even with a dead PID
      ".model.safetensors.scratchnet-tmp-" + alive + "-3",  // a running writer's
      "model.safetensors.scratchnet-tmp-" + gone + "-1",    // no leading dot
      ".scratchnet-tmp-" + gone + "-1",                     // no name before the marker
      ".a.scratchnet-tmp-" + gone + "-1-2",                 // more after the count
      ".a.scratchnet-tmp-" + gone + "-",                    // no count
      ".a.scratchnet-tmp-" + gone + "-x",                   // a count that is no number
      ".a.scratchnet-tmp-1234567890-1",                     // a PID longer than any we write
      "model.safetensors"};
  write_bytes(folder.file(ours), "x");
  for (const std::string& name : foreign)
    write_bytes(folder.file(name), "x");
  // A folder and a link under a temporary's name are not what the writer makes either.
  fs::create_directory(folder.file(".dir.scratchnet-tmp-" + gone + "-4"));
  fs::create_symlink("model.safetensors", folder.file(".link.scratchnet-tmp-" + gone + "-5"));

  EXPECT_EQ(remove_stale_temporaries(folder.path()), 1);
  EXPECT_FALSE(fs::exists(folder.file(ours)));
  for (const std::string& name : foreign)
    EXPECT_TRUE(fs::exists(folder.file(name))) << name;
  EXPECT_TRUE(fs::is_directory(folder.file(".dir.scratchnet-tmp-" + gone + "-4")));
  EXPECT_TRUE(fs::is_symlink(folder.file(".link.scratchnet-tmp-" + gone + "-5")));
}

// A writer killed mid-write leaves its temporary under the name the cleanup knows, and the
// next cleanup removes it; the file it was replacing is untouched.
TEST(OutputPath, AKilledWritersTemporaryIsCleanedUp) {
  TemporaryFolder folder;
  const std::string path = folder.file("model.safetensors");
  write_bytes(path, "old");
  const pid_t child = ::fork();
  if (child == 0) {
    // Past the file size limit, SIGXFSZ kills the writer in the middle of its write.
    const rlimit no_core{0, 0}, small{1000, 1000};
    ::setrlimit(RLIMIT_CORE, &no_core);
    ::setrlimit(RLIMIT_FSIZE, &small);
    write_file_atomically(path, std::string(4000, 'n'));
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGXFSZ) << "status " << status;
  // ".NAME.scratchnet-tmp-PID-N", N being how many temporaries the process had made before.
  const std::vector<std::string> left = names_in(folder.path());
  ASSERT_EQ(left.size(), 2u);
  const std::string prefix = ".model.safetensors.scratchnet-tmp-" + std::to_string(child) + "-";
  EXPECT_EQ(left[0].substr(0, prefix.size()), prefix);
  EXPECT_EQ(left[1], "model.safetensors");
  EXPECT_EQ(remove_stale_temporaries(folder.path()), 1);
  EXPECT_EQ(names_in(folder.path()), std::vector<std::string>{"model.safetensors"});
  EXPECT_EQ(read_bytes(path), "old");
}

}  // namespace
}  // namespace scratchnet::files
