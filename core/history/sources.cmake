# history/: the call history (Directories) in SQLite through Qt SQL (Debian: qt6-base-dev, libqt6sql6-sqlite).
find_package(Qt6 6.4 REQUIRED COMPONENTS Sql)
target_sources(skinnycore PRIVATE ${CMAKE_CURRENT_LIST_DIR}/call_history.h ${CMAKE_CURRENT_LIST_DIR}/call_history.cpp)
target_link_libraries(skinnycore PUBLIC Qt6::Sql)
