# Fails when a file under src/ includes across layers the wrong way (run with
# cmake -P; inputs: ROOT, the source tree, and STAMP, touched when clean).
# Rules, from cmake/layers.cmake:
# - `#include "<layer>/..."` only of the file's own layer or one below it;
#   tests (*_test.cpp) link every layer and may set up their data through
#   any of them;
# - a layer's sub-folder (store/sqlite, http/handlers) is its own business:
#   included only from that layer, and never from a sibling sub-folder (the
#   SQLite and PostgreSQL backends know nothing of each other).
cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/layers.cmake)

file(GLOB_RECURSE files RELATIVE ${ROOT}/src ${ROOT}/src/*.cpp ${ROOT}/src/*.hpp)
set(violations "")
foreach(file IN LISTS files)
  string(REPLACE "/" ";" parts "${file}")
  list(GET parts 0 layer)
  list(LENGTH parts depth)
  set(sub "")
  if(depth GREATER 2)
    list(GET parts 1 sub)
  endif()
  file(STRINGS ${ROOT}/src/${file} includes REGEX "^[ \t]*#[ \t]*include[ \t]+\"[^\"]+\"")
  foreach(line IN LISTS includes)
    string(REGEX REPLACE "^[^\"]*\"([^\"]+)\".*$" "\\1" target "${line}")
    string(REPLACE "/" ";" target_parts "${target}")
    list(LENGTH target_parts target_depth)
    if(target_depth LESS 2)
      continue()
    endif()
    list(GET target_parts 0 target_layer)
    if(NOT target_layer IN_LIST SHELFSYNC_LAYERS)
      continue()
    endif()
    set(why "")
    if(NOT target_layer STREQUAL layer AND NOT target_layer IN_LIST SHELFSYNC_BELOW_${layer}
       AND NOT file MATCHES "_test\\.cpp$")
      set(why "${layer} may not use ${target_layer}")
    elseif(target_depth GREATER 2)
      list(GET target_parts 1 target_sub)
      if(NOT target_layer STREQUAL layer)
        set(why "${target_layer}/${target_sub} is private to ${target_layer}")
      elseif(NOT sub STREQUAL "" AND NOT sub STREQUAL target_sub)
        set(why "${layer}/${sub} may not use its sibling ${layer}/${target_sub}")
      endif()
    endif()
    if(why)
      string(APPEND violations "  src/${file}: #include \"${target}\": ${why}\n")
    endif()
  endforeach()
endforeach()

if(violations)
  message(FATAL_ERROR "includes across layers the wrong way (cmake/layers.cmake):\n${violations}")
endif()
if(STAMP)
  file(TOUCH ${STAMP})
endif()
