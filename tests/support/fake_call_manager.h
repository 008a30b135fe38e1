// FakeCallManager (a test fake, named as such): a scripted SCCP call manager on a real loopback TCP port.
// It records every message a phone sends and answers registration the way the test tells it to
// (ack, reject, stay silent, stop acknowledging keepalives, send raw bytes). Used where the real lab
// call agent cannot misbehave on purpose.
#pragma once

#include "sccp/codec.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <functional>
#include <vector>

namespace sptest {

class FakeCallManager : public QObject {
    Q_OBJECT
  public:
    enum class OnRegister { Ack, Reject, Ignore };
    OnRegister onRegister = OnRegister::Ack;
    bool ackKeepAlives = true;
    bool answerConfiguration = true; // answer ButtonTemplateReq, LineStatReq, TimeDateReq, ...
    bool ackUnregister = true;
    quint32 keepAliveSeconds = 10;
    std::function<void(const sccp::DecodedMessage &)> onMessage; // extra scripted behaviour

    struct Received {
        int connection;
        sccp::AnyMessage message;
    };
    std::vector<Received> received;
    int connections = 0;
    int disconnections = 0;

    // Drop the clients first: their disconnected handlers must not run into a half-destroyed object.
    ~FakeCallManager() override { shutdown(); }

    bool listen(quint16 port = 0) {
        connect(&server_, &QTcpServer::newConnection, this, &FakeCallManager::onNewConnection, Qt::UniqueConnection);
        return server_.listen(QHostAddress::LocalHost, port);
    }
    quint16 port() const { return server_.serverPort(); }
    // Stops listening and drops every connection (a call manager that dies: the phone sees a close).
    void shutdown() {
        server_.close();
        for (auto *c : clients_) {
            c->disconnect(this);
            c->abort();
            c->deleteLater();
        }
        clients_.clear();
    }
    QTcpSocket *client() const { return clients_.empty() ? nullptr : clients_.back(); }

    void send(const sccp::AnyMessage &m) {
        if (auto *c = client()) c->write(QByteArray::fromStdString(sccp::encodeFrame(m)));
    }
    void sendRaw(const QByteArray &bytes) {
        if (auto *c = client()) c->write(bytes);
    }

    int count(uint32_t id) const {
        int n = 0;
        for (const auto &r : received) n += sccp::messageId(r.message) == id;
        return n;
    }
    std::vector<std::string> names() const {
        std::vector<std::string> out;
        for (const auto &r : received) out.emplace_back(sccp::messageName(r.message));
        return out;
    }

  signals:
    void messageArrived(quint32 id);

  private:
    void onNewConnection() {
        while (auto *c = server_.nextPendingConnection()) {
            ++connections;
            const int index = connections;
            clients_.push_back(c);
            auto reader = std::make_shared<sccp::FrameReader>();
            connect(c, &QTcpSocket::readyRead, this, [this, c, reader, index] {
                QByteArray data = c->readAll();
                reader->append(data.constData(), size_t(data.size()));
                sccp::Frame f;
                while (reader->next(f) == sccp::FrameReader::Status::Frame) {
                    auto d = sccp::decodeMessage(f, 11);
                    received.push_back({index, d.message});
                    handle(c, d);
                    emit messageArrived(d.messageId);
                }
            });
            connect(c, &QTcpSocket::disconnected, this, [this, c] {
                ++disconnections;
                std::erase(clients_, c);
                c->deleteLater();
            });
        }
    }
    void reply(QTcpSocket *c, const sccp::AnyMessage &m) { c->write(QByteArray::fromStdString(sccp::encodeFrame(m))); }
    void handle(QTcpSocket *c, const sccp::DecodedMessage &d) {
        using namespace sccp;
        if (std::holds_alternative<Register>(d.message)) {
            if (onRegister == OnRegister::Ack) {
                RegisterAck ack;
                ack.keepAliveInterval = keepAliveSeconds;
                ack.maxProtocolVersion = 11;
                reply(c, ack);
                reply(c, CapabilitiesReq{});
            } else if (onRegister == OnRegister::Reject) {
                reply(c, RegisterReject{"No Authority: test"});
            }
        } else if (std::holds_alternative<KeepAlive>(d.message)) {
            if (ackKeepAlives) reply(c, KeepAliveAck{});
        } else if (std::holds_alternative<Unregister>(d.message)) {
            if (ackUnregister) reply(c, UnregisterAck{0});
        } else if (answerConfiguration) {
            if (std::holds_alternative<ButtonTemplateReq>(d.message)) {
                ButtonTemplate bt;
                bt.buttonCount = bt.totalButtonCount = 2;
                bt.definitions = {{1, 0x09}, {1, 0x02}};
                reply(c, bt);
            } else if (std::holds_alternative<SoftKeyTemplateReq>(d.message)) {
                reply(c, SoftKeyTemplateRes{});
            } else if (std::holds_alternative<SoftKeySetReq>(d.message)) {
                reply(c, SoftKeySetRes{});
            } else if (auto *l = std::get_if<LineStatReq>(&d.message)) {
                reply(c, LineStat{l->lineNumber, "2001", "Fake", "", 0});
            } else if (auto *s = std::get_if<SpeedDialStatReq>(&d.message)) {
                reply(c, SpeedDialStat{s->speedDialNumber, "600", "Echo"});
            } else if (auto *f = std::get_if<ForwardStatReq>(&d.message)) {
                ForwardStat fs;
                fs.lineNumber = f->lineNumber;
                reply(c, fs);
            } else if (std::holds_alternative<VersionReq>(d.message)) {
                reply(c, Version{"FAKE01"});
            } else if (std::holds_alternative<ServerReq>(d.message)) {
                reply(c, ServerRes{});
            } else if (std::holds_alternative<TimeDateReq>(d.message)) {
                reply(c, DefineTimeDate{2026, 11, 3, 25, 12, 0, 0, 0, 1795608000});
            }
        }
        if (onMessage) onMessage(d);
    }

    QTcpServer server_;
    std::vector<QTcpSocket *> clients_;
};

} // namespace sptest
