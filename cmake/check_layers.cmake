# Refuses an include in engine/ that runs up the pipeline: each folder may
# include its own headers and those of the stages below it, never one above
# or beside it. Run by the build (target check_layers) and by ctest
# (LayerCheck.EngineIncludes):
#   cmake -DSOURCE_DIR=<repo> -P cmake/check_layers.cmake
# On failure it prints every offending line as file:line and exits non-zero.
#
# The order (docs/architecture.md); folders on one rank are independent:
#   base -> normalize, match, order -> condition -> render -> pack -> select
#        -> pipeline -> api -> the façade (engine/engine.h, engine.cc)
#        -> explain
cmake_minimum_required(VERSION 3.25)

set(rank_base 0)
set(rank_normalize 1)
set(rank_match 1)
set(rank_order 1)
set(rank_condition 2)
set(rank_render 3)
set(rank_pack 4)
set(rank_select 5)
set(rank_pipeline 6)
set(rank_api 7)
set(rank_ 8)  # engine/engine.h and engine/engine.cc: the façade
set(rank_explain 9)  # over the façade: Engine::Explain's trace as JSON

if(NOT SOURCE_DIR)
  message(FATAL_ERROR "check_layers.cmake: pass -DSOURCE_DIR=<repository root>")
endif()

# engine/<folder>/x.h -> <folder>; engine/x.h -> "" (the façade).
function(stage_of path out)
  if(path MATCHES "^engine/([^/]+)/")
    set(${out} "${CMAKE_MATCH_1}" PARENT_SCOPE)
  else()
    set(${out} "" PARENT_SCOPE)
  endif()
endfunction()

file(GLOB_RECURSE files RELATIVE "${SOURCE_DIR}"
  "${SOURCE_DIR}/engine/*.h" "${SOURCE_DIR}/engine/*.cc")
set(problems "")
foreach(file IN LISTS files)
  stage_of("${file}" from)
  if(NOT DEFINED rank_${from})
    string(APPEND problems "${file}:1: folder engine/${from}/ has no rank: "
      "add it to cmake/check_layers.cmake and docs/architecture.md\n")
    continue()
  endif()
  file(STRINGS "${SOURCE_DIR}/${file}" lines)
  set(line_number 0)
  foreach(line IN LISTS lines)
    math(EXPR line_number "${line_number} + 1")
    if(NOT line MATCHES "^#include \"(engine/[^\"]+)\"")
      continue()
    endif()
    set(included "${CMAKE_MATCH_1}")
    stage_of("${included}" to)
    if(to STREQUAL from)
      continue()
    endif()
    if(NOT DEFINED rank_${to})
      string(APPEND problems "${file}:${line_number}: includes ${included}, "
        "in a folder with no rank\n")
    elseif(NOT rank_${to} LESS rank_${from})
      if(from STREQUAL "")
        set(from_name "the façade")
      else()
        set(from_name "engine/${from}/")
      endif()
      if(to STREQUAL "")
        set(to_name "the façade (engine/engine.h)")
      else()
        set(to_name "engine/${to}/")
      endif()
      string(APPEND problems "${file}:${line_number}: includes ${included}: "
        "${from_name} may include only the stages below it, and ${to_name} "
        "is not one; move the code down, or pass what it needs in\n")
    endif()
  endforeach()
endforeach()

if(problems)
  message(FATAL_ERROR "Includes that run up the engine's stages:\n${problems}")
endif()
message(STATUS "engine/ includes run one way")
