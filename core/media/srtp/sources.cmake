# SRTP (media/srtp) on libsrtp2, found by pkg-config: with it SKINNY_HAVE_SRTP is defined and
# SrtpContext protects and unprotects; without it SrtpContext::create() answers SrtpError::Unavailable.
#
# RTCP (core/media/rtcp.h/.cpp, one level up) is listed here too: it is the other socket-free building
# block of the media engine written with SRTP, and core/CMakeLists.txt includes only the media/*
# sources.cmake files of its list (there is no media/rtp/ folder yet). Move it when media/rtp/ exists.
set(SKINNY_SRTP_DIR ${CMAKE_CURRENT_LIST_DIR})
target_sources(skinnycore PRIVATE
  ${SKINNY_SRTP_DIR}/srtp_context.h ${SKINNY_SRTP_DIR}/srtp_context.cpp
  ${SKINNY_SRTP_DIR}/../rtcp.h ${SKINNY_SRTP_DIR}/../rtcp.cpp
)

find_package(PkgConfig)
if(PkgConfig_FOUND)
  # GLOBAL: the static library's link interface names this target in the tests' directories too.
  pkg_check_modules(SKINNY_SRTP_LIBSRTP2 IMPORTED_TARGET GLOBAL libsrtp2)
endif()
if(SKINNY_SRTP_LIBSRTP2_FOUND)
  target_link_libraries(skinnycore PRIVATE PkgConfig::SKINNY_SRTP_LIBSRTP2)
  target_compile_definitions(skinnycore PUBLIC SKINNY_HAVE_SRTP)
else()
  message(STATUS "libsrtp2 not found: no SRTP (encrypted media streams are refused)")
endif()
