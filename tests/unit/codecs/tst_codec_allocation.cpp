// The per-packet path allocates nothing of its own: after a stream's first packet, encode,
// decode, conceal and decodeFec for every built codec make no C++ heap allocation (counted through a
// replaced global operator new; the codec libraries' own malloc use is theirs and not counted).
#include "codec_fixture.h"

#include <QTest>
#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<long> gAllocations{0};
int *volatile gEscape = nullptr;
} // namespace

void *operator new(std::size_t n) {
    ++gAllocations;
    if (void *p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void *p) noexcept {
    std::free(p);
}
void operator delete(void *p, std::size_t) noexcept {
    std::free(p);
}

using namespace codectest;

class TestCodecAllocation : public QObject {
    Q_OBJECT
  private slots:
    void steadyStateAllocatesNothing_data() { addCodecRows(); }
    void steadyStateAllocatesNothing();
    void counterCounts();
};

void TestCodecAllocation::steadyStateAllocatesNothing() {
    QFETCH(uint32_t, type);
    Codec c = create(type);
    QVERIFY(c);
    const size_t packet = samplesPerPacket(c.encoder->info(), 20);
    const auto pcm = sp::ToneGenerator(440.0, -10.0, c.encoder->info().sampleRate).generate(packet * 20);
    std::vector<uint8_t> payload, next;
    std::vector<int16_t> out;
    auto run = [&](size_t i) {
        c.encoder->encode(pcm.data() + (i % 20) * packet, packet, payload);
        c.encoder->encode(pcm.data() + ((i + 1) % 20) * packet, packet, next);
        c.decoder->decode(payload.data(), payload.size(), out);
        c.decoder->conceal(packet, out);
        c.decoder->decodeFec(next.data(), next.size(), packet, out);
        c.decoder->decode(next.data(), next.size(), out);
    };
    run(0); // the first packet reserves what the stream needs
    const long before = gAllocations.load();
    for (size_t i = 0; i < 200; ++i)
        run(i);
    QCOMPARE(gAllocations.load() - before, 0L);
}

void TestCodecAllocation::counterCounts() {
    // The counter sees allocations, so a zero above means something.
    const long before = gAllocations.load();
    std::vector<int> v(100);
    gEscape = v.data(); // keeps the allocation from being elided
    QVERIFY(gEscape != nullptr);
    QVERIFY(gAllocations.load() - before >= 1);
}

QTEST_APPLESS_MAIN(TestCodecAllocation)
#include "tst_codec_allocation.moc"
