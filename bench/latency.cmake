# One-way latency the phone adds (bench/bench_latency.cpp). "engine": two RtpMediaEngines on 127.0.0.1 with
# the system clock, a timestamping relay between them, marker audio through AudioPorts; capture-to-send and
# arrival-to-playout per codec and playout mode. "device": microphone to loudspeaker through two AudioPaths
# on a private PulseAudio server (needs libpulse-simple and, at run time, pulseaudio). A plain program (real
# time, not Google Benchmark); method and figures in BENCHMARKS.md ("One-way latency").
add_executable(bench_latency ${CMAKE_CURRENT_LIST_DIR}/bench_latency.cpp)
target_include_directories(bench_latency PRIVATE ${PROJECT_SOURCE_DIR}/tests/support)
target_link_libraries(bench_latency PRIVATE skinnycore Qt6::Test)
find_package(PkgConfig QUIET)
pkg_check_modules(SKINNY_BENCH_PULSE_SIMPLE IMPORTED_TARGET libpulse-simple)
if(SKINNY_BENCH_PULSE_SIMPLE_FOUND)
  target_link_libraries(bench_latency PRIVATE PkgConfig::SKINNY_BENCH_PULSE_SIMPLE)
  target_compile_definitions(bench_latency PRIVATE SKINNY_BENCH_PULSE)
endif()
