# Media sources beyond the G.711/RTP basics listed in core/CMakeLists.txt: WAV files, tones, SimpleRtpMedia.
target_sources(skinnycore PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/wav.h
  ${CMAKE_CURRENT_LIST_DIR}/wav.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tone.h
  ${CMAKE_CURRENT_LIST_DIR}/simple_rtp_media.h
  ${CMAKE_CURRENT_LIST_DIR}/simple_rtp_media.cpp
)
