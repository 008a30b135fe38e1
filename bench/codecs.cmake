# Audio codecs (core/media/codecs): encode + decode of one 20 ms frame of a 1 kHz tone, for every codec
# the build has (one per codec), and one decode followed by one concealed loss; ns per iteration.
add_executable(bench_codecs ${CMAKE_CURRENT_LIST_DIR}/bench_codecs.cpp)
target_link_libraries(bench_codecs PRIVATE skinnycore benchmark::benchmark)
