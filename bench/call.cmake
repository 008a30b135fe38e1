# One call, per codec (bench/bench_call.cpp): one 20 ms frame through resample, encode, RTP, SRTP, jitter
# buffer, decode and resample back, both directions; CPU ns per frame and the share of one core.
# Needs speexdsp (the resampler RtpMediaEngine uses); figures in BENCHMARKS.md.
if(SKINNY_MEDIA_SPEEXDSP_FOUND)
  add_executable(bench_call ${CMAKE_CURRENT_LIST_DIR}/bench_call.cpp)
  target_link_libraries(bench_call PRIVATE skinnycore benchmark::benchmark PkgConfig::SKINNY_MEDIA_SPEEXDSP)
endif()
