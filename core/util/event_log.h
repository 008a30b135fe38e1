// JSON-lines event stream (--events FILE|-): one compact JSON object per line, flushed per line so a
// script reading the stream sees each event at once. Used by skinnyphone and skinnyphone-lab.
#pragma once

#include <QFile>
#include <QJsonObject>
#include <QString>

namespace sp {

class EventLog {
  public:
    // path "-" writes to standard output; an empty path disables the log. False with a reason on error.
    bool open(const QString &path, QString *error);
    bool isOpen() const { return file_.isOpen(); }
    // Writes {"event": name, "t": tMs, ...fields}.
    void write(const QString &name, qint64 tMs, const QJsonObject &fields = {});
    void writeObject(const QJsonObject &object);

  private:
    QFile file_;
};

} // namespace sp
