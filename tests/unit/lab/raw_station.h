// A raw SCCP test client for the lab call agent tests: a QTcpSocket plus a FrameReader that sends encoded
// messages and collects the decoded replies in order. Waiting is event-driven (QTest::qWaitFor on a real
// condition, the agent runs in the same thread), never a sleep.
#pragma once

#include "sccp/codec.h"
#include "sccp/messages.h"

#include <QHostAddress>
#include <QStringList>
#include <QTcpSocket>
#include <QTest>
#include <deque>
#include <optional>
#include <vector>

namespace sp::test {

class RawStation : public QObject {
  public:
    explicit RawStation(uint32_t protocol = 11) : protocol_(protocol) {
        connect(&socket, &QTcpSocket::readyRead, this, [this] { readAll(); });
        connect(&socket, &QTcpSocket::disconnected, this, [this] { disconnected_ = true; });
    }

    bool connectTo(quint16 port, const QHostAddress &addr = QHostAddress::LocalHost, int timeoutMs = 5000) {
        socket.connectToHost(addr, port);
        const bool ok = QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, timeoutMs);
        // No Nagle: send() flushes each message, and Nagle plus the peer's delayed ACK would hold the
        // pipelined registration requests for ~40 ms each.
        if (ok) socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
        return ok;
    }

    void send(const sccp::AnyMessage &m) {
        sccp::EncodeOptions opt;
        opt.protocolVersion = protocol_;
        const std::string f = sccp::encodeFrame(m, opt);
        socket.write(f.data(), qint64(f.size()));
        socket.flush();
    }
    void sendRaw(const QByteArray &bytes) {
        socket.write(bytes);
        socket.flush();
    }

    // Waits for a message with this id; returns every message received up to and including it and removes
    // them from the inbox. Empty when it did not arrive in time.
    std::vector<sccp::AnyMessage> takeUntil(uint32_t id, int timeoutMs = 5000) {
        auto find = [&] {
            for (size_t i = 0; i < inbox.size(); ++i)
                if (sccp::messageId(inbox[i]) == id) return int(i);
            return -1;
        };
        if (!QTest::qWaitFor([&] { return find() >= 0; }, timeoutMs)) return {};
        const int n = find() + 1;
        std::vector<sccp::AnyMessage> out(inbox.begin(), inbox.begin() + n);
        inbox.erase(inbox.begin(), inbox.begin() + n);
        return out;
    }
    template <class M> std::vector<sccp::AnyMessage> takeUntil(int timeoutMs = 5000) {
        return takeUntil(M::id, timeoutMs);
    }
    // The message of type M that ends the next takeUntil<M>(), or nullopt.
    template <class M> std::optional<M> waitFor(int timeoutMs = 5000) {
        auto msgs = takeUntil<M>(timeoutMs);
        if (msgs.empty()) return std::nullopt;
        return std::get<M>(msgs.back());
    }

    bool waitForDisconnected(int timeoutMs = 5000) {
        return QTest::qWaitFor([&] { return disconnected_ || socket.state() == QAbstractSocket::UnconnectedState; },
                               timeoutMs);
    }
    bool isDisconnected() const { return disconnected_ || socket.state() == QAbstractSocket::UnconnectedState; }

    // The whole registration of REFERENCE §3.13, pipelined; true once the idle screen is pushed.
    bool registerAs(const QString &device, uint8_t protocolVersion = 11) {
        sccp::Register r;
        r.deviceName = device.toStdString();
        r.protocolVersion = protocolVersion;
        r.stationIpAddr = 0x7F000001;
        send(r);
        if (takeUntil<sccp::CapabilitiesReq>().empty()) return false;
        sccp::CapabilitiesRes caps;
        caps.capabilities = {{4, 40, {}, {}}, {2, 40, {}, {}}};
        send(caps);
        send(sccp::ButtonTemplateReq{});
        send(sccp::SoftKeyTemplateReq{});
        send(sccp::SoftKeySetReq{});
        send(sccp::LineStatReq{1});
        auto line = waitFor<sccp::LineStat>();
        if (!line) return false;
        number = QString::fromStdString(line->lineDirNumber);
        send(sccp::TimeDateReq{});
        if (takeUntil<sccp::DisplayPromptStatus>().empty()) return false;
        inbox.clear();
        return true;
    }

    // Round trip through the agent: everything it sent before this ack has arrived.
    bool sync() {
        send(sccp::KeepAlive{});
        auto msgs = takeUntil<sccp::KeepAliveAck>();
        if (msgs.empty()) return false;
        msgs.pop_back();
        inbox.insert(inbox.begin(), msgs.begin(), msgs.end());
        return true;
    }

    static QStringList names(const std::vector<sccp::AnyMessage> &msgs) {
        QStringList out;
        for (const auto &m : msgs) out << QLatin1String(sccp::messageName(m));
        return out;
    }
    // The n-th message of type M in msgs (0-based), or nullopt.
    template <class M> static std::optional<M> nth(const std::vector<sccp::AnyMessage> &msgs, int n = 0) {
        for (const auto &m : msgs)
            if (auto *p = std::get_if<M>(&m); p && n-- == 0) return *p;
        return std::nullopt;
    }

    QTcpSocket socket;
    std::deque<sccp::AnyMessage> inbox;
    std::string readerError;
    QString number; // from LineStat after registerAs()

  private:
    void readAll() {
        const QByteArray data = socket.readAll();
        reader_.append(data.constData(), size_t(data.size()));
        for (;;) {
            sccp::Frame f;
            const auto st = reader_.next(f);
            if (st == sccp::FrameReader::Status::NeedMore) return;
            if (st == sccp::FrameReader::Status::Error) {
                readerError = reader_.error();
                return;
            }
            inbox.push_back(sccp::decodeMessage(f, protocol_).message);
        }
    }

    uint32_t protocol_;
    sccp::FrameReader reader_;
    bool disconnected_ = false;
};

} // namespace sp::test
