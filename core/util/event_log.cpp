#include "event_log.h"

#include <QJsonDocument>
#include <cstdio>

namespace sp {

bool EventLog::open(const QString &path, QString *error) {
    if (path.isEmpty()) return true;
    bool ok = path == QLatin1String("-") ? file_.open(stdout, QIODevice::WriteOnly | QIODevice::Unbuffered)
                                         : (file_.setFileName(path), file_.open(QIODevice::WriteOnly | QIODevice::Truncate));
    if (!ok && error) *error = QStringLiteral("cannot write events to '%1': %2").arg(path, file_.errorString());
    return ok;
}

void EventLog::write(const QString &name, qint64 tMs, const QJsonObject &fields) {
    if (!file_.isOpen()) return;
    QJsonObject o = fields;
    o.insert(QStringLiteral("event"), name);
    o.insert(QStringLiteral("t"), tMs);
    writeObject(o);
}

void EventLog::writeObject(const QJsonObject &object) {
    if (!file_.isOpen()) return;
    QByteArray line = QJsonDocument(object).toJson(QJsonDocument::Compact);
    line.append('\n');
    file_.write(line);
    file_.flush();
}

} // namespace sp
