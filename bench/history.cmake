# Call history (core/history): what the GUI thread waits for when a call ends (one add(): a transaction on
# disk), when Directories opens (entries() of a full list) and at start (open() with its integrity check).
# Method in bench/bench_history.cpp's header; figures in BENCHMARKS.md.
add_executable(bench_history ${CMAKE_CURRENT_LIST_DIR}/bench_history.cpp)
target_link_libraries(bench_history PRIVATE skinnycore benchmark::benchmark)
