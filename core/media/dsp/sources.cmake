# Voice processing (media/dsp): echo cancellation, noise suppression and gain control for the speaker path,
# behind sp::dsp::VoiceProcessor. Each backend is built only when pkg-config finds its library, with a
# SKINNY_HAVE_* definition: webrtc-audio-processing (0.3, Debian's libwebrtc-audio-processing-dev) and
# speexdsp. Without either, VoiceProcessor still builds and reports that no backend is built in.
set(SKINNY_DSP_DIR ${CMAKE_CURRENT_LIST_DIR})
target_sources(skinnycore PRIVATE
  ${SKINNY_DSP_DIR}/voice_processor.h ${SKINNY_DSP_DIR}/voice_processor.cpp ${SKINNY_DSP_DIR}/dsp_engine.h
)

find_package(PkgConfig)
if(PkgConfig_FOUND)
  pkg_check_modules(SKINNY_DSP_WEBRTC IMPORTED_TARGET GLOBAL webrtc-audio-processing)
  pkg_check_modules(SKINNY_DSP_SPEEXDSP IMPORTED_TARGET GLOBAL speexdsp)
endif()

if(SKINNY_DSP_WEBRTC_FOUND)
  target_sources(skinnycore PRIVATE ${SKINNY_DSP_DIR}/webrtc_engine.cpp)
  target_link_libraries(skinnycore PRIVATE PkgConfig::SKINNY_DSP_WEBRTC)
  target_compile_definitions(skinnycore PUBLIC SKINNY_HAVE_WEBRTC_APM)
else()
  message(STATUS "webrtc-audio-processing not found: no webrtc voice processing backend")
endif()
if(SKINNY_DSP_SPEEXDSP_FOUND)
  target_sources(skinnycore PRIVATE ${SKINNY_DSP_DIR}/speex_engine.cpp)
  target_link_libraries(skinnycore PRIVATE PkgConfig::SKINNY_DSP_SPEEXDSP)
  target_compile_definitions(skinnycore PUBLIC SKINNY_HAVE_SPEEX_AEC)
else()
  message(STATUS "speexdsp not found: no speex voice processing backend")
endif()
