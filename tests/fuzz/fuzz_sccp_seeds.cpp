// Seed corpus of fuzz_sccp_decoder for the deterministic driver: every SCCP frame of the Asterisk captures
// (tests/data/*.pcap, both directions, one frame per seed plus each connection's first frames as a stream),
// every frame of tests/data/cucm-frames.json, and the layout samples (tests/unit/sccp/sample_messages.h)
// encoded at protocol 11, 17 and 22.
#include "fuzz_driver.h"

#include "pcap.h"
#include "sample_messages.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>

namespace skinnyfuzz {

const char *const kTargetName = "fuzz_sccp_decoder";

namespace {

QString testDataDir() {
    const QByteArray env = qgetenv("SKINNY_TEST_DATA");
    return env.isEmpty() ? QStringLiteral(SKINNY_TEST_DATA_DIR) : QString::fromLocal8Bit(env);
}

// Splits a reassembled stream into whole frames (header included).
void addFrames(const std::string &stream, std::vector<std::string> &out) {
    size_t pos = 0;
    while (stream.size() - pos >= sccp::kHeaderSize) {
        const auto *p = reinterpret_cast<const uint8_t *>(stream.data() + pos);
        const uint32_t length = uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
        if (length < 4 || length > sccp::kMaxMessageLength || stream.size() - pos < size_t(length) + 8) break;
        out.push_back(stream.substr(pos, size_t(length) + 8));
        pos += size_t(length) + 8;
    }
}

} // namespace

std::vector<std::string> seedCorpus() {
    std::vector<std::string> seeds;
    const QDir data(testDataDir());
    const QStringList captures = data.entryList({QStringLiteral("*.pcap"), QStringLiteral("*.pcapng")}, QDir::Files);
    if (captures.isEmpty()) std::fprintf(stderr, "%s: no captures in %s\n", kTargetName, qPrintable(data.path()));
    for (const QString &name : captures) {
        std::vector<testsupport::CapturedPacket> packets;
        std::string error;
        if (!testsupport::readCaptureFile(data.filePath(name).toStdString(), packets, &error)) {
            std::fprintf(stderr, "%s: cannot read %s: %s\n", kTargetName, qPrintable(name), error.c_str());
            continue;
        }
        for (const auto &flow : testsupport::reassembleTcp(packets, 2000)) {
            if (flow.gaps) continue;
            addFrames(flow.payload, seeds);
            seeds.push_back(flow.payload.substr(0, 1024)); // several frames in a row, the last one cut
        }
    }
    QFile json(data.filePath(QStringLiteral("cucm-frames.json")));
    if (json.open(QIODevice::ReadOnly)) {
        const QJsonObject groups = QJsonDocument::fromJson(json.readAll()).object();
        for (const auto &group : groups)
            for (const auto &frame : group.toObject())
                seeds.push_back(QByteArray::fromHex(frame.toString().toLatin1()).toStdString());
    } else {
        std::fprintf(stderr, "%s: cannot read %s\n", kTargetName, qPrintable(json.fileName()));
    }
    for (uint32_t version : {11u, 17u, 22u}) {
        sccp::EncodeOptions opt;
        opt.protocolVersion = version;
        opt.headerVersion = version >= 17 ? version : 0; // newer agents put the layout in the header
        for (const auto &m : sccptest::sampleMessages()) seeds.push_back(sccp::encodeFrame(m, opt));
    }
    return seeds;
}

std::vector<size_t> lengthFieldOffsets(const std::string &input) {
    std::vector<size_t> offsets;
    size_t pos = 0;
    while (input.size() - pos >= 4 && offsets.size() < 64) {
        offsets.push_back(pos);
        const auto *p = reinterpret_cast<const uint8_t *>(input.data() + pos);
        const uint32_t length = uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
        if (length < 4 || length > sccp::kMaxMessageLength || input.size() - pos < size_t(length) + 8) break;
        pos += size_t(length) + 8;
    }
    return offsets;
}

} // namespace skinnyfuzz
