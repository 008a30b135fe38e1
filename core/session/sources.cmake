target_sources(skinnycore PRIVATE ${CMAKE_CURRENT_LIST_DIR}/session.h ${CMAKE_CURRENT_LIST_DIR}/session.cpp)
