# Media sources beyond the G.711/RTP basics listed in core/CMakeLists.txt: WAV files, tones, RtpMediaEngine
# (codecs, jitter buffer, playout) and ThreadedMediaEngine (RtpMediaEngine on a media thread).
# libsndfile reads and writes the audio files; speexdsp resamples them and the played-out audio. Both are
# required (Debian: libsndfile1-dev, libspeexdsp-dev; scripts/lib.sh lists them).
target_sources(skinnycore PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/wav.h
  ${CMAKE_CURRENT_LIST_DIR}/wav.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tone.h
  ${CMAKE_CURRENT_LIST_DIR}/audio_port.h
  ${CMAKE_CURRENT_LIST_DIR}/quality.h
  ${CMAKE_CURRENT_LIST_DIR}/quality.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rtp_media_engine.h
  ${CMAKE_CURRENT_LIST_DIR}/rtp_media_engine.cpp
  ${CMAKE_CURRENT_LIST_DIR}/threaded_media_engine.h
  ${CMAKE_CURRENT_LIST_DIR}/threaded_media_engine.cpp
)
find_package(PkgConfig REQUIRED)
# GLOBAL: the static library's link interface names these targets in the tests' directories too.
pkg_check_modules(SKINNY_MEDIA_SNDFILE REQUIRED IMPORTED_TARGET GLOBAL sndfile)
pkg_check_modules(SKINNY_MEDIA_SPEEXDSP REQUIRED IMPORTED_TARGET GLOBAL speexdsp)
target_link_libraries(skinnycore PRIVATE PkgConfig::SKINNY_MEDIA_SNDFILE PkgConfig::SKINNY_MEDIA_SPEEXDSP)
target_compile_definitions(skinnycore PRIVATE SKINNY_HAVE_SPEEXDSP)
