#include "store/sqlite/timed_vfs.hpp"

#include <chrono>
#include <mutex>
#include <stdexcept>

#include <sqlite3.h>

namespace shelfsync::sqlite {
namespace {

Histogram& syncs() {
  static Histogram h(Histogram::seconds_bounds());
  return h;
}

// Our file: the method table, then the platform's file in the same block.
struct TimedFile {
  sqlite3_file base;
  sqlite3_file* real;
};

sqlite3_file* real(sqlite3_file* f) { return reinterpret_cast<TimedFile*>(f)->real; }
const sqlite3_io_methods& m(sqlite3_file* f) { return *real(f)->pMethods; }

int x_close(sqlite3_file* f) { return m(f).xClose(real(f)); }
int x_read(sqlite3_file* f, void* p, int n, sqlite3_int64 off) { return m(f).xRead(real(f), p, n, off); }
int x_write(sqlite3_file* f, const void* p, int n, sqlite3_int64 off) { return m(f).xWrite(real(f), p, n, off); }
int x_truncate(sqlite3_file* f, sqlite3_int64 size) { return m(f).xTruncate(real(f), size); }
int x_sync(sqlite3_file* f, int flags) {
  const auto start = std::chrono::steady_clock::now();
  const int rc = m(f).xSync(real(f), flags);
  syncs().observe(std::chrono::steady_clock::now() - start);
  return rc;
}
int x_file_size(sqlite3_file* f, sqlite3_int64* size) { return m(f).xFileSize(real(f), size); }
int x_lock(sqlite3_file* f, int lock) { return m(f).xLock(real(f), lock); }
int x_unlock(sqlite3_file* f, int lock) { return m(f).xUnlock(real(f), lock); }
int x_check_reserved(sqlite3_file* f, int* out) { return m(f).xCheckReservedLock(real(f), out); }
int x_file_control(sqlite3_file* f, int op, void* arg) { return m(f).xFileControl(real(f), op, arg); }
int x_sector_size(sqlite3_file* f) { return m(f).xSectorSize(real(f)); }
int x_device(sqlite3_file* f) { return m(f).xDeviceCharacteristics(real(f)); }
int x_shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** p) {
  return m(f).xShmMap(real(f), region, size, extend, p);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) { return m(f).xShmLock(real(f), offset, n, flags); }
void x_shm_barrier(sqlite3_file* f) { m(f).xShmBarrier(real(f)); }
int x_shm_unmap(sqlite3_file* f, int del) { return m(f).xShmUnmap(real(f), del); }
int x_fetch(sqlite3_file* f, sqlite3_int64 off, int n, void** p) { return m(f).xFetch(real(f), off, n, p); }
int x_unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) { return m(f).xUnfetch(real(f), off, p); }

// One table per version, so SQLite never calls what the platform's file lacks.
sqlite3_io_methods methods_of_version(int version) {
  return {version,    x_close,       x_read,           x_write,        x_truncate,    x_sync,   x_file_size,
          x_lock,     x_unlock,      x_check_reserved, x_file_control, x_sector_size, x_device, x_shm_map,
          x_shm_lock, x_shm_barrier, x_shm_unmap,      x_fetch,        x_unfetch};
}
const sqlite3_io_methods kMethods[] = {methods_of_version(1), methods_of_version(2), methods_of_version(3)};

sqlite3_vfs* root(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }

int x_open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  auto* f = reinterpret_cast<TimedFile*>(file);
  f->real = reinterpret_cast<sqlite3_file*>(f + 1);
  f->base.pMethods = nullptr;
  const int rc = root(vfs)->xOpen(root(vfs), name, f->real, flags, out_flags);
  if (f->real->pMethods) {
    const int version = f->real->pMethods->iVersion;
    f->base.pMethods = &kMethods[version < 1 ? 0 : version > 3 ? 2 : version - 1];
  }
  return rc;
}

// The rest goes to the platform's VFS as it is, with itself as the VFS.
int x_delete(sqlite3_vfs* v, const char* name, int sync) { return root(v)->xDelete(root(v), name, sync); }
int x_access(sqlite3_vfs* v, const char* name, int flags, int* out) {
  return root(v)->xAccess(root(v), name, flags, out);
}
int x_full_pathname(sqlite3_vfs* v, const char* name, int n, char* out) {
  return root(v)->xFullPathname(root(v), name, n, out);
}
void* x_dl_open(sqlite3_vfs* v, const char* name) { return root(v)->xDlOpen(root(v), name); }
void x_dl_error(sqlite3_vfs* v, int n, char* out) { root(v)->xDlError(root(v), n, out); }
void (*x_dl_sym(sqlite3_vfs* v, void* h, const char* sym))(void) { return root(v)->xDlSym(root(v), h, sym); }
void x_dl_close(sqlite3_vfs* v, void* h) { root(v)->xDlClose(root(v), h); }
int x_randomness(sqlite3_vfs* v, int n, char* out) { return root(v)->xRandomness(root(v), n, out); }
int x_sleep(sqlite3_vfs* v, int us) { return root(v)->xSleep(root(v), us); }
int x_current_time(sqlite3_vfs* v, double* out) { return root(v)->xCurrentTime(root(v), out); }
int x_last_error(sqlite3_vfs* v, int n, char* out) { return root(v)->xGetLastError(root(v), n, out); }
int x_current_time64(sqlite3_vfs* v, sqlite3_int64* out) { return root(v)->xCurrentTimeInt64(root(v), out); }

constexpr const char* kName = "shelfsync-timed";

}  // namespace

const char* timed_vfs_name() {
  static std::once_flag once;
  std::call_once(once, [] {
    sqlite3_vfs* platform = sqlite3_vfs_find(nullptr);
    if (!platform || platform->iVersion < 2) throw std::runtime_error("no SQLite VFS to time");
    static sqlite3_vfs vfs{};
    vfs.iVersion = 2;
    vfs.szOsFile = static_cast<int>(sizeof(TimedFile)) + platform->szOsFile;
    vfs.mxPathname = platform->mxPathname;
    vfs.zName = kName;
    vfs.pAppData = platform;
    vfs.xOpen = x_open;
    vfs.xDelete = x_delete;
    vfs.xAccess = x_access;
    vfs.xFullPathname = x_full_pathname;
    vfs.xDlOpen = x_dl_open;
    vfs.xDlError = x_dl_error;
    vfs.xDlSym = x_dl_sym;
    vfs.xDlClose = x_dl_close;
    vfs.xRandomness = x_randomness;
    vfs.xSleep = x_sleep;
    vfs.xCurrentTime = x_current_time;
    vfs.xGetLastError = x_last_error;
    vfs.xCurrentTimeInt64 = x_current_time64;
    if (sqlite3_vfs_register(&vfs, /*makeDflt=*/0) != SQLITE_OK)
      throw std::runtime_error("cannot register the timed SQLite VFS");
  });
  return kName;
}

const Histogram& sync_seconds() { return syncs(); }

}  // namespace shelfsync::sqlite
