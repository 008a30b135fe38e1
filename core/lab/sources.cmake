# The lab call agent (skinnyphone-lab, `skinnyphone --demo`, tests/unit/lab). Included by core/CMakeLists.txt.
target_sources(skinnycore PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/lab_config.h ${CMAKE_CURRENT_LIST_DIR}/lab_config.cpp
  ${CMAKE_CURRENT_LIST_DIR}/service_media.h ${CMAKE_CURRENT_LIST_DIR}/service_media.cpp
  ${CMAKE_CURRENT_LIST_DIR}/call_agent.h ${CMAKE_CURRENT_LIST_DIR}/call_agent.cpp
)
