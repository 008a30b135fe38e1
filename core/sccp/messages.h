// The SCCP message table: every message a 7960 sends or receives (REFERENCE §2, rated must or should,
// plus the optional ones real call agents send), declared once each. The declaration drives encode and
// decode in both directions: the phone encodes what it sends and decodes what it receives; the lab call
// agent does the reverse.
//
// Field order and sizes follow REFERENCE §3-5; version conditions (`.from(v)` / `.before(v)`) follow the
// protocol-version table of §7.1. Layout version = max(negotiated protocol, header version).
#pragma once

#include "fields.h"

#include <variant>

namespace sccp {

enum class Direction { ToCallManager, ToPhone };

#define SCCP_MESSAGE(ID, NAME, DIR)                                                                          \
    using Self = NAME;                                                                                       \
    static constexpr uint32_t id = ID;                                                                       \
    static constexpr const char *name = #NAME;                                                               \
    static constexpr Direction direction = Direction::DIR;

#define SCCP_EMPTY_MESSAGE(ID, NAME, DIR)                                                                    \
    struct NAME {                                                                                            \
        SCCP_MESSAGE(ID, NAME, DIR)                                                                          \
        static constexpr auto fields() { return std::tuple<>{}; }                                            \
        bool operator==(const NAME &) const = default;                                                       \
    };

// Dynamic (V2) messages pad their body to a multiple of 4 bytes (REFERENCE §1.5).
#define SCCP_PAD4 static constexpr bool padTo4 = true;

// ---------------------------------------------------------------------------------------------------
// Nested structures

// codecParams {codecMode, dynamicPayload, param1, param2} from v11; the same 4 bytes hold g723BitRate
// (a u32) for G.723 and before v11.
struct CodecParams {
    using Self = CodecParams;
    uint8_t codecMode = 0, dynamicPayload = 0, codecParam1 = 0, codecParam2 = 0;
    static constexpr auto fields() {
        return std::tuple{F_U8(codecMode), F_U8(dynamicPayload), F_U8(codecParam1), F_U8(codecParam2)};
    }
    uint32_t g723BitRate() const {
        return codecMode | uint32_t(dynamicPayload) << 8 | uint32_t(codecParam1) << 16 | uint32_t(codecParam2) << 24;
    }
    bool operator==(const CodecParams &) const = default;
};

// Media encryption key info, 48 bytes (REFERENCE §5.7).
struct EncryptionKeyInfo {
    using Self = EncryptionKeyInfo;
    uint32_t algorithmId = 0; // 0 none, 1 AES_CM_128_HMAC_SHA1_32, 2 AES_CM_128_HMAC_SHA1_80, ...
    uint16_t keyLength = 0, saltLength = 0;
    std::array<uint8_t, 16> key{}, salt{};
    uint32_t isMkiPresent = 0, keyDerivationRate = 0;
    static constexpr auto fields() {
        return std::tuple{F_U32(algorithmId), F_U16(keyLength),    F_U16(saltLength),       F_RAW(key, 16),
                          F_RAW(salt, 16),    F_U32(isMkiPresent), F_U32(keyDerivationRate)};
    }
    bool operator==(const EncryptionKeyInfo &) const = default;
};

struct MediaCapability {
    using Self = MediaCapability;
    uint32_t payloadCapability = 0; // Media_PayloadType (REFERENCE §6.1)
    uint32_t maxFramesPerPacket = 0;
    CodecParams codecParams;
    std::array<uint8_t, 4> reserved{};
    static constexpr auto fields() {
        return std::tuple{F_U32(payloadCapability), F_U32(maxFramesPerPacket), F_NESTED(codecParams),
                          F_RAW(reserved, 4)};
    }
    bool operator==(const MediaCapability &) const = default;
};

struct ButtonDefinition {
    using Self = ButtonDefinition;
    uint8_t instanceNumber = 0;
    uint8_t buttonDefinition = 0; // ButtonType (REFERENCE §3.6)
    static constexpr auto fields() { return std::tuple{F_U8(instanceNumber), F_U8(buttonDefinition)}; }
    bool operator==(const ButtonDefinition &) const = default;
};

struct SoftKeyTemplateEntry {
    using Self = SoftKeyTemplateEntry;
    std::string softKeyLabel; // plain text or a \200\NN label token
    uint32_t softKeyEvent = 0;
    static constexpr auto fields() { return std::tuple{F_STR(softKeyLabel, 16), F_U32(softKeyEvent)}; }
    bool operator==(const SoftKeyTemplateEntry &) const = default;
};

struct SoftKeySet {
    using Self = SoftKeySet;
    std::array<uint8_t, 16> softKeyTemplateIndex{}; // 1-based into the template; 0 = empty slot
    std::array<uint16_t, 16> softKeyInfoIndex{};
    static constexpr auto fields() {
        return std::tuple{SCCP_F(softKeyTemplateIndex, Array<U8, 16>), SCCP_F(softKeyInfoIndex, Array<U16, 16>)};
    }
    bool operator==(const SoftKeySet &) const = default;
};

// ---------------------------------------------------------------------------------------------------
// Phone -> CallManager (REFERENCE §2.1)

SCCP_EMPTY_MESSAGE(0x0000, KeepAlive, ToCallManager)

struct Register {
    SCCP_MESSAGE(0x0001, Register, ToCallManager)
    std::string deviceName;      // SEP + 12 upper-case hex digits
    uint32_t reserved = 0;
    uint32_t instance = 0;
    uint32_t stationIpAddr = 0;  // host-order number of the phone's IPv4 address
    uint32_t deviceType = 7;     // 7 = Cisco 7960
    uint32_t maxStreams = 5;
    uint32_t activeStreams = 0;
    uint8_t protocolVersion = 11;
    uint8_t protocolUnknown = 0;
    uint16_t phoneFeatures = 0x8160; // bytes 42-43 = 60 81: a 7960 without RFC 2833 sending (§3.1.2)
    uint32_t maxConferences = 0;
    // A real 7960 sends 20 more (zero) bytes: the 68-byte form. They are these three fields.
    uint32_t activeConferences = 0;
    std::array<uint8_t, 12> macAddress{};
    uint32_t ipV4AddressScope = 0;
    // Protocol 17 and later (124-byte form).
    uint32_t maxNumberOfLines = 0;
    std::array<uint8_t, 16> stationIpV6Addr{};
    uint32_t ipV6AddressScope = 0;
    std::string firmwareLoadName;
    static constexpr auto fields() {
        return std::tuple{F_STR(deviceName, 16),       F_U32(reserved),
                          F_U32(instance),             F_IPV4(stationIpAddr),
                          F_U32(deviceType),           F_U32(maxStreams),
                          F_U32(activeStreams),        F_U8(protocolVersion),
                          F_U8(protocolUnknown),       F_U16(phoneFeatures),
                          F_U32(maxConferences),       F_U32(activeConferences),
                          F_RAW(macAddress, 12),       F_U32(ipV4AddressScope),
                          F_U32(maxNumberOfLines).from(17), F_RAW(stationIpV6Addr, 16).from(17),
                          F_U32(ipV6AddressScope).from(17), F_STR(firmwareLoadName, 32).from(17)};
    }
    bool operator==(const Register &) const = default;
};

struct IpPort {
    SCCP_MESSAGE(0x0002, IpPort, ToCallManager)
    uint32_t rtpMediaPort = 0;
    static constexpr auto fields() { return std::tuple{F_U32(rtpMediaPort)}; }
    bool operator==(const IpPort &) const = default;
};

struct KeypadButton {
    SCCP_MESSAGE(0x0003, KeypadButton, ToCallManager)
    uint32_t kpButton = 0; // 0-9, 0x0E '*', 0x0F '#'
    uint32_t lineInstance = 0, callReference = 0;
    static constexpr auto fields() { return std::tuple{F_U32(kpButton), F_U32(lineInstance), F_U32(callReference)}; }
    bool operator==(const KeypadButton &) const = default;
};

struct EnblocCall {
    SCCP_MESSAGE(0x0004, EnblocCall, ToCallManager)
    std::string calledParty;
    uint32_t lineInstance = 0;
    static constexpr auto fields() {
        return std::tuple{F_STR(calledParty, 24).before(18), F_STR(calledParty, 25).from(18), F_U32(lineInstance)};
    }
    bool operator==(const EnblocCall &) const = default;
};

struct Stimulus {
    SCCP_MESSAGE(0x0005, Stimulus, ToCallManager)
    uint32_t stimulus = 0; // DeviceStimulus (= ButtonType)
    uint32_t stimulusInstance = 0, callReference = 0;
    uint32_t stimulusStatus = 0; // newer phones only: a 7960 at v11 sends 12 bytes
    static constexpr auto fields() {
        return std::tuple{F_U32(stimulus), F_U32(stimulusInstance), F_U32(callReference),
                          F_U32(stimulusStatus).from(17)};
    }
    bool operator==(const Stimulus &) const = default;
};

#define SCCP_LINE_CALL_MESSAGE(ID, NAME, DIR)                                                                \
    struct NAME {                                                                                            \
        SCCP_MESSAGE(ID, NAME, DIR)                                                                          \
        uint32_t lineInstance = 0, callReference = 0;                                                        \
        static constexpr auto fields() { return std::tuple{F_U32(lineInstance), F_U32(callReference)}; }     \
        bool operator==(const NAME &) const = default;                                                       \
    };
#define SCCP_U32_MESSAGE(ID, NAME, DIR, M)                                                                   \
    struct NAME {                                                                                            \
        SCCP_MESSAGE(ID, NAME, DIR)                                                                          \
        uint32_t M = 0;                                                                                      \
        static constexpr auto fields() { return std::tuple{F_U32(M)}; }                                      \
        bool operator==(const NAME &) const = default;                                                       \
    };

SCCP_LINE_CALL_MESSAGE(0x0006, OffHook, ToCallManager)
SCCP_LINE_CALL_MESSAGE(0x0007, OnHook, ToCallManager)
SCCP_LINE_CALL_MESSAGE(0x0008, HookFlash, ToCallManager)
SCCP_U32_MESSAGE(0x0009, ForwardStatReq, ToCallManager, lineNumber)
SCCP_U32_MESSAGE(0x000A, SpeedDialStatReq, ToCallManager, speedDialNumber)
SCCP_U32_MESSAGE(0x000B, LineStatReq, ToCallManager, lineNumber)
SCCP_EMPTY_MESSAGE(0x000C, ConfigStatReq, ToCallManager)
SCCP_EMPTY_MESSAGE(0x000D, TimeDateReq, ToCallManager)
SCCP_EMPTY_MESSAGE(0x000E, ButtonTemplateReq, ToCallManager)
SCCP_EMPTY_MESSAGE(0x000F, VersionReq, ToCallManager)

struct CapabilitiesRes {
    SCCP_MESSAGE(0x0010, CapabilitiesRes, ToCallManager)
    std::vector<MediaCapability> capabilities; // in order of preference; at most 18
    static constexpr auto fields() { return std::tuple{SCCP_F(capabilities, Counted<Nested, 18>)}; }
    bool operator==(const CapabilitiesRes &) const = default;
};

SCCP_EMPTY_MESSAGE(0x0012, ServerReq, ToCallManager)

struct Alarm {
    SCCP_MESSAGE(0x0020, Alarm, ToCallManager)
    uint32_t alarmSeverity = 2; // 2 Informational
    std::string text;
    uint32_t parm1 = 0, parm2 = 0;
    static constexpr auto fields() {
        return std::tuple{F_U32(alarmSeverity), F_STR(text, 80), F_U32(parm1), F_U32(parm2)};
    }
    bool operator==(const Alarm &) const = default;
};

struct OpenReceiveChannelAck {
    SCCP_MESSAGE(0x0022, OpenReceiveChannelAck, ToCallManager)
    uint32_t status = 0; // MediaStatus: 0 Ok
    IpAddress ipAddr;     // where the phone receives RTP
    uint32_t portNumber = 0;
    uint32_t passThruPartyId = 0;
    uint32_t callReference = 0;
    static constexpr auto fields() {
        return std::tuple{F_U32(status), F_IP(ipAddr), F_U32(portNumber), F_U32(passThruPartyId),
                          F_U32(callReference)};
    }
    bool operator==(const OpenReceiveChannelAck &) const = default;
};

struct ConnectionStatisticsRes {
    SCCP_MESSAGE(0x0023, ConnectionStatisticsRes, ToCallManager)
    std::string directoryNumber;
    uint32_t callReference = 0;
    uint32_t statsProcessingMode = 0;
    uint32_t numberPacketsSent = 0, numberOctetsSent = 0, numberPacketsReceived = 0, numberOctetsReceived = 0;
    uint32_t numberPacketsLost = 0, jitter = 0, latency = 0; // jitter and latency in ms
    std::string qualityText;
    static constexpr auto fields() {
        return std::tuple{F_STR(directoryNumber, 24).before(18),
                          F_STR(directoryNumber, 28).from(18),
                          F_U32(callReference),
                          F_U32(statsProcessingMode).before(18),
                          F_U8(statsProcessingMode).from(18),
                          F_U32(numberPacketsSent),
                          F_U32(numberOctetsSent),
                          F_U32(numberPacketsReceived),
                          F_U32(numberOctetsReceived),
                          F_U32(numberPacketsLost),
                          F_U32(jitter),
                          F_U32(latency),
                          SCCP_F(qualityText, Sized<600>)};
    }
    bool operator==(const ConnectionStatisticsRes &) const = default;
};

SCCP_EMPTY_MESSAGE(0x0025, SoftKeySetReq, ToCallManager)

struct SoftKeyEvent {
    SCCP_MESSAGE(0x0026, SoftKeyEvent, ToCallManager)
    uint32_t softKeyEvent = 0; // the value from the template, never hard-coded
    uint32_t lineInstance = 0, callReference = 0;
    static constexpr auto fields() {
        return std::tuple{F_U32(softKeyEvent), F_U32(lineInstance), F_U32(callReference)};
    }
    bool operator==(const SoftKeyEvent &) const = default;
};

SCCP_EMPTY_MESSAGE(0x0027, Unregister, ToCallManager)
SCCP_EMPTY_MESSAGE(0x0028, SoftKeyTemplateReq, ToCallManager)

struct RegisterTokenReq {
    SCCP_MESSAGE(0x0029, RegisterTokenReq, ToCallManager)
    std::string deviceName;
    uint32_t reserved = 0, instance = 0, stationIpAddr = 0, deviceType = 7;
    static constexpr auto fields() {
        return std::tuple{F_STR(deviceName, 16), F_U32(reserved), F_U32(instance), F_IPV4(stationIpAddr),
                          F_U32(deviceType)};
    }
    bool operator==(const RegisterTokenReq &) const = default;
};

struct MediaTransmissionFailure {
    SCCP_MESSAGE(0x002A, MediaTransmissionFailure, ToCallManager)
    uint32_t conferenceId = 0, passThruPartyId = 0;
    IpAddress remoteIpAddr;
    uint32_t remotePortNumber = 0, callReference = 0;
    static constexpr auto fields() {
        return std::tuple{F_U32(conferenceId), F_U32(passThruPartyId), F_IP(remoteIpAddr), F_U32(remotePortNumber),
                          F_U32(callReference)};
    }
    bool operator==(const MediaTransmissionFailure &) const = default;
};

SCCP_U32_MESSAGE(0x002B, HeadsetStatus, ToCallManager, headsetMode) // 1 on, 2 off
SCCP_U32_MESSAGE(0x002D, RegisterAvailableLines, ToCallManager, maxNumOfAvailLines)

#define SCCP_USER_DATA_MESSAGE(ID, NAME, DIR)                                                                \
    struct NAME {                                                                                            \
        SCCP_MESSAGE(ID, NAME, DIR)                                                                          \
        uint32_t applicationId = 0, lineInstance = 0, callReference = 0, transactionId = 0;                  \
        std::string data;                                                                                    \
        static constexpr auto fields() {                                                                     \
            return std::tuple{F_U32(applicationId), F_U32(lineInstance), F_U32(callReference),               \
                              F_U32(transactionId), SCCP_F(data, Sized<2000>)};                              \
        }                                                                                                    \
        bool operator==(const NAME &) const = default;                                                       \
    };
SCCP_USER_DATA_MESSAGE(0x002E, DeviceToUserData, ToCallManager)
SCCP_USER_DATA_MESSAGE(0x002F, DeviceToUserDataResponse, ToCallManager)
SCCP_U32_MESSAGE(0x0033, ServiceURLStatReq, ToCallManager, serviceURLIndex)
SCCP_U32_MESSAGE(0x0034, FeatureStatReq, ToCallManager, featureIndex)

// ---------------------------------------------------------------------------------------------------
// CallManager -> phone (REFERENCE §2.2)

struct RegisterAck {
    SCCP_MESSAGE(0x0081, RegisterAck, ToPhone)
    uint32_t keepAliveInterval = 30; // seconds
    std::string dateTemplate = "M/D/Y";
    std::array<uint8_t, 2> alignment{};
    uint32_t secondaryKeepAliveInterval = 60;
    uint8_t maxProtocolVersion = 11; // Asterisk writes '0' (48): treat > 22 as "no limit"
    uint8_t unknown = 0;
    uint16_t features = 0;
    static constexpr auto fields() {
        return std::tuple{F_U32(keepAliveInterval), F_STR(dateTemplate, 6), F_RAW(alignment, 2),
                          F_U32(secondaryKeepAliveInterval), F_U8(maxProtocolVersion), F_U8(unknown),
                          F_U16(features)};
    }
    bool operator==(const RegisterAck &) const = default;
};

struct StartTone {
    SCCP_MESSAGE(0x0082, StartTone, ToPhone)
    uint32_t tone = 0, toneDirection = 0, lineInstance = 0, callReference = 0;
    static constexpr auto fields() {
        return std::tuple{F_U32(tone), F_U32(toneDirection), F_U32(lineInstance), F_U32(callReference)};
    }
    bool operator==(const StartTone &) const = default;
};

struct StopTone {
    SCCP_MESSAGE(0x0083, StopTone, ToPhone)
    uint32_t lineInstance = 0, callReference = 0, tone = 0;
    static constexpr auto fields() {
        return std::tuple{F_U32(lineInstance), F_U32(callReference), F_U32(tone).from(11)};
    }
    bool operator==(const StopTone &) const = default;
};

struct SetRinger {
    SCCP_MESSAGE(0x0085, SetRinger, ToPhone)
    uint32_t ringMode = 1;     // 1 off, 2 inside, 3 outside, 4 feature, 5 flash only, 6 precedence
    uint32_t ringDuration = 1; // 1 normal (repeat), 2 single
    uint32_t lineInstance = 0, callReference = 0;
    static constexpr auto fields() {
        return std::tuple{F_U32(ringMode), F_U32(ringDuration), F_U32(lineInstance), F_U32(callReference)};
    }
    bool operator==(const SetRinger &) const = default;
};

struct SetLamp {
    SCCP_MESSAGE(0x0086, SetLamp, ToPhone)
    uint32_t stimulus = 0, stimulusInstance = 0;
    uint32_t lampMode = 1; // 1 off, 2 on, 3 wink, 4 flash, 5 blink
    static constexpr auto fields() { return std::tuple{F_U32(stimulus), F_U32(stimulusInstance), F_U32(lampMode)}; }
    bool operator==(const SetLamp &) const = default;
};

SCCP_EMPTY_MESSAGE(0x0087, SetHookFlashDetect, ToPhone)
SCCP_U32_MESSAGE(0x0088, SetSpeakerMode, ToPhone, speakerMode) // 1 on, 2 off
SCCP_U32_MESSAGE(0x0089, SetMicroMode, ToPhone, micMode)       // 1 on, 2 off (muted)

struct StartMediaTransmission {
    SCCP_MESSAGE(0x008A, StartMediaTransmission, ToPhone)
    uint32_t conferenceId = 0, passThruPartyId = 0;
    IpAddress remoteIpAddr;
    uint32_t remotePortNumber = 0;
    uint32_t millisecondPacketSize = 20;
    uint32_t compressionType = 4; // Media_PayloadType
    uint32_t precedenceValue = 0; // TOS byte for RTP
    uint32_t ssValue = 0;
    uint16_t maxFramesPerPacket = 0;
    uint16_t padding = 0;
    CodecParams codecParams;
    uint32_t callReference = 0;
    EncryptionKeyInfo keyInfo;
    uint32_t streamPassThroughId = 0, associatedStreamId = 0;
    uint32_t rfc2833PayloadType = 0, dtmfType = 0, mixingMode = 0, partyDirection = 0;
    std::array<uint8_t, 36> latentCapsInfo{};
    static constexpr auto fields() {
        return std::tuple{F_U32(conferenceId),        F_U32(passThruPartyId),   F_IP(remoteIpAddr),
                          F_U32(remotePortNumber),    F_U32(millisecondPacketSize), F_U32(compressionType),
                          F_U32(precedenceValue),     F_U32(ssValue),           F_U16(maxFramesPerPacket),
                          F_U16(padding),             F_NESTED(codecParams),    F_U32(callReference),
                          F_NESTED(keyInfo),          F_U32(streamPassThroughId), F_U32(associatedStreamId),
                          F_U32(rfc2833PayloadType),  F_U32(dtmfType),          F_U32(mixingMode),
                          F_U32(partyDirection).from(15), F_RAW(latentCapsInfo, 36).from(21)};
    }
    bool operator==(const StartMediaTransmission &) const = default;
};

#define SCCP_MEDIA_CLOSE_MESSAGE(ID, NAME)                                                                   \
    struct NAME {                                                                                            \
        SCCP_MESSAGE(ID, NAME, ToPhone)                                                                      \
        uint32_t conferenceId = 0, passThruPartyId = 0, callReference = 0;                                   \
        uint32_t portHandlingFlag = 0; /* 0 close port, 1 keep port; newer agents */                         \
        static constexpr auto fields() {                                                                     \
            return std::tuple{F_U32(conferenceId), F_U32(passThruPartyId), F_U32(callReference),             \
                              F_U32(portHandlingFlag).from(17)};                                             \
        }                                                                                                    \
        bool operator==(const NAME &) const = default;                                                       \
    };
SCCP_MEDIA_CLOSE_MESSAGE(0x008B, StopMediaTransmission)

struct CallInfo {
    SCCP_MESSAGE(0x008F, CallInfo, ToPhone)
    std::string callingPartyName, callingParty, calledPartyName, calledParty;
    uint32_t lineInstance = 0, callReference = 0;
    uint32_t callType = 0; // 1 inbound, 2 outbound, 3 forward
    std::string originalCalledPartyName, originalCalledParty, lastRedirectingPartyName, lastRedirectingParty;
    uint32_t originalCdpnRedirectReason = 0, lastRedirectingReason = 0;
    std::string cgpnVoiceMailbox, cdpnVoiceMailbox, originalCdpnVoiceMailbox, lastRedirectingVoiceMailbox;
    uint32_t callInstance = 0, callSecurityStatus = 0, partyPIRestrictionBits = 0;
    static constexpr auto fields() {
        return std::tuple{F_STR(callingPartyName, 40),
                          F_STR(callingParty, 24),
                          F_STR(calledPartyName, 40),
                          F_STR(calledParty, 24),
                          F_U32(lineInstance),
                          F_U32(callReference),
                          F_U32(callType),
                          F_STR(originalCalledPartyName, 40),
                          F_STR(originalCalledParty, 24),
                          F_STR(lastRedirectingPartyName, 40),
                          F_STR(lastRedirectingParty, 24),
                          F_U32(originalCdpnRedirectReason),
                          F_U32(lastRedirectingReason),
                          F_STR(cgpnVoiceMailbox, 24),
                          F_STR(cdpnVoiceMailbox, 24),
                          F_STR(originalCdpnVoiceMailbox, 24),
                          F_STR(lastRedirectingVoiceMailbox, 24),
                          F_U32(callInstance),
                          F_U32(callSecurityStatus),
                          F_U32(partyPIRestrictionBits)};
    }
    bool operator==(const CallInfo &) const = default;
};

struct ForwardStat {
    SCCP_MESSAGE(0x0090, ForwardStat, ToPhone)
    uint32_t activeForward = 0, lineNumber = 0;
    uint32_t forwardAllActive = 0;
    std::string forwardAllDirnum;
    uint32_t forwardBusyActive = 0;
    std::string forwardBusyDirnum;
    uint32_t forwardNoAnswerActive = 0;
    std::string forwardNoAnswerDirnum;
    static constexpr auto fields() {
        return std::tuple{F_U32(activeForward),
                          F_U32(lineNumber),
                          F_U32(forwardAllActive),
                          F_STR(forwardAllDirnum, 24).before(18),
                          F_STR(forwardAllDirnum, 25).from(18),
                          F_U32(forwardBusyActive),
                          F_STR(forwardBusyDirnum, 24).before(18),
                          F_STR(forwardBusyDirnum, 25).from(18),
                          F_U32(forwardNoAnswerActive),
                          F_STR(forwardNoAnswerDirnum, 24).before(18),
                          F_STR(forwardNoAnswerDirnum, 25).from(18)};
    }
    bool operator==(const ForwardStat &) const = default;
};

struct SpeedDialStat {
    SCCP_MESSAGE(0x0091, SpeedDialStat, ToPhone)
    uint32_t speedDialNumber = 0;
    std::string speedDialDirNumber, speedDialDisplayName;
    static constexpr auto fields() {
        return std::tuple{F_U32(speedDialNumber), F_STR(speedDialDirNumber, 24), F_STR(speedDialDisplayName, 40)};
    }
    bool operator==(const SpeedDialStat &) const = default;
};

struct LineStat {
    SCCP_MESSAGE(0x0092, LineStat, ToPhone)
    uint32_t lineNumber = 0;
    std::string lineDirNumber, lineFullyQualifiedDisplayName, lineTextLabel;
    uint32_t lineDisplayOptions = 0;
    static constexpr auto fields() {
        return std::tuple{F_U32(lineNumber), F_STR(lineDirNumber, 24), F_STR(lineFullyQualifiedDisplayName, 40),
                          F_STR(lineTextLabel, 40), F_U32(lineDisplayOptions)};
    }
    bool operator==(const LineStat &) const = default;
};

struct ConfigStat {
    SCCP_MESSAGE(0x0093, ConfigStat, ToPhone)
    std::string deviceName;
    uint32_t reserved = 0, instance = 0;
    std::string userName, serverName;
    uint32_t numberOfLines = 0, numberOfSpeedDials = 0;
    static constexpr auto fields() {
        return std::tuple{F_STR(deviceName, 16), F_U32(reserved), F_U32(instance), F_STR(userName, 40),
                          F_STR(serverName, 40), F_U32(numberOfLines), F_U32(numberOfSpeedDials)};
    }
    bool operator==(const ConfigStat &) const = default;
};

struct DefineTimeDate {
    SCCP_MESSAGE(0x0094, DefineTimeDate, ToPhone)
    uint32_t year = 0, month = 0, dayOfWeek = 0, day = 0, hour = 0, minute = 0, second = 0, milliseconds = 0;
    uint32_t systemTime = 0; // Unix epoch seconds
    static constexpr auto fields() {
        return std::tuple{F_U32(year),   F_U32(month),  F_U32(dayOfWeek),    F_U32(day),       F_U32(hour),
                          F_U32(minute), F_U32(second), F_U32(milliseconds), F_U32(systemTime)};
    }
    bool operator==(const DefineTimeDate &) const = default;
};

struct ButtonTemplate {
    SCCP_MESSAGE(0x0097, ButtonTemplate, ToPhone)
    uint32_t buttonOffset = 0, buttonCount = 0, totalButtonCount = 0;
    std::vector<ButtonDefinition> definitions; // buttonCount entries are valid; 42 slots sent, 56 accepted
    static constexpr auto fields() {
        return std::tuple{F_U32(buttonOffset), F_U32(buttonCount), F_U32(totalButtonCount),
                          SCCP_F(definitions, Array<Nested, 42, 56>)};
    }
    bool operator==(const ButtonTemplate &) const = default;
};

struct Version {
    SCCP_MESSAGE(0x0098, Version, ToPhone)
    std::string versionStr;
    static constexpr auto fields() { return std::tuple{F_STR(versionStr, 16)}; }
    bool operator==(const Version &) const = default;
};

struct DisplayText {
    SCCP_MESSAGE(0x0099, DisplayText, ToPhone)
    std::string text;
    static constexpr auto fields() { return std::tuple{F_STR(text, 32)}; }
    bool operator==(const DisplayText &) const = default;
};

SCCP_EMPTY_MESSAGE(0x009A, ClearDisplay, ToPhone)
SCCP_EMPTY_MESSAGE(0x009B, CapabilitiesReq, ToPhone)

struct RegisterReject {
    SCCP_MESSAGE(0x009D, RegisterReject, ToPhone)
    std::string text;
    static constexpr auto fields() { return std::tuple{F_STR(text, 32)}; }
    bool operator==(const RegisterReject &) const = default;
};

// ServerRes' five addresses: 5 x IPv4, or 5 x ipv4or6 at v17 when the body holds them (REFERENCE §3.10:
// "v17 / length > 292", as Wireshark decides). Asterisk sends the IPv4 form at 17: `ipv4Form` remembers
// it, so such a message re-encodes to the bytes it came from.
struct ServerAddresses {
    std::array<IpAddress, 5> addr{};
    bool ipv4Form = false; // only meaningful from v17
    IpAddress &operator[](size_t i) { return addr[i]; }
    const IpAddress &operator[](size_t i) const { return addr[i]; }
    bool operator==(const ServerAddresses &) const = default;
};
struct ServerAddressList {
    static void read(ByteReader &r, ServerAddresses &v, const LayoutContext &c) {
        v = ServerAddresses{};
        v.ipv4Form = c.version >= 17 && r.remaining() <= 288 - 260; // length field <= 292
        LayoutContext ipCtx{v.ipv4Form ? 11u : c.version};
        for (auto &a : v.addr) Ip::read(r, a, ipCtx);
    }
    static void write(ByteWriter &w, const ServerAddresses &v, const LayoutContext &c) {
        LayoutContext ipCtx{v.ipv4Form ? 11u : c.version};
        for (const auto &a : v.addr) Ip::write(w, a, ipCtx);
    }
};

struct ServerRes {
    SCCP_MESSAGE(0x009E, ServerRes, ToPhone)
    std::array<std::string, 5> serverName{};
    std::array<uint32_t, 5> serverTcpListenPort{};
    ServerAddresses serverIpAddr;
    static constexpr auto fields() {
        return std::tuple{SCCP_F(serverName, Array<Str<48>, 5>), SCCP_F(serverTcpListenPort, Array<U32, 5>),
                          SCCP_F(serverIpAddr, ServerAddressList)};
    }
    bool operator==(const ServerRes &) const = default;
};

SCCP_U32_MESSAGE(0x009F, Reset, ToPhone, resetType) // 1 reset (reboot), 2 restart (re-register), 3 apply config
SCCP_EMPTY_MESSAGE(0x0100, KeepAliveAck, ToPhone)

struct OpenReceiveChannel {
    SCCP_MESSAGE(0x0105, OpenReceiveChannel, ToPhone)
    uint32_t conferenceId = 0, passThruPartyId = 0;
    uint32_t millisecondPacketSize = 20;
    uint32_t compressionType = 4;
    uint32_t ecValue = 0;
    CodecParams codecParams;
    uint32_t callReference = 0;
    EncryptionKeyInfo keyInfo;
    uint32_t streamPassThroughId = 0, associatedStreamId = 0;
    uint32_t rfc2833PayloadType = 0, dtmfType = 0;
    uint32_t mixingMode = 0, partyDirection = 0;
    IpAddress sourceIpAddr;
    uint32_t sourcePortNumber = 0;
    uint32_t requestedIpAddrType = 0;
    uint32_t audioLevelAdjustment = 0;
    std::array<uint8_t, 36> latentCapsInfo{};
    static constexpr auto fields() {
        return std::tuple{F_U32(conferenceId),         F_U32(passThruPartyId),   F_U32(millisecondPacketSize),
                          F_U32(compressionType),      F_U32(ecValue),           F_NESTED(codecParams),
                          F_U32(callReference),        F_NESTED(keyInfo),        F_U32(streamPassThroughId),
                          F_U32(associatedStreamId),   F_U32(rfc2833PayloadType), F_U32(dtmfType),
                          F_U32(mixingMode).from(11),  F_U32(partyDirection).from(11), F_IP(sourceIpAddr).from(11),
                          F_U32(sourcePortNumber).from(11), F_U32(requestedIpAddrType).from(16),
                          F_U32(audioLevelAdjustment).from(17), F_RAW(latentCapsInfo, 36).from(21)};
    }
    bool operator==(const OpenReceiveChannel &) const = default;
};

SCCP_MEDIA_CLOSE_MESSAGE(0x0106, CloseReceiveChannel)

struct ConnectionStatisticsReq {
    SCCP_MESSAGE(0x0107, ConnectionStatisticsReq, ToPhone)
    std::string directoryNumber;
    uint32_t callReference = 0, statsProcessingMode = 0;
    static constexpr auto fields() {
        return std::tuple{F_STR(directoryNumber, 24).before(18), F_STR(directoryNumber, 28).from(18),
                          F_U32(callReference), F_U32(statsProcessingMode)};
    }
    bool operator==(const ConnectionStatisticsReq &) const = default;
};

struct SoftKeyTemplateRes {
    SCCP_MESSAGE(0x0108, SoftKeyTemplateRes, ToPhone)
    uint32_t softKeyOffset = 0, softKeyCount = 0, totalSoftKeyCount = 0;
    std::vector<SoftKeyTemplateEntry> softKeys; // 32 slots
    static constexpr auto fields() {
        return std::tuple{F_U32(softKeyOffset), F_U32(softKeyCount), F_U32(totalSoftKeyCount),
                          SCCP_F(softKeys, Array<Nested, 32>)};
    }
    bool operator==(const SoftKeyTemplateRes &) const = default;
};

struct SoftKeySetRes {
    SCCP_MESSAGE(0x0109, SoftKeySetRes, ToPhone)
    uint32_t softKeySetOffset = 0, softKeySetCount = 0, totalSoftKeySetCount = 0;
    std::vector<SoftKeySet> softKeySets; // 16 slots
    static constexpr auto fields() {
        return std::tuple{F_U32(softKeySetOffset), F_U32(softKeySetCount), F_U32(totalSoftKeySetCount),
                          SCCP_F(softKeySets, Array<Nested, 16>)};
    }
    bool operator==(const SoftKeySetRes &) const = default;
};

struct SelectSoftKeys {
    SCCP_MESSAGE(0x0110, SelectSoftKeys, ToPhone)
    uint32_t lineInstance = 0, callReference = 0, softKeySetIndex = 0;
    uint32_t validKeyMask = 0xFFFFFFFF;
    static constexpr auto fields() {
        return std::tuple{F_U32(lineInstance), F_U32(callReference), F_U32(softKeySetIndex), F_U32(validKeyMask)};
    }
    bool operator==(const SelectSoftKeys &) const = default;
};

struct CallState {
    SCCP_MESSAGE(0x0111, CallState, ToPhone)
    uint32_t callState = 0, lineInstance = 0, callReference = 0;
    uint32_t privacy = 0, precedenceLevel = 0, precedenceDomain = 0;
    static constexpr auto fields() {
        return std::tuple{F_U32(callState), F_U32(lineInstance),    F_U32(callReference),
                          F_U32(privacy),   F_U32(precedenceLevel), F_U32(precedenceDomain)};
    }
    bool operator==(const CallState &) const = default;
};

struct DisplayPromptStatus {
    SCCP_MESSAGE(0x0112, DisplayPromptStatus, ToPhone)
    uint32_t timeOutValue = 0; // seconds; 0 = until replaced
    std::string promptStatus;
    uint32_t lineInstance = 0, callReference = 0;
    static constexpr auto fields() {
        return std::tuple{F_U32(timeOutValue), F_STR(promptStatus, 32), F_U32(lineInstance), F_U32(callReference)};
    }
    bool operator==(const DisplayPromptStatus &) const = default;
};

SCCP_LINE_CALL_MESSAGE(0x0113, ClearPromptStatus, ToPhone)

struct DisplayNotify {
    SCCP_MESSAGE(0x0114, DisplayNotify, ToPhone)
    uint32_t timeOutValue = 0;
    std::string notify;
    static constexpr auto fields() { return std::tuple{F_U32(timeOutValue), F_STR(notify, 32)}; }
    bool operator==(const DisplayNotify &) const = default;
};

SCCP_EMPTY_MESSAGE(0x0115, ClearNotify, ToPhone)
SCCP_U32_MESSAGE(0x0116, ActivateCallPlane, ToPhone, lineInstance)
SCCP_EMPTY_MESSAGE(0x0117, DeactivateCallPlane, ToPhone)
SCCP_U32_MESSAGE(0x0118, UnregisterAck, ToPhone, status) // 0 ok, 1 error, 2 NAK
SCCP_LINE_CALL_MESSAGE(0x0119, BackSpaceReq, ToPhone)
SCCP_EMPTY_MESSAGE(0x011A, RegisterTokenAck, ToPhone)
SCCP_U32_MESSAGE(0x011B, RegisterTokenReject, ToPhone, waitTimeBeforeNextReq)

struct DialedNumber {
    SCCP_MESSAGE(0x011D, DialedNumber, ToPhone)
    std::string dialedNumber;
    uint32_t lineInstance = 0, callReference = 0;
    static constexpr auto fields() {
        return std::tuple{F_STR(dialedNumber, 24).before(18), F_STR(dialedNumber, 25).from(18), F_U32(lineInstance),
                          F_U32(callReference)};
    }
    bool operator==(const DialedNumber &) const = default;
};

SCCP_USER_DATA_MESSAGE(0x011E, UserToDeviceData, ToPhone)

struct FeatureStat {
    SCCP_MESSAGE(0x011F, FeatureStat, ToPhone)
    uint32_t featureIndex = 0, featureId = 0;
    std::string featureTextLabel;
    uint32_t featureStatus = 0;
    static constexpr auto fields() {
        return std::tuple{F_U32(featureIndex), F_U32(featureId), F_STR(featureTextLabel, 40), F_U32(featureStatus)};
    }
    bool operator==(const FeatureStat &) const = default;
};

struct DisplayPriNotify {
    SCCP_MESSAGE(0x0120, DisplayPriNotify, ToPhone)
    uint32_t timeOutValue = 0, priority = 0;
    std::string notify;
    static constexpr auto fields() { return std::tuple{F_U32(timeOutValue), F_U32(priority), F_STR(notify, 32)}; }
    bool operator==(const DisplayPriNotify &) const = default;
};

SCCP_U32_MESSAGE(0x0121, ClearPriNotify, ToPhone, priority)

struct ServiceURLStat {
    SCCP_MESSAGE(0x012F, ServiceURLStat, ToPhone)
    uint32_t serviceURLIndex = 0;
    std::string serviceURL, serviceURLDisplayName;
    static constexpr auto fields() {
        return std::tuple{F_U32(serviceURLIndex), F_STR(serviceURL, 256), F_STR(serviceURLDisplayName, 40)};
    }
    bool operator==(const ServiceURLStat &) const = default;
};

struct DisplayNotifyV2 {
    SCCP_MESSAGE(0x0143, DisplayNotifyV2, ToPhone)
    SCCP_PAD4
    uint32_t timeOutValue = 0;
    std::string notify;
    static constexpr auto fields() { return std::tuple{F_U32(timeOutValue), F_CSTR(notify)}; }
    bool operator==(const DisplayNotifyV2 &) const = default;
};

struct DisplayPriNotifyV2 {
    SCCP_MESSAGE(0x0144, DisplayPriNotifyV2, ToPhone)
    SCCP_PAD4
    uint32_t timeOutValue = 0, priority = 0;
    std::string notify;
    static constexpr auto fields() { return std::tuple{F_U32(timeOutValue), F_U32(priority), F_CSTR(notify)}; }
    bool operator==(const DisplayPriNotifyV2 &) const = default;
};

struct DisplayPromptStatusV2 {
    SCCP_MESSAGE(0x0145, DisplayPromptStatusV2, ToPhone)
    SCCP_PAD4
    uint32_t timeOutValue = 0, lineInstance = 0, callReference = 0;
    std::string promptStatus;
    static constexpr auto fields() {
        return std::tuple{F_U32(timeOutValue), F_U32(lineInstance), F_U32(callReference), F_CSTR(promptStatus)};
    }
    bool operator==(const DisplayPromptStatusV2 &) const = default;
};

struct FeatureStatV2 {
    SCCP_MESSAGE(0x0146, FeatureStatV2, ToPhone)
    SCCP_PAD4
    uint32_t featureIndex = 0, featureId = 0, featureStatus = 0;
    std::string featureTextLabel;
    static constexpr auto fields() {
        return std::tuple{F_U32(featureIndex), F_U32(featureId), F_U32(featureStatus), F_CSTR(featureTextLabel)};
    }
    bool operator==(const FeatureStatV2 &) const = default;
};

struct LineStatV2 {
    SCCP_MESSAGE(0x0147, LineStatV2, ToPhone)
    SCCP_PAD4
    uint32_t lineNumber = 0, lineType = 0;
    std::string lineDirNumber, lineFullyQualifiedDisplayName, lineTextLabel;
    static constexpr auto fields() {
        return std::tuple{F_U32(lineNumber), F_U32(lineType), F_CSTR(lineDirNumber),
                          F_CSTR(lineFullyQualifiedDisplayName), F_CSTR(lineTextLabel)};
    }
    bool operator==(const LineStatV2 &) const = default;
};

struct SpeedDialStatV2 {
    SCCP_MESSAGE(0x0149, SpeedDialStatV2, ToPhone)
    SCCP_PAD4
    uint32_t speedDialNumber = 0;
    std::string speedDialDirNumber, speedDialDisplayName;
    static constexpr auto fields() {
        return std::tuple{F_U32(speedDialNumber), F_CSTR(speedDialDirNumber), F_CSTR(speedDialDisplayName)};
    }
    bool operator==(const SpeedDialStatV2 &) const = default;
};

// CallInfoV2 ("DynamicCallInfo"): 32 fixed bytes then NUL-terminated strings whose list depends on the
// version (REFERENCE §5.10): chan-sccp's 12 strings up to 15, AlternateCallingParty from 16, the hunt pilot
// from 19. Missing trailing strings decode as empty.
struct CallInfoV2 {
    SCCP_MESSAGE(0x014A, CallInfoV2, ToPhone)
    SCCP_PAD4
    uint32_t lineInstance = 0, callReference = 0, callType = 0;
    uint32_t originalCdpnRedirectReason = 0, lastRedirectingReason = 0;
    uint32_t callInstance = 0, callSecurityStatus = 0, partyPIRestrictionBits = 0;
    std::string callingParty, alternateCallingParty, calledParty, originalCalledParty, lastRedirectingParty;
    std::string cgpnVoiceMailbox, cdpnVoiceMailbox, originalCdpnVoiceMailbox, lastRedirectingVoiceMailbox;
    std::string callingPartyName, calledPartyName, originalCalledPartyName, lastRedirectingPartyName;
    std::string huntPilotNumber, huntPilotName;
    static constexpr auto fields() {
        return std::tuple{F_U32(lineInstance),
                          F_U32(callReference),
                          F_U32(callType),
                          F_U32(originalCdpnRedirectReason),
                          F_U32(lastRedirectingReason),
                          F_U32(callInstance),
                          F_U32(callSecurityStatus),
                          F_U32(partyPIRestrictionBits),
                          F_CSTR(callingParty),
                          F_CSTR(alternateCallingParty).from(16),
                          F_CSTR(calledParty),
                          F_CSTR(originalCalledParty),
                          F_CSTR(lastRedirectingParty),
                          F_CSTR(cgpnVoiceMailbox),
                          F_CSTR(cdpnVoiceMailbox),
                          F_CSTR(originalCdpnVoiceMailbox),
                          F_CSTR(lastRedirectingVoiceMailbox),
                          F_CSTR(callingPartyName),
                          F_CSTR(calledPartyName),
                          F_CSTR(originalCalledPartyName),
                          F_CSTR(lastRedirectingPartyName),
                          F_CSTR(huntPilotNumber).from(19),
                          F_CSTR(huntPilotName).from(19)};
    }
    bool operator==(const CallInfoV2 &) const = default;
};

// A message whose id is not in the table: logged and skipped.
struct UnknownMessage {
    using Self = UnknownMessage;
    static constexpr uint32_t id = 0xFFFFFFFF;
    static constexpr const char *name = "Unknown";
    uint32_t messageId = 0; // the id as received
    static constexpr auto fields() { return std::tuple<>{}; }
    bool operator==(const UnknownMessage &) const = default;
};

// Every message of the table, in one type list. Order does not matter.
using AnyMessage = std::variant<
    UnknownMessage, KeepAlive, Register, IpPort, KeypadButton, EnblocCall, Stimulus, OffHook, OnHook, HookFlash,
    ForwardStatReq, SpeedDialStatReq, LineStatReq, ConfigStatReq, TimeDateReq, ButtonTemplateReq, VersionReq,
    CapabilitiesRes, ServerReq, Alarm, OpenReceiveChannelAck, ConnectionStatisticsRes, SoftKeySetReq, SoftKeyEvent,
    Unregister, SoftKeyTemplateReq, RegisterTokenReq, MediaTransmissionFailure, HeadsetStatus,
    RegisterAvailableLines, DeviceToUserData, DeviceToUserDataResponse, ServiceURLStatReq, FeatureStatReq,
    RegisterAck, StartTone, StopTone, SetRinger, SetLamp, SetHookFlashDetect, SetSpeakerMode, SetMicroMode,
    StartMediaTransmission, StopMediaTransmission, CallInfo, ForwardStat, SpeedDialStat, LineStat, ConfigStat,
    DefineTimeDate, ButtonTemplate, Version, DisplayText, ClearDisplay, CapabilitiesReq, RegisterReject, ServerRes,
    Reset, KeepAliveAck, OpenReceiveChannel, CloseReceiveChannel, ConnectionStatisticsReq, SoftKeyTemplateRes,
    SoftKeySetRes, SelectSoftKeys, CallState, DisplayPromptStatus, ClearPromptStatus, DisplayNotify, ClearNotify,
    ActivateCallPlane, DeactivateCallPlane, UnregisterAck, BackSpaceReq, RegisterTokenAck, RegisterTokenReject,
    DialedNumber, UserToDeviceData, FeatureStat, DisplayPriNotify, ClearPriNotify, ServiceURLStat,
    DisplayNotifyV2, DisplayPriNotifyV2, DisplayPromptStatusV2, FeatureStatV2, LineStatV2, SpeedDialStatV2,
    CallInfoV2>;

} // namespace sccp
