# Audio codecs (media/codecs): the interface, the registry and G.711 always; G.722 (spandsp, which also
# gives G.711 its packet loss concealment), G.729 (bcg729) and Opus (libopus) each only when pkg-config
# finds the library, with a SKINNY_HAVE_* definition, so a machine without one still builds and simply
# lacks that codec (codecs::supported() tells which are in).
set(SKINNY_CODECS_DIR ${CMAKE_CURRENT_LIST_DIR})
target_sources(skinnycore PRIVATE
  ${SKINNY_CODECS_DIR}/codec.h ${SKINNY_CODECS_DIR}/codec.cpp
  ${SKINNY_CODECS_DIR}/registry.h ${SKINNY_CODECS_DIR}/registry.cpp
  ${SKINNY_CODECS_DIR}/plc.h ${SKINNY_CODECS_DIR}/plc.cpp
  ${SKINNY_CODECS_DIR}/g711_codec.h ${SKINNY_CODECS_DIR}/g711_codec.cpp
)

find_package(PkgConfig)
if(PkgConfig_FOUND)
  # GLOBAL: the static library's link interface names these targets in the tests' and benches' directories too.
  pkg_check_modules(SKINNY_CODECS_SPANDSP IMPORTED_TARGET GLOBAL spandsp)
  pkg_check_modules(SKINNY_CODECS_BCG729 IMPORTED_TARGET GLOBAL libbcg729)
  pkg_check_modules(SKINNY_CODECS_OPUS IMPORTED_TARGET GLOBAL opus)
endif()

if(SKINNY_CODECS_SPANDSP_FOUND)
  target_sources(skinnycore PRIVATE ${SKINNY_CODECS_DIR}/g722_codec.h ${SKINNY_CODECS_DIR}/g722_codec.cpp)
  target_link_libraries(skinnycore PRIVATE PkgConfig::SKINNY_CODECS_SPANDSP)
  target_compile_definitions(skinnycore PUBLIC SKINNY_HAVE_SPANDSP SKINNY_HAVE_G722)
else()
  message(STATUS "spandsp not found: no G.722, and G.711 conceals by plain repetition")
endif()
if(SKINNY_CODECS_BCG729_FOUND)
  target_sources(skinnycore PRIVATE ${SKINNY_CODECS_DIR}/g729_codec.h ${SKINNY_CODECS_DIR}/g729_codec.cpp)
  target_link_libraries(skinnycore PRIVATE PkgConfig::SKINNY_CODECS_BCG729)
  target_compile_definitions(skinnycore PUBLIC SKINNY_HAVE_BCG729 SKINNY_HAVE_G729)
else()
  message(STATUS "bcg729 not found: no G.729")
endif()
if(SKINNY_CODECS_OPUS_FOUND)
  target_sources(skinnycore PRIVATE ${SKINNY_CODECS_DIR}/opus_codec.h ${SKINNY_CODECS_DIR}/opus_codec.cpp)
  target_link_libraries(skinnycore PRIVATE PkgConfig::SKINNY_CODECS_OPUS)
  target_compile_definitions(skinnycore PUBLIC SKINNY_HAVE_OPUS)
else()
  message(STATUS "libopus not found: no Opus")
endif()
