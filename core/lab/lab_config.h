// Configuration of the lab call agent (skinnyphone-lab, `skinnyphone --demo`, tests): which devices may
// register, which directory number each gets, the two service numbers and the timers.
//
// Config file format (JSON, every key optional):
//   {
//     "firstNumber": 1001,              // numbers handed out to devices not listed below: 1001, 1002, ...
//     "acceptUnknownDevices": true,     // false = allow-list: only the devices below may register
//     "echoNumber": "600",              // service: answers and returns the RTP it receives
//     "toneNumber": "601",              // service: answers and sends a 1 kHz G.711 µ-law tone
//     "keepAlive": 30,                  // [s] RegisterAck keepAliveInterval; a station silent 3x this is dropped
//     "dialTimeoutMs": 3000,            // [ms] inter-digit timeout that ends dialing
//     "codec": "G722",                  // offered per call when both phones advertise it (else G.711 µ-law):
//                                       // PCMU, PCMA, G722, G729, OPUS or an SCCP compressionType number
//     "srtp": false,                    // true: phone-to-phone calls get fresh SRTP keys (REFERENCE §5.7)
//     "srtpSuite": 80,                  // 80 AES_CM_128_HMAC_SHA1_80 (algorithmID 2), 32 ..._SHA1_32 (1)
//     "devices": [
//       {"device": "SEP001122334455", "number": "1001", "label": "Alice", "name": "Alice Example"}
//     ]
//   }
#pragma once

#include <QList>
#include <QString>

namespace sp::lab {

// One configured device: its directory number and what its line button shows.
struct DeviceConfig {
    QString device;      // SEP + 12 hex digits (compared case-insensitively)
    QString number;      // directory number of line 1
    QString label;       // lineTextLabel; empty = the number
    QString displayName; // lineFullyQualifiedDisplayName and the name in CallInfo; empty = label or number
};

struct LabConfig {
    quint32 firstNumber = 1001;        // first number handed out to unlisted devices
    QList<DeviceConfig> devices;       // device -> number map (and the allow-list when below is false)
    bool acceptUnknownDevices = true;  // false: RegisterReject "No Authority: SEP..." for unlisted devices
    QString echoNumber = QStringLiteral("600");
    QString toneNumber = QStringLiteral("601");
    quint32 keepAliveSeconds = 30;     // [s] sent in RegisterAck (CUCM default)
    qint64 dialTimeoutMs = 3000;       // [ms] inter-digit timeout
    quint32 maxProtocolVersion = 22;   // highest SCCP protocol the agent negotiates
    QString dateTemplate = QStringLiteral("M/D/Y");
    double toneFrequencyHz = 1000;     // [Hz] tone service
    double toneLevelDbfs = -10;        // [dBFS] tone service, peak amplitude relative to full scale
    quint32 packetMs = 20;             // [ms] RTP packetization sent in OpenReceiveChannel/StartMediaTransmission
    quint32 precedence = 184;          // IP TOS byte for RTP (CUCM: 184 = DSCP EF)
    quint32 codec = 4;                 // SCCP compressionType offered for calls (4 = G.711 µ-law, the fallback)
    // SRTP: each phone-to-phone call gets a fresh random master key and salt per direction in the key
    // info of OpenReceiveChannel (rx) and StartMediaTransmission (tx); A's tx key is B's rx key. The key
    // info is part of both messages at every protocol version (REFERENCE §5.5/§5.6), so every phone gets
    // them; a phone that refuses (ORC status) ends the call as a media failure. The echo and tone
    // services stay plain RTP. Keys never appear in events or logs.
    bool srtp = false;
    quint32 srtpAlgorithm = 2;         // SCCP algorithmID: 2 AES_CM_128_HMAC_SHA1_80, 1 AES_CM_128_HMAC_SHA1_32

    // Reads a JSON config file (format above) over the current values. False with a message on error.
    bool loadFile(const QString &path, QString *error);
    // The configured entry for a device, or nullptr.
    const DeviceConfig *findDevice(const QString &device) const;
};

// A codec as the config and --codec name it: PCMU (ulaw), PCMA (alaw), G722, G729 (-> 12, G.729 Annex A,
// what Asterisk and the phones advertise), OPUS (-> 90), case-insensitive, or a compressionType number
// 1..1000. False for anything else.
bool parseCodec(const QString &text, quint32 *compressionType);
// The RTP payload type the agent signals in codecParams.dynamicPayload: 107 for Opus, else 0.
quint32 dynamicPayloadFor(quint32 compressionType);

// Is this a valid device name: "SEP" followed by 12 hex digits?
bool isValidDeviceName(const QString &name);

} // namespace sp::lab
