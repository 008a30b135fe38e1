# Start-up benchmark: `skinnyphone --headless` from process start to its "registered" event, against the
# lab call agent on loopback. A plain Qt program (it times whole processes, which Google Benchmark's
# in-process loop does not fit); it prints the median and the spread. Method in BENCHMARKS.md.
add_executable(bench_startup bench_startup.cpp)
target_link_libraries(bench_startup PRIVATE skinnycore)
target_compile_definitions(bench_startup PRIVATE SKINNYPHONE_PATH="$<TARGET_FILE:skinnyphone>")
add_dependencies(bench_startup skinnyphone)
