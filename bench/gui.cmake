# The window process (bench/bench_gui.cpp): start to a painted, registered window (median of fresh
# processes), and registered + idle with the window open: CPU, wakeups per thread and resident memory from
# /proc; bench_gui_baseline is the bare Qt Widgets + Multimedia yardstick. Plain Qt programs (whole
# processes); method and figures in BENCHMARKS.md ("The window").
find_package(Qt6 6.4 REQUIRED COMPONENTS Widgets Multimedia Test)
add_executable(bench_gui ${CMAKE_CURRENT_LIST_DIR}/bench_gui.cpp)
target_include_directories(bench_gui PRIVATE ${PROJECT_SOURCE_DIR}/tests/support)
target_link_libraries(bench_gui PRIVATE skinnycore Qt6::Test)
target_compile_definitions(bench_gui PRIVATE SKINNYPHONE_PATH="$<TARGET_FILE:skinnyphone>")
add_dependencies(bench_gui skinnyphone)
add_executable(bench_gui_baseline ${CMAKE_CURRENT_LIST_DIR}/bench_gui_baseline.cpp)
target_link_libraries(bench_gui_baseline PRIVATE Qt6::Widgets Qt6::Multimedia)
