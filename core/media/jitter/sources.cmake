# Adaptive jitter buffer: packet buffer, delay manager, decision logic and the JitterBuffer that ties them
# together. Pure classes: time is an argument, no sockets, no event loop.
target_sources(skinnycore PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/packet_buffer.h
  ${CMAKE_CURRENT_LIST_DIR}/packet_buffer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/delay_manager.h
  ${CMAKE_CURRENT_LIST_DIR}/delay_manager.cpp
  ${CMAKE_CURRENT_LIST_DIR}/decision_logic.h
  ${CMAKE_CURRENT_LIST_DIR}/decision_logic.cpp
  ${CMAKE_CURRENT_LIST_DIR}/jitter_buffer.h
  ${CMAKE_CURRENT_LIST_DIR}/jitter_buffer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/time_stretch.h
  ${CMAKE_CURRENT_LIST_DIR}/time_stretch.cpp
)
