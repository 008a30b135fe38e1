# One-way latency the phone adds (bench/bench_latency.cpp): two RtpMediaEngines on 127.0.0.1 with the system
# clock, a timestamping relay between them, marker audio through AudioPorts; capture-to-send and
# arrival-to-playout per codec, plus AudioPath's buffers as a constant. A plain program (real time, not
# Google Benchmark); method and figures in BENCHMARKS.md ("One-way latency").
add_executable(bench_latency ${CMAKE_CURRENT_LIST_DIR}/bench_latency.cpp)
target_link_libraries(bench_latency PRIVATE skinnycore)
