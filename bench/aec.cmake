# Voice processing (core/media/dsp): ns per 10 ms frame per backend and rate, and the ERLE / double-talk /
# NS / AGC figures of the synthetic echo path printed first. Method in bench/bench_aec.cpp's header;
# figures in BENCHMARKS.md.
add_executable(bench_aec ${CMAKE_CURRENT_LIST_DIR}/bench_aec.cpp)
target_include_directories(bench_aec PRIVATE ${PROJECT_SOURCE_DIR}/tests/support)
target_link_libraries(bench_aec PRIVATE skinnycore benchmark::benchmark)
