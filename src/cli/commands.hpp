#pragma once
// The subcommands of SPEC §8. Each returns the process exit code.

namespace shelfsync::cli {

int run_serve(int argc, char** argv);
int run_tenant(int argc, char** argv);
int run_token(int argc, char** argv);
int run_demo(int argc, char** argv);
int run_tail(int argc, char** argv);

}  // namespace shelfsync::cli
