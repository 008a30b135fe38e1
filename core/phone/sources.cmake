target_sources(skinnycore PRIVATE ${CMAKE_CURRENT_LIST_DIR}/phone.h ${CMAKE_CURRENT_LIST_DIR}/phone.cpp
                                  ${CMAKE_CURRENT_LIST_DIR}/phone_settings.h ${CMAKE_CURRENT_LIST_DIR}/phone_settings.cpp)
