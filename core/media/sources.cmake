# Media sources beyond the G.711/RTP basics listed in core/CMakeLists.txt: WAV files, tones, and
# RtpMediaEngine (codecs, jitter buffer, playout). speexdsp, when pkg-config finds it, resamples the
# played-out audio to the recording's rate (else linear interpolation).
target_sources(skinnycore PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/wav.h
  ${CMAKE_CURRENT_LIST_DIR}/wav.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tone.h
  ${CMAKE_CURRENT_LIST_DIR}/quality.h
  ${CMAKE_CURRENT_LIST_DIR}/quality.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rtp_media_engine.h
  ${CMAKE_CURRENT_LIST_DIR}/rtp_media_engine.cpp
)
find_package(PkgConfig)
if(PkgConfig_FOUND)
  pkg_check_modules(SKINNY_MEDIA_SPEEXDSP IMPORTED_TARGET GLOBAL speexdsp)
endif()
if(SKINNY_MEDIA_SPEEXDSP_FOUND)
  target_link_libraries(skinnycore PRIVATE PkgConfig::SKINNY_MEDIA_SPEEXDSP)
  target_compile_definitions(skinnycore PRIVATE SKINNY_HAVE_SPEEXDSP)
else()
  message(STATUS "speexdsp not found: the recording is resampled by linear interpolation")
endif()
