target_sources(skinnycore PRIVATE ${CMAKE_CURRENT_LIST_DIR}/phone.h ${CMAKE_CURRENT_LIST_DIR}/phone.cpp)
