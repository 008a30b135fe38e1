# Local audio sources: cadence timing, call-progress tones (StartTone) and the ringer (SetRinger).
target_sources(skinnycore PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/cadence.h
  ${CMAKE_CURRENT_LIST_DIR}/cadence.cpp
  ${CMAKE_CURRENT_LIST_DIR}/call_progress_tone.h
  ${CMAKE_CURRENT_LIST_DIR}/call_progress_tone.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ringer.h
  ${CMAKE_CURRENT_LIST_DIR}/ringer.cpp
)
