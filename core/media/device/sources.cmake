# Sound devices (issue 3 item 4): device selection by id or name per audio mode, the AudioPath between the
# media engine and QAudioSource/QAudioSink (speexdsp resampling, mixing, bounded FIFOs), the volume
# settings, the glue from the phone model's Mute and Volume keys and the PulseAudio device-removal monitor.
# Needs Qt6 Multimedia and speexdsp; libpulse is optional.
find_package(Qt6 6.4 REQUIRED COMPONENTS Multimedia)
if(NOT SKINNY_MEDIA_SPEEXDSP_FOUND)
  message(FATAL_ERROR "core/media/device needs speexdsp (Debian: libspeexdsp-dev)")
endif()
target_sources(skinnycore PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/audio_devices.h
  ${CMAKE_CURRENT_LIST_DIR}/audio_devices.cpp
  ${CMAKE_CURRENT_LIST_DIR}/audio_buffers.h
  ${CMAKE_CURRENT_LIST_DIR}/audio_buffers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/audio_settings.h
  ${CMAKE_CURRENT_LIST_DIR}/audio_settings.cpp
  ${CMAKE_CURRENT_LIST_DIR}/resampler.h
  ${CMAKE_CURRENT_LIST_DIR}/resampler.cpp
  ${CMAKE_CURRENT_LIST_DIR}/audio_path.h
  ${CMAKE_CURRENT_LIST_DIR}/audio_path.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pulse_monitor.h
  ${CMAKE_CURRENT_LIST_DIR}/pulse_monitor.cpp
  ${CMAKE_CURRENT_LIST_DIR}/phone_audio.h
  ${CMAKE_CURRENT_LIST_DIR}/phone_audio.cpp
)
target_link_libraries(skinnycore PUBLIC Qt6::Multimedia)
# Optional (Linux): libpulse for the device-removal monitor (pulse_monitor.h). Without it the monitor is idle.
pkg_check_modules(SKINNY_DEVICE_LIBPULSE IMPORTED_TARGET GLOBAL libpulse)
if(SKINNY_DEVICE_LIBPULSE_FOUND)
  target_link_libraries(skinnycore PRIVATE PkgConfig::SKINNY_DEVICE_LIBPULSE)
  target_compile_definitions(skinnycore PRIVATE SKINNY_HAVE_LIBPULSE)
endif()
