// Seed corpus of fuzz_wav_decode for the deterministic driver: small WAV images in the encodings our
// encoder writes (16-bit, 8-bit, float; mono and stereo), one with an extra LIST chunk before the data, one
// left unfinalized by a killed writer (data size 0), and the shipped ring tones from resources/.
#include "fuzz_driver.h"

#include "media/wav.h"

#include <QtEndian>
#include <cmath>
#include <filesystem>
#include <fstream>

namespace skinnyfuzz {

const char *const kTargetName = "fuzz_wav_decode";

namespace {

std::string str(const QByteArray &b) { return std::string(b.constData(), size_t(b.size())); }

std::vector<float> tone(size_t n, double hz, int rate) {
    std::vector<float> v(n);
    for (size_t i = 0; i < n; ++i) v[i] = float(0.5 * std::sin(2 * 3.141592653589793 * hz * double(i) / rate));
    return v;
}

} // namespace

std::vector<std::string> seedCorpus() {
    using namespace sp::wav;
    std::vector<std::string> seeds;
    const auto t = tone(400, 440, 8000);
    std::vector<float> stereo;
    for (float s : tone(300, 1000, 11025)) stereo.insert(stereo.end(), {s, -s});
    seeds.push_back(str(encode(t, 8000, 1, Format::Pcm16)));
    seeds.push_back(str(encode(t, 16000, 1, Format::Pcm8)));
    seeds.push_back(str(encode(stereo, 11025, 2, Format::Float32)));
    seeds.push_back(str(encode(stereo, 44100, 2, Format::Pcm16)));
    {
        QByteArray plain = encode(t, 8000, 1, Format::Pcm16);
        QByteArray withList = plain.left(36) + QByteArray("LIST\x05\x00\x00\x00INFOx\x00", 14) + plain.mid(36);
        qToLittleEndian<quint32>(quint32(withList.size() - 8), withList.data() + 4);
        seeds.push_back(str(withList));
        qToLittleEndian<quint32>(0, plain.data() + 40); // unfinalized
        seeds.push_back(str(plain));
    }
    // The shipped ring tones (mono 16-bit at 48 kHz or below): real files from another writer. Kept short
    // so the mutation loop is not dominated by resampling long files.
    const std::filesystem::path dir = std::filesystem::path(SKINNY_TEST_DATA_DIR).parent_path().parent_path() / "resources/ringtones";
    std::error_code ec;
    for (const auto &e : std::filesystem::directory_iterator(dir, ec)) {
        if (e.path().extension() != ".wav") continue;
        std::ifstream f(e.path(), std::ios::binary);
        std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
        if (s.size() > 4096) s.resize(4096); // a truncated file: the reader takes what is there
        seeds.push_back(s);
    }
    return seeds;
}

std::vector<size_t> lengthFieldOffsets(const std::string &input) {
    // The RIFF size and each chunk's size.
    std::vector<size_t> offsets{4};
    for (size_t off = 12; off + 8 <= input.size() && offsets.size() < 16;) {
        offsets.push_back(off + 4);
        const uint32_t n = qFromLittleEndian<quint32>(input.data() + off + 4);
        if (n > input.size()) break;
        off += 8 + n + (n & 1);
    }
    return offsets;
}

} // namespace skinnyfuzz
