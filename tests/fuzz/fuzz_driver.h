// The deterministic fuzz driver's interface to a fuzz target (fuzz_driver.cpp). Each target provides its
// LLVMFuzzerTestOneInput (the same function libFuzzer calls) and its seed corpus.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace skinnyfuzz {

// The target's name, for messages and crash file names.
extern const char *const kTargetName;

// Built-in seeds: real traffic and well-formed samples the mutation loop starts from. Test data is
// looked up through SKINNY_TEST_DATA (set by ctest); a missing file is reported and skipped.
std::vector<std::string> seedCorpus();

// Byte offsets in an input where a length field worth editing starts (SCCP: every frame's length).
// The driver also picks random 4-aligned offsets.
std::vector<size_t> lengthFieldOffsets(const std::string &input);

} // namespace skinnyfuzz
