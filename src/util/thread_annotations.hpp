#pragma once
// Clang's thread-safety attributes, so that which mutex guards what is
// written where the compiler checks it: `scripts/build.sh clang` builds with
// -Wthread-safety as an error. Other compilers see nothing. The attributes
// and what they mean: https://clang.llvm.org/docs/ThreadSafetyAnalysis.html
//
//   Mutex mu_;
//   int count_ GUARDED_BY(mu_);          // read or written only under mu_
//   std::unique_ptr<T> p_ PT_GUARDED_BY(mu_);  // the pointee is guarded
//   void bump() REQUIRES(mu_);            // called with mu_ held
//   void flush() EXCLUDES(mu_);           // called without (it takes mu_)

#if defined(__clang__)
#define SHELFSYNC_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define SHELFSYNC_THREAD_ANNOTATION(x)
#endif

// A type whose objects are locks (Mutex).
#define CAPABILITY(name) SHELFSYNC_THREAD_ANNOTATION(capability(name))
// A type whose objects hold a lock for their lifetime (MutexLock).
#define SCOPED_CAPABILITY SHELFSYNC_THREAD_ANNOTATION(scoped_lockable)

#define GUARDED_BY(mu) SHELFSYNC_THREAD_ANNOTATION(guarded_by(mu))
#define PT_GUARDED_BY(mu) SHELFSYNC_THREAD_ANNOTATION(pt_guarded_by(mu))

#define REQUIRES(...) SHELFSYNC_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define EXCLUDES(...) SHELFSYNC_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define ACQUIRE(...) SHELFSYNC_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define RELEASE(...) SHELFSYNC_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
// A function that returns (a reference to) this mutex: locking what it
// returns counts as locking `mu`.
#define RETURN_CAPABILITY(mu) SHELFSYNC_THREAD_ANNOTATION(lock_returned(mu))

// Turns the analysis off for one function. Only where it cannot follow the
// code; say why next to it.
#define NO_THREAD_SAFETY_ANALYSIS SHELFSYNC_THREAD_ANNOTATION(no_thread_safety_analysis)
