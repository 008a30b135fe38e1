// Lab call agent configuration: JSON config file reader. See lab_config.h for the format.
#include "lab_config.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace sp::lab {

bool isValidDeviceName(const QString &name) {
    static const QRegularExpression re(QStringLiteral("^SEP[0-9A-Fa-f]{12}$"));
    return re.match(name).hasMatch();
}

bool parseCodec(const QString &text, quint32 *compressionType) {
    const QString t = text.trimmed().toUpper();
    static const QList<std::pair<QString, quint32>> names = {
        {QStringLiteral("PCMU"), 4}, {QStringLiteral("ULAW"), 4}, {QStringLiteral("G711U"), 4},
        {QStringLiteral("PCMA"), 2}, {QStringLiteral("ALAW"), 2}, {QStringLiteral("G711A"), 2},
        {QStringLiteral("G722"), 6}, {QStringLiteral("G729"), 12}, {QStringLiteral("G729A"), 12},
        {QStringLiteral("OPUS"), 90}};
    for (const auto &[name, type] : names)
        if (t == name) return *compressionType = type, true;
    bool ok = false;
    const uint n = t.toUInt(&ok);
    if (!ok || n < 1 || n > 1000) return false;
    *compressionType = n;
    return true;
}

quint32 dynamicPayloadFor(quint32 compressionType) { return compressionType == 90 ? 107 : 0; }

const DeviceConfig *LabConfig::findDevice(const QString &device) const {
    for (const auto &d : devices)
        if (d.device.compare(device, Qt::CaseInsensitive) == 0) return &d;
    return nullptr;
}

namespace {
// A JSON value that may be written as a string or a number ("1001" or 1001).
QString numberString(const QJsonValue &v) {
    if (v.isDouble()) return QString::number(qint64(v.toDouble()));
    return v.toString();
}
bool isDigits(const QString &s) {
    if (s.isEmpty() || s.size() > 24) return false;
    for (QChar c : s)
        if (!(c.isDigit() || c == QLatin1Char('*'))) return false;
    return true;
}
} // namespace

bool LabConfig::loadFile(const QString &path, QString *error) {
    auto fail = [&](const QString &msg) {
        if (error) *error = path + QStringLiteral(": ") + msg;
        return false;
    };
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return fail(f.errorString());
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &pe);
    if (pe.error != QJsonParseError::NoError)
        return fail(QStringLiteral("invalid JSON at offset %1: %2").arg(pe.offset).arg(pe.errorString()));
    if (!doc.isObject()) return fail(QStringLiteral("the top level must be a JSON object"));
    const QJsonObject o = doc.object();
    static const QStringList known = {QStringLiteral("firstNumber"), QStringLiteral("acceptUnknownDevices"),
                                      QStringLiteral("echoNumber"),  QStringLiteral("toneNumber"),
                                      QStringLiteral("keepAlive"),   QStringLiteral("dialTimeoutMs"),
                                      QStringLiteral("devices"),     QStringLiteral("codec"),
                                      QStringLiteral("srtp"),        QStringLiteral("srtpSuite")};
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!known.contains(it.key())) return fail(QStringLiteral("unknown key \"%1\"").arg(it.key()));

    if (o.contains(QStringLiteral("firstNumber"))) {
        const qint64 n = qint64(o.value(QStringLiteral("firstNumber")).toDouble(-1));
        if (n < 0 || n > 999999999) return fail(QStringLiteral("firstNumber must be a number from 0 to 999999999"));
        firstNumber = quint32(n);
    }
    if (o.contains(QStringLiteral("acceptUnknownDevices"))) {
        const auto v = o.value(QStringLiteral("acceptUnknownDevices"));
        if (!v.isBool()) return fail(QStringLiteral("acceptUnknownDevices must be true or false"));
        acceptUnknownDevices = v.toBool();
    }
    for (auto [key, target] : {std::pair{QStringLiteral("echoNumber"), &echoNumber},
                               std::pair{QStringLiteral("toneNumber"), &toneNumber}}) {
        if (!o.contains(key)) continue;
        const QString n = numberString(o.value(key));
        if (!isDigits(n)) return fail(QStringLiteral("%1 must be a string of digits").arg(key));
        *target = n;
    }
    if (o.contains(QStringLiteral("keepAlive"))) {
        const qint64 s = qint64(o.value(QStringLiteral("keepAlive")).toDouble(-1));
        if (s < 1 || s > 3600) return fail(QStringLiteral("keepAlive must be 1 to 3600 seconds"));
        keepAliveSeconds = quint32(s);
    }
    if (o.contains(QStringLiteral("dialTimeoutMs"))) {
        const qint64 ms = qint64(o.value(QStringLiteral("dialTimeoutMs")).toDouble(-1));
        if (ms < 1 || ms > 600000) return fail(QStringLiteral("dialTimeoutMs must be 1 to 600000 ms"));
        dialTimeoutMs = ms;
    }
    if (o.contains(QStringLiteral("codec"))) {
        const QJsonValue v = o.value(QStringLiteral("codec"));
        const QString text = v.isDouble() ? QString::number(qint64(v.toDouble())) : v.toString();
        if (!parseCodec(text, &codec))
            return fail(QStringLiteral("codec must be PCMU, PCMA, G722, G729, OPUS or a compressionType number"));
    }
    if (o.contains(QStringLiteral("srtp"))) {
        const auto v = o.value(QStringLiteral("srtp"));
        if (!v.isBool()) return fail(QStringLiteral("srtp must be true or false"));
        srtp = v.toBool();
    }
    if (o.contains(QStringLiteral("srtpSuite"))) {
        const qint64 tag = qint64(o.value(QStringLiteral("srtpSuite")).toDouble(-1));
        if (tag != 80 && tag != 32) return fail(QStringLiteral("srtpSuite must be 80 or 32 (the HMAC-SHA1 tag bits)"));
        srtpAlgorithm = tag == 80 ? 2 : 1;
    }
    if (o.contains(QStringLiteral("devices"))) {
        const auto v = o.value(QStringLiteral("devices"));
        if (!v.isArray()) return fail(QStringLiteral("devices must be an array"));
        devices.clear();
        int i = 0;
        for (const auto &e : v.toArray()) {
            ++i;
            if (!e.isObject()) return fail(QStringLiteral("devices[%1] must be an object").arg(i - 1));
            const QJsonObject d = e.toObject();
            DeviceConfig dc;
            dc.device = d.value(QStringLiteral("device")).toString().toUpper();
            dc.number = numberString(d.value(QStringLiteral("number")));
            dc.label = d.value(QStringLiteral("label")).toString();
            dc.displayName = d.value(QStringLiteral("name")).toString();
            if (!isValidDeviceName(dc.device))
                return fail(QStringLiteral("devices[%1].device \"%2\" is not SEP + 12 hex digits").arg(i - 1).arg(dc.device));
            if (!dc.number.isEmpty() && !isDigits(dc.number))
                return fail(QStringLiteral("devices[%1].number must be digits").arg(i - 1));
            for (const auto &other : devices) {
                if (other.device == dc.device)
                    return fail(QStringLiteral("device %1 is listed twice").arg(dc.device));
                if (!dc.number.isEmpty() && other.number == dc.number)
                    return fail(QStringLiteral("number %1 is given to two devices").arg(dc.number));
            }
            devices.append(dc);
        }
    }
    return true;
}

} // namespace sp::lab
