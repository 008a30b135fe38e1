// bench_gui_baseline: a bare Qt Widgets + Multimedia program, the yardstick of bench_gui's memory and idle
// figures. One window of the faceplate's default size with a painted label, Qt Multimedia loaded (a
// QMediaDevices and the list of audio outputs, as the phone's sound path does at start), nothing else.
// Prints {"event":"window","state":"painted"} after its first frame and runs until it is terminated.
#include <QApplication>
#include <QAudioDevice>
#include <QLabel>
#include <QMediaDevices>
#include <QPaintEvent>
#include <QTimer>
#include <cstdio>

namespace {
class Window : public QLabel {
  public:
    Window() : QLabel(QStringLiteral("Qt Widgets + Multimedia")) { setAlignment(Qt::AlignCenter); }

  protected:
    void paintEvent(QPaintEvent *e) override {
        QLabel::paintEvent(e);
        if (reported_) return;
        reported_ = true;
        QTimer::singleShot(0, this, [] {
            std::printf("{\"event\":\"window\",\"state\":\"painted\"}\n");
            std::fflush(stdout);
        });
    }

  private:
    bool reported_ = false;
};
} // namespace

int main(int argc, char *argv[]) {
    QApplication app(argc, argv);
    QMediaDevices devices;
    const auto outputs = QMediaDevices::audioOutputs();
    std::fprintf(stderr, "bench_gui_baseline: %d audio outputs\n", int(outputs.size()));
    Window w;
    w.resize(656, 560);
    w.show();
    return app.exec();
}
