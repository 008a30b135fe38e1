# Local audio sources: cadence timing, call-progress tones (StartTone) and the ringer (SetRinger), and
# LocalSounds, which follows the Phone and hands them to the device path's audio thread.
target_sources(skinnycore PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/cadence.h
  ${CMAKE_CURRENT_LIST_DIR}/cadence.cpp
  ${CMAKE_CURRENT_LIST_DIR}/call_progress_tone.h
  ${CMAKE_CURRENT_LIST_DIR}/call_progress_tone.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ringer.h
  ${CMAKE_CURRENT_LIST_DIR}/ringer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/local_sounds.h
  ${CMAKE_CURRENT_LIST_DIR}/local_sounds.cpp
)
