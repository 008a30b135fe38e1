# Jitter buffer (core/media/jitter): ns per put() + get() of one 20 ms G.711 packet, clean and jittered
# streams, one core. Method in bench/bench_jitter.cpp's header; figures in BENCHMARKS.md.
add_executable(bench_jitter ${CMAKE_CURRENT_LIST_DIR}/bench_jitter.cpp)
target_link_libraries(bench_jitter PRIVATE skinnycore benchmark::benchmark)
