# For machines without Debian's nlohmann-json3-dev: a header-only target whose headers
# come in through CMAKE_CXX_FLAGS (bench/gpu/run.sh sets NLOHMANN_DIR).
if(NOT TARGET nlohmann_json::nlohmann_json)
  add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)
endif()
set(nlohmann_json_VERSION 3.11.2)
