// Fuzz target: sp::wav::decode (libsndfile virtual I/O over the bytes in memory), fed arbitrary file images,
// as a user's --audio-in file or a ring tone could be. Either the file is refused with a message and no
// audio, or the audio is at the requested rate with the source format in range. Any other outcome aborts
// (a finding), as does any crash or sanitizer report.
//
// Built twice (tests/fuzz/CMakeLists.txt): with fuzz_driver.cpp as the ctest test fuzz_wav_decode, and as a
// libFuzzer binary with clang and SKINNY_FUZZ=ON.
#include "media/wav.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

[[noreturn]] void finding(const char *what, size_t size) {
    std::fprintf(stderr, "fuzz_wav_decode: %s (%zu-byte input)\n", what, size);
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    // A deep copy of exactly `size` bytes, so ASan sees any read past the image.
    const QByteArray image(reinterpret_cast<const char *>(data), qsizetype(size));
    const sp::wav::Audio a = sp::wav::decode(image, sp::wav::kTelephoneRate);
    if (!a.ok) {
        if (a.error.isEmpty()) finding("refused without a message", size);
        if (!a.samples.empty()) finding("refused but returned audio", size);
        return 0;
    }
    if (a.sampleRate != sp::wav::kTelephoneRate) finding("audio at the wrong rate", size);
    if (a.sourceChannels < 1 || a.sourceChannels > sp::wav::kMaxChannels) finding("channel count out of range", size);
    if (a.sourceRate < sp::wav::kMinRate || a.sourceRate > sp::wav::kMaxRate) finding("source rate out of range", size);
    if (a.sourceFrames < 0) finding("negative frame count", size);
    // The output length follows the frames read: round(frames x 8000 / sourceRate), give or take one.
    const double expected = double(a.sourceFrames) * sp::wav::kTelephoneRate / a.sourceRate;
    if (std::abs(double(a.samples.size()) - expected) > 1.5) finding("output length does not match the frames read", size);
    return 0;
}
