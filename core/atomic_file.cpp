#include "core/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "core/problems.h"

namespace dctwin {

namespace {
[[noreturn]] void cannot_write(const std::string& path, const std::string& why) {
  Problems p;
  p.add(path, "file", "a file dctwin can write (its folder exists, is writable and has space)", why);
  throw InputError(p);
}
}  // namespace

void write_file_atomic(const std::string& path, const std::string& content) {
  // Unique per process, so two runs writing the same folder do not share a temporary file.
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) cannot_write(path, std::strerror(errno));
  const char* p = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      cannot_write(path, why);
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  const bool closed = ::close(fd) == 0;
  if (!synced || !closed) {
    ::unlink(tmp.c_str());
    cannot_write(path, std::strerror(errno));
  }
  rename_atomic(tmp, path);
}

void rename_atomic(const std::string& from, const std::string& to) {
  std::error_code ec;
  std::filesystem::rename(from, to, ec);
  if (ec) {
    const std::string why = ec.message();
    std::filesystem::remove(from, ec);
    cannot_write(to, "renaming " + from + " failed: " + why);
  }
}

void create_output_folder(const std::string& dir, const std::string& where) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir)) {
    Problems p;
    p.add(dir, where, "a folder dctwin can create and write", ec ? ec.message() : "not a folder");
    throw InputError(p);
  }
}

}  // namespace dctwin
