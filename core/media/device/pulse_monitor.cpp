// The PulseAudio device monitor. See pulse_monitor.h.
#include "pulse_monitor.h"

#include <QLoggingCategory>
#include <QMetaObject>
#include <atomic>

#ifdef SKINNY_HAVE_LIBPULSE
#include <map>
#include <pulse/pulseaudio.h>
#include <string>
#endif

Q_DECLARE_LOGGING_CATEGORY(lcAudioPath)

namespace sp::media {

#ifdef SKINNY_HAVE_LIBPULSE

// Everything below runs on libpulse's main loop thread (its callbacks), except start/stop, which hold
// the main loop's lock. The tables are touched only from callbacks, so they need no lock of their own.
struct PulseDeviceMonitor::Impl {
    PulseDeviceMonitor *q = nullptr;
    pa_threaded_mainloop *loop = nullptr;
    pa_context *ctx = nullptr;
    std::map<uint32_t, std::string> sinks, sources;
    int listsPending = 0;
    std::atomic<bool> ready{false};

    void post(bool sink, const std::string &name) {
        const QString n = QString::fromStdString(name);
        QMetaObject::invokeMethod(q, [q = q, sink, n] { sink ? emit q->sinkRemoved(n) : emit q->sourceRemoved(n); },
                                  Qt::QueuedConnection);
    }
    void listDone() {
        if (--listsPending == 0 && !ready.exchange(true))
            QMetaObject::invokeMethod(q, [q = q] { emit q->connected(); }, Qt::QueuedConnection);
    }

    static void onSink(pa_context *, const pa_sink_info *i, int eol, void *self) {
        auto *d = static_cast<Impl *>(self);
        if (eol != 0 || !i) return;
        d->sinks[i->index] = i->name ? i->name : "";
    }
    static void onSource(pa_context *, const pa_source_info *i, int eol, void *self) {
        auto *d = static_cast<Impl *>(self);
        if (eol != 0 || !i) return;
        d->sources[i->index] = i->name ? i->name : "";
    }
    static void onSinkList(pa_context *c, const pa_sink_info *i, int eol, void *self) {
        onSink(c, i, eol, self);
        if (eol != 0) static_cast<Impl *>(self)->listDone();
    }
    static void onSourceList(pa_context *c, const pa_source_info *i, int eol, void *self) {
        onSource(c, i, eol, self);
        if (eol != 0) static_cast<Impl *>(self)->listDone();
    }
    static void onEvent(pa_context *c, pa_subscription_event_type_t t, uint32_t index, void *self) {
        auto *d = static_cast<Impl *>(self);
        const auto facility = t & PA_SUBSCRIPTION_EVENT_FACILITY_MASK;
        const auto type = t & PA_SUBSCRIPTION_EVENT_TYPE_MASK;
        const bool sink = facility == PA_SUBSCRIPTION_EVENT_SINK;
        if (!sink && facility != PA_SUBSCRIPTION_EVENT_SOURCE) return;
        if (type == PA_SUBSCRIPTION_EVENT_NEW) {
            pa_operation *o = sink ? pa_context_get_sink_info_by_index(c, index, &Impl::onSink, d)
                                   : pa_context_get_source_info_by_index(c, index, &Impl::onSource, d);
            if (o) pa_operation_unref(o);
        } else if (type == PA_SUBSCRIPTION_EVENT_REMOVE) {
            auto &table = sink ? d->sinks : d->sources;
            auto it = table.find(index);
            if (it == table.end()) return; // removed before we learnt its name
            const std::string name = it->second;
            table.erase(it);
            d->post(sink, name);
        }
    }
    static void onState(pa_context *c, void *self) {
        auto *d = static_cast<Impl *>(self);
        switch (pa_context_get_state(c)) {
        case PA_CONTEXT_READY: {
            pa_context_set_subscribe_callback(c, &Impl::onEvent, d);
            pa_operation *o = pa_context_subscribe(
                c, pa_subscription_mask_t(PA_SUBSCRIPTION_MASK_SINK | PA_SUBSCRIPTION_MASK_SOURCE), nullptr, nullptr);
            if (o) pa_operation_unref(o);
            d->listsPending = 2;
            if ((o = pa_context_get_sink_info_list(c, &Impl::onSinkList, d))) pa_operation_unref(o);
            else d->listDone();
            if ((o = pa_context_get_source_info_list(c, &Impl::onSourceList, d))) pa_operation_unref(o);
            else d->listDone();
            break;
        }
        case PA_CONTEXT_FAILED:
        case PA_CONTEXT_TERMINATED:
            d->ready = false;
            QMetaObject::invokeMethod(d->q, [q = d->q] { emit q->idle(); }, Qt::QueuedConnection);
            qCInfo(lcAudioPath) << "PulseAudio device monitor idle:" << pa_strerror(pa_context_errno(c));
            break;
        default: break;
        }
    }
};

bool PulseDeviceMonitor::isAvailable() { return true; }

bool PulseDeviceMonitor::start() {
    if (d_) return true;
    auto *d = new Impl;
    d->q = this;
    d->loop = pa_threaded_mainloop_new();
    if (!d->loop) {
        delete d;
        return false;
    }
    d->ctx = pa_context_new(pa_threaded_mainloop_get_api(d->loop), "skinnyphone device monitor");
    if (!d->ctx) {
        pa_threaded_mainloop_free(d->loop);
        delete d;
        return false;
    }
    pa_context_set_state_callback(d->ctx, &Impl::onState, d);
    // nullptr server: libpulse's own choice (PULSE_SERVER, client.conf, default socket), as Qt's.
    if (pa_context_connect(d->ctx, nullptr, PA_CONTEXT_NOAUTOSPAWN, nullptr) < 0) {
        qCInfo(lcAudioPath) << "PulseAudio device monitor idle:" << pa_strerror(pa_context_errno(d->ctx));
        pa_context_unref(d->ctx);
        pa_threaded_mainloop_free(d->loop);
        delete d;
        return false;
    }
    if (pa_threaded_mainloop_start(d->loop) < 0) {
        pa_context_disconnect(d->ctx);
        pa_context_unref(d->ctx);
        pa_threaded_mainloop_free(d->loop);
        delete d;
        return false;
    }
    d_ = d;
    return true;
}

void PulseDeviceMonitor::stop() {
    if (!d_) return;
    pa_threaded_mainloop_lock(d_->loop);
    pa_context_set_subscribe_callback(d_->ctx, nullptr, nullptr);
    pa_context_set_state_callback(d_->ctx, nullptr, nullptr);
    pa_context_disconnect(d_->ctx);
    pa_context_unref(d_->ctx);
    pa_threaded_mainloop_unlock(d_->loop);
    pa_threaded_mainloop_stop(d_->loop); // joins libpulse's thread: no callback after this
    pa_threaded_mainloop_free(d_->loop);
    delete d_;
    d_ = nullptr;
}

bool PulseDeviceMonitor::isConnected() const { return d_ && d_->ready; }

#else // no libpulse: always idle

struct PulseDeviceMonitor::Impl {};
bool PulseDeviceMonitor::isAvailable() { return false; }
bool PulseDeviceMonitor::start() { return false; }
void PulseDeviceMonitor::stop() {}
bool PulseDeviceMonitor::isConnected() const { return false; }

#endif

PulseDeviceMonitor::PulseDeviceMonitor(QObject *parent) : QObject(parent) {}
PulseDeviceMonitor::~PulseDeviceMonitor() { stop(); }

} // namespace sp::media
