// PulseDeviceMonitor: tells when a PulseAudio sink or source disappears. Qt 6.4's PulseAudio backend
// reports nothing when a device goes away mid-stream (neither QMediaDevices nor the QAudioSink/QAudioSource
// notice), so AudioPath watches the server itself: a libpulse threaded main loop, subscribed to sink and
// source events, keeps an index -> name table (filled from the server's lists at start and on each new
// device) and on a removal emits the removed device's name, which is what Qt uses as QAudioDevice::id().
//
// It connects to the server libpulse picks by itself, as Qt does (PULSE_SERVER, client.conf, the default
// socket), never spawning one. Built only when pkg-config finds libpulse (SKINNY_HAVE_LIBPULSE); without
// it, or when no server answers, start() returns false and the monitor stays idle.
//
// Thread: create it on the thread that wants the signals; they are queued to that thread from libpulse's.
#pragma once

#include <QObject>
#include <QString>

namespace sp::media {

class PulseDeviceMonitor : public QObject {
    Q_OBJECT
  public:
    explicit PulseDeviceMonitor(QObject *parent = nullptr);
    ~PulseDeviceMonitor() override; // stops libpulse's thread before anything else goes

    // Starts the main loop and the connection. False (and idle) when libpulse is not built in, its main
    // loop does not start or the connection fails at once (no server at the address); a connection that
    // fails later emits idle().
    bool start();
    void stop();
    bool isConnected() const; // subscribed, the device tables filled

    static bool isAvailable(); // built with libpulse

  signals:
    void sinkRemoved(const QString &name);
    void sourceRemoved(const QString &name);
    void connected(); // subscribed and the device tables filled
    void idle();      // the connection failed or ended: no more reports

  public:
    struct Impl; // libpulse side (pulse_monitor.cpp)

  private:
    Impl *d_ = nullptr;
};

} // namespace sp::media
