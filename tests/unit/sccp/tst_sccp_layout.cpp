// Byte-exact layout of every SCCP message in the table (core/sccp/messages.h).
//
// Each row encodes one message of sample_messages.h and compares the frame with bytes written by hand
// from the offset tables of REFERENCE.md (§1.2 header, §3-§5 bodies, §7.1 version changes), then decodes
// those bytes and expects the same struct back. The expected bytes are never produced by our encoder.
// Also: length tolerance (short bodies, long bodies, unknown ids), V2 padding and string edge cases.
#include "hexbytes.h"
#include "sample_messages.h"

#include <QTest>

#include <set>

Q_DECLARE_METATYPE(sccp::AnyMessage)

using namespace sccp;
using namespace sccptest;

namespace {

struct LayoutRow {
    const char *name;
    AnyMessage message;
    uint32_t version;
    const char *expected; // hexBytes() notation: header | body
};

// Header of a message with body size n: length = 4 + n, header version 0, id.
// (Spelled out in each row below rather than computed, so the length field is checked too.)

const std::vector<LayoutRow> &layoutRows() {
    static const std::vector<LayoutRow> rows = [] {
        std::vector<LayoutRow> r;
        auto add = [&](const char *name, AnyMessage m, uint32_t version, const char *hex) {
            r.push_back({name, std::move(m), version, hex});
        };
        // ---------------------------------------------------------------- phone -> CallManager (§2.1, §3, §4)
        add("KeepAlive", sample<KeepAlive>(), 11, "04 00 00 00 | 00 00 00 00 | 00 00 00 00");
        // §3.1: the 68-byte form of a real 7960 (blocks A+B + 20 bytes), IPv4 in network order.
        add("Register v11", sample<Register>(), 11,
            "48 00 00 00 | 00 00 00 00 | 01 00 00 00 | 'SEP00112233AABB' 00 | 00 00 00 00 | 01 00 00 00 |"
            "c0 a8 0a 14 | 07 00 00 00 | 05 00 00 00 | 00 00 00 00 | 0b 00 60 81 | 01 00 00 00 | 00*20");
        {
            // §3.1 / §7.1: 124-byte form at 17 (MAC, IPv6, firmware load name).
            Register m = sample<Register>();
            m.protocolVersion = 17;
            m.activeConferences = 3;
            const char mac[] = "00112233AABB";
            std::copy(mac, mac + 12, m.macAddress.begin());
            m.ipV4AddressScope = 1;
            m.maxNumberOfLines = 2;
            m.stationIpV6Addr = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x14};
            m.ipV6AddressScope = 2;
            m.firmwareLoadName = "SCCP41.8-5-3S";
            add("Register v17", m, 17,
                "80 00 00 00 | 00 00 00 00 | 01 00 00 00 | 'SEP00112233AABB' 00 | 00 00 00 00 | 01 00 00 00 |"
                "c0 a8 0a 14 | 07 00 00 00 | 05 00 00 00 | 00 00 00 00 | 11 00 60 81 | 01 00 00 00 |"
                "03 00 00 00 | '00112233AABB' | 01 00 00 00 | 02 00 00 00 | 20 01 0d b8 00*11 14 | 02 00 00 00 |"
                "'SCCP41.8-5-3S' 00*19");
        }
        add("IpPort", sample<IpPort>(), 11, "08 00 00 00 | 00 00 00 00 | 02 00 00 00 | 20 4e 00 00");
        add("KeypadButton", sample<KeypadButton>(), 11,
            "10 00 00 00 | 00*4 | 03 00 00 00 | 0e 00 00 00 | 01 00 00 00 | e9 03 00 00");
        add("EnblocCall v11", sample<EnblocCall>(), 11,
            "20 00 00 00 | 00*4 | 04 00 00 00 | '1002' 00*20 | 01 00 00 00");
        add("EnblocCall v18", sample<EnblocCall>(), 18, // §4.5: char[25], packed
            "21 00 00 00 | 00*4 | 04 00 00 00 | '1002' 00*21 | 01 00 00 00");
        add("Stimulus v11", sample<Stimulus>(), 11, // §4.3: a 7960 sends 12 bytes
            "10 00 00 00 | 00*4 | 05 00 00 00 | 09 00 00 00 | 02 00 00 00 | e9 03 00 00");
        {
            Stimulus m = sample<Stimulus>();
            m.stimulusStatus = 1;
            add("Stimulus v17", m, 17,
                "14 00 00 00 | 00*4 | 05 00 00 00 | 09 00 00 00 | 02 00 00 00 | e9 03 00 00 | 01 00 00 00");
        }
        add("OffHook", sample<OffHook>(), 11, "0c 00 00 00 | 00*4 | 06 00 00 00 | 01 00 00 00 | e9 03 00 00");
        add("OnHook", sample<OnHook>(), 11, "0c 00 00 00 | 00*4 | 07 00 00 00 | 01 00 00 00 | ea 03 00 00");
        add("HookFlash", sample<HookFlash>(), 11, "0c 00 00 00 | 00*4 | 08 00 00 00 | 02 00 00 00 | eb 03 00 00");
        add("ForwardStatReq", sample<ForwardStatReq>(), 11, "08 00 00 00 | 00*4 | 09 00 00 00 | 01 00 00 00");
        add("SpeedDialStatReq", sample<SpeedDialStatReq>(), 11, "08 00 00 00 | 00*4 | 0a 00 00 00 | 03 00 00 00");
        add("LineStatReq", sample<LineStatReq>(), 11, "08 00 00 00 | 00*4 | 0b 00 00 00 | 02 00 00 00");
        add("ConfigStatReq", sample<ConfigStatReq>(), 11, "04 00 00 00 | 00*4 | 0c 00 00 00");
        add("TimeDateReq", sample<TimeDateReq>(), 11, "04 00 00 00 | 00*4 | 0d 00 00 00");
        add("ButtonTemplateReq", sample<ButtonTemplateReq>(), 11, "04 00 00 00 | 00*4 | 0e 00 00 00");
        add("VersionReq", sample<VersionReq>(), 11, "04 00 00 00 | 00*4 | 0f 00 00 00");
        // §3.5: count, then 16 bytes per capability: payload, frames, codecParams (4) + 4 pad.
        add("CapabilitiesRes", sample<CapabilitiesRes>(), 11,
            "48 00 00 00 | 00*4 | 10 00 00 00 | 04 00 00 00 |"
            "04 00 00 00 28 00 00 00 00*8 | 02 00 00 00 28 00 00 00 00*8 |"
            "0c 00 00 00 3c 00 00 00 00*8 | 56 00 00 00 1e 00 00 00 03 62 00 00 00*4");
        add("ServerReq", sample<ServerReq>(), 11, "04 00 00 00 | 00*4 | 12 00 00 00");
        add("Alarm", sample<Alarm>(), 11, // §4.9: severity, char[80], parm1, parm2
            "60 00 00 00 | 00*4 | 20 00 00 00 | 02 00 00 00 |"
            "'Name=SEP00112233AABB Load= P00308010200 Last=Initialized' 00*24 | 01 00 00 00 | 02 00 00 00");
        add("OpenReceiveChannelAck v11", sample<OpenReceiveChannelAck>(), 11, // §4.6 classic, 20 bytes
            "18 00 00 00 | 00*4 | 22 00 00 00 | 00 00 00 00 | c0 a8 0a 14 | 20 4e 00 00 | 16 fc ff ff | e9 03 00 00");
        add("OpenReceiveChannelAck v17", sample<OpenReceiveChannelAck>(), 17, // ipv4or6
            "28 00 00 00 | 00*4 | 22 00 00 00 | 00 00 00 00 | 00 00 00 00 c0 a8 0a 14 00*12 | 20 4e 00 00 |"
            "16 fc ff ff | e9 03 00 00");
        add("ConnectionStatisticsRes v11", sample<ConnectionStatisticsRes>(), 11, // §4.8
            "5a 00 00 00 | 00*4 | 23 00 00 00 | '1001' 00*20 | e9 03 00 00 | 00 00 00 00 | fa 00 00 00 |"
            "40 9c 00 00 | f8 00 00 00 | 00 9b 00 00 | 02 00 00 00 | 03 00 00 00 | 14 00 00 00 |"
            "16 00 00 00 | 'MLQK=4.5000;CS=0;SCS=0'");
        {
            ConnectionStatisticsRes m = sample<ConnectionStatisticsRes>();
            m.statsProcessingMode = 1;
            add("ConnectionStatisticsRes v18", m, 18, // dirnum 28, mode u8, packed
                "5b 00 00 00 | 00*4 | 23 00 00 00 | '1001' 00*24 | e9 03 00 00 | 01 | fa 00 00 00 |"
                "40 9c 00 00 | f8 00 00 00 | 00 9b 00 00 | 02 00 00 00 | 03 00 00 00 | 14 00 00 00 |"
                "16 00 00 00 | 'MLQK=4.5000;CS=0;SCS=0'");
        }
        add("SoftKeySetReq", sample<SoftKeySetReq>(), 11, "04 00 00 00 | 00*4 | 25 00 00 00");
        add("SoftKeyEvent", sample<SoftKeyEvent>(), 11,
            "10 00 00 00 | 00*4 | 26 00 00 00 | 0b 00 00 00 | 01 00 00 00 | ea 03 00 00");
        add("Unregister", sample<Unregister>(), 11, "04 00 00 00 | 00*4 | 27 00 00 00");
        add("SoftKeyTemplateReq", sample<SoftKeyTemplateReq>(), 11, "04 00 00 00 | 00*4 | 28 00 00 00");
        add("RegisterTokenReq", sample<RegisterTokenReq>(), 11, // §9.2
            "24 00 00 00 | 00*4 | 29 00 00 00 | 'SEP00112233AABB' 00 | 00 00 00 00 | 01 00 00 00 |"
            "c0 a8 0a 14 | 07 00 00 00");
        add("MediaTransmissionFailure v11", sample<MediaTransmissionFailure>(), 11, // §4.7
            "18 00 00 00 | 00*4 | 2a 00 00 00 | e9 03 00 00 | 16 fc ff ff | c0 a8 0a 1e | 22 4e 00 00 | e9 03 00 00");
        add("MediaTransmissionFailure v17", sample<MediaTransmissionFailure>(), 17,
            "28 00 00 00 | 00*4 | 2a 00 00 00 | e9 03 00 00 | 16 fc ff ff | 00 00 00 00 c0 a8 0a 1e 00*12 |"
            "22 4e 00 00 | e9 03 00 00");
        add("HeadsetStatus", sample<HeadsetStatus>(), 11, "08 00 00 00 | 00*4 | 2b 00 00 00 | 01 00 00 00");
        add("RegisterAvailableLines", sample<RegisterAvailableLines>(), 11,
            "08 00 00 00 | 00*4 | 2d 00 00 00 | 02 00 00 00");
        add("DeviceToUserData", sample<DeviceToUserData>(), 11, // §4.10: 5 u32 then dataLength bytes
            "27 00 00 00 | 00*4 | 2e 00 00 00 | 01 00 00 00 | 01 00 00 00 | e9 03 00 00 | 05 00 00 00 |"
            "0f 00 00 00 | '<Text>hi</Text>'");
        add("DeviceToUserDataResponse", sample<DeviceToUserDataResponse>(), 11,
            "1d 00 00 00 | 00*4 | 2f 00 00 00 | 01 00 00 00 | 01 00 00 00 | e9 03 00 00 | 05 00 00 00 |"
            "05 00 00 00 | '<Ok/>'");
        add("ServiceURLStatReq", sample<ServiceURLStatReq>(), 11, "08 00 00 00 | 00*4 | 33 00 00 00 | 01 00 00 00");
        add("FeatureStatReq", sample<FeatureStatReq>(), 11, // RS golden frame of a 7960
            "08 00 00 00 00 00 00 00 34 00 00 00 01 00 00 00");

        // ---------------------------------------------------------------- CallManager -> phone (§2.2, §3, §5)
        add("RegisterAck", sample<RegisterAck>(), 11, // §3.2, 20 bytes
            "18 00 00 00 | 00*4 | 81 00 00 00 | 1e 00 00 00 | 'M/D/Y' 00 | 00 00 | 3c 00 00 00 | 0b 20 f1 ff");
        add("StartTone", sample<StartTone>(), 11,
            "14 00 00 00 | 00*4 | 82 00 00 00 | 21 00 00 00 | 00 00 00 00 | 01 00 00 00 | e9 03 00 00");
        add("StopTone", sample<StopTone>(), 11, // §5.1: tone from v11
            "10 00 00 00 | 00*4 | 83 00 00 00 | 01 00 00 00 | e9 03 00 00 | 21 00 00 00");
        add("SetRinger", sample<SetRinger>(), 11,
            "14 00 00 00 | 00*4 | 85 00 00 00 | 02 00 00 00 | 01 00 00 00 | 01 00 00 00 | ea 03 00 00");
        add("SetLamp", sample<SetLamp>(), 11,
            "10 00 00 00 | 00*4 | 86 00 00 00 | 09 00 00 00 | 01 00 00 00 | 05 00 00 00");
        add("SetHookFlashDetect", sample<SetHookFlashDetect>(), 11, "04 00 00 00 | 00*4 | 87 00 00 00");
        add("SetSpeakerMode", sample<SetSpeakerMode>(), 11, "08 00 00 00 | 00*4 | 88 00 00 00 | 01 00 00 00");
        add("SetMicroMode", sample<SetMicroMode>(), 11, "08 00 00 00 | 00*4 | 89 00 00 00 | 02 00 00 00");
        // §5.5 classic: 0 conf, 4 ptid, 8 ip, 12 port, 16 ms, 20 codec, 24 precedence, 28 ss, 32 u16 frames,
        // 34 u16 pad, 36 codecParams, 40 callRef, 44 key info (48, §5.7), 92 streamPT, 96 assoc, 100 RFC2833,
        // 104 dtmfType, 108 mixingMode; partyDirection from v15.
        add("StartMediaTransmission v11", sample<StartMediaTransmission>(), 11,
            "74 00 00 00 | 00*4 | 8a 00 00 00 | e9 03 00 00 | 16 fc ff ff | c0 a8 0a 1e | 22 4e 00 00 |"
            "14 00 00 00 | 56 00 00 00 | b8 00 00 00 | 01 00 00 00 | 01 00 | 00 00 | 1e 61 00 00 | e9 03 00 00 |"
            "01 00 00 00 | 10 00 | 0e 00 | 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f |"
            "10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 00 00 | 00 00 00 00 | 00 00 00 00 |"
            "00 00 00 00 | 00 00 00 00 | 65 00 00 00 | 0a 00 00 00 | 00 00 00 00");
        {
            StartMediaTransmission m = sample<StartMediaTransmission>();
            m.partyDirection = 2;
            add("StartMediaTransmission v17", m, 17, // ipv4or6: everything after the address shifts by 16
                "88 00 00 00 | 00*4 | 8a 00 00 00 | e9 03 00 00 | 16 fc ff ff | 00 00 00 00 c0 a8 0a 1e 00*12 |"
                "22 4e 00 00 | 14 00 00 00 | 56 00 00 00 | b8 00 00 00 | 01 00 00 00 | 01 00 | 00 00 |"
                "1e 61 00 00 | e9 03 00 00 |"
                "01 00 00 00 | 10 00 | 0e 00 | 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f |"
                "10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 00 00 | 00 00 00 00 | 00 00 00 00 |"
                "00 00 00 00 | 00 00 00 00 | 65 00 00 00 | 0a 00 00 00 | 00 00 00 00 | 02 00 00 00");
        }
        add("StopMediaTransmission v11", sample<StopMediaTransmission>(), 11, // §5.8
            "10 00 00 00 | 00*4 | 8b 00 00 00 | e9 03 00 00 | 16 fc ff ff | e9 03 00 00");
        {
            StopMediaTransmission m = sample<StopMediaTransmission>();
            m.portHandlingFlag = 1;
            add("StopMediaTransmission v17", m, 17,
                "14 00 00 00 | 00*4 | 8b 00 00 00 | e9 03 00 00 | 16 fc ff ff | e9 03 00 00 | 01 00 00 00");
        }
        add("CallInfo", sample<CallInfo>(), 11, // §5.9, fixed 384 bytes
            "84 01 00 00 | 00*4 | 8f 00 00 00 | 'Alice' 00*35 | '1001' 00*20 | 'Bob' 00*37 | '1002' 00*20 |"
            "01 00 00 00 | e9 03 00 00 | 02 00 00 00 | 'Bob' 00*37 | '1002' 00*20 | 'Carol' 00*35 |"
            "'1003' 00*20 | 02 00 00 00 | 04 00 00 00 | '1001' 00*20 | '1002' 00*20 | '1002' 00*20 |"
            "'1003' 00*20 | 01 00 00 00 | 01 00 00 00 | 10 00 00 00");
        add("ForwardStat v11", sample<ForwardStat>(), 11, // §3.8, 92 bytes
            "60 00 00 00 | 00*4 | 90 00 00 00 | 01 00 00 00 | 01 00 00 00 | 01 00 00 00 | '1234' 00*20 |"
            "00 00 00 00 | 00*24 | 01 00 00 00 | '5000' 00*20");
        add("ForwardStat v18", sample<ForwardStat>(), 18, // 25-byte numbers, packed
            "63 00 00 00 | 00*4 | 90 00 00 00 | 01 00 00 00 | 01 00 00 00 | 01 00 00 00 | '1234' 00*21 |"
            "00 00 00 00 | 00*25 | 01 00 00 00 | '5000' 00*21");
        add("SpeedDialStat", sample<SpeedDialStat>(), 11,
            "48 00 00 00 | 00*4 | 91 00 00 00 | 01 00 00 00 | '1003' 00*20 | 'Carol' 00*35");
        add("LineStat", sample<LineStat>(), 11,
            "74 00 00 00 | 00*4 | 92 00 00 00 | 01 00 00 00 | '1001' 00*20 | 'Alice Smith' 00*29 |"
            "'Alice' 00*35 | 0f 00 00 00");
        add("ConfigStat", sample<ConfigStat>(), 11,
            "74 00 00 00 | 00*4 | 93 00 00 00 | 'SEP00112233AABB' 00 | 00 00 00 00 | 01 00 00 00 |"
            "'alice' 00*35 | 'Asterisk' 00*32 | 01 00 00 00 | 02 00 00 00");
        add("DefineTimeDate", sample<DefineTimeDate>(), 11, // §3.9
            "28 00 00 00 | 00*4 | 94 00 00 00 | e8 07 00 00 | 06 00 00 00 | 03 00 00 00 | 0c 00 00 00 |"
            "0e 00 00 00 | 1e 00 00 00 | 0f 00 00 00 | fa 00 00 00 | f7 b0 69 66");
        add("ButtonTemplate", sample<ButtonTemplate>(), 11, // §3.6, 42 slots of (instance, type)
            "64 00 00 00 | 00*4 | 97 00 00 00 | 00 00 00 00 | 06 00 00 00 | 06 00 00 00 |"
            "01 09 | 02 09 | 01 02 | 02 02 | 03 02 | 04 02 | 00*72");
        add("Version", sample<Version>(), 11, "14 00 00 00 | 00*4 | 98 00 00 00 | 'P00308010200' 00*4");
        add("DisplayText", sample<DisplayText>(), 11, "24 00 00 00 | 00*4 | 99 00 00 00 | 'Hello' 00*27");
        add("ClearDisplay", sample<ClearDisplay>(), 11, "04 00 00 00 | 00*4 | 9a 00 00 00");
        add("CapabilitiesReq", sample<CapabilitiesReq>(), 11, "04 00 00 00 | 00*4 | 9b 00 00 00");
        add("RegisterReject", sample<RegisterReject>(), 11,
            "24 00 00 00 | 00*4 | 9d 00 00 00 | 'No Authority: SEP00112233AABB' 00*3");
        add("ServerRes v11", sample<ServerRes>(), 11, // §3.10: 5 x char[48], 5 x port, 5 x IPv4
            "1c 01 00 00 | 00*4 | 9e 00 00 00 | 'Asterisk' 00*40 | 'backup' 00*42 | 00*144 |"
            "d0 07 00 00 | d0 07 00 00 | 00*12 | c0 a8 0a 01 | c0 a8 0a 02 | 00*12");
        add("ServerRes v17", sample<ServerRes>(), 17, // 5 x ipv4or6
            "6c 01 00 00 | 00*4 | 9e 00 00 00 | 'Asterisk' 00*40 | 'backup' 00*42 | 00*144 |"
            "d0 07 00 00 | d0 07 00 00 | 00*12 | 00 00 00 00 c0 a8 0a 01 00*12 | 00 00 00 00 c0 a8 0a 02 00*12 |"
            "00*60");
        add("Reset", sample<Reset>(), 11, "08 00 00 00 | 00*4 | 9f 00 00 00 | 02 00 00 00");
        add("KeepAliveAck", sample<KeepAliveAck>(), 11, "04 00 00 00 | 00*4 | 00 01 00 00");
        // §5.6 classic: 0 conf, 4 ptid, 8 ms, 12 codec, 16 ec, 20 codecParams, 24 callRef, 28 key info,
        // 76 streamPT, 80 assoc, 84 RFC2833, 88 dtmfType, 92 mixing, 96 partyDirection, 100 source IP, 104 port.
        add("OpenReceiveChannel v11", sample<OpenReceiveChannel>(), 11,
            "70 00 00 00 | 00*4 | 05 01 00 00 | e9 03 00 00 | 16 fc ff ff | 14 00 00 00 | 04 00 00 00 |"
            "01 00 00 00 | 00 00 00 00 | e9 03 00 00 |"
            "02 00 00 00 | 10 00 | 0e 00 | a0 a1 a2 a3 a4 a5 a6 a7 a8 a9 aa ab ac ad ae af |"
            "b0 b1 b2 b3 b4 b5 b6 b7 b8 b9 ba bb bc bd 00 00 | 00 00 00 00 | 00 00 00 00 |"
            "00 00 00 00 | 00 00 00 00 | 65 00 00 00 | 0a 00 00 00 | 00 00 00 00 | 00 00 00 00 |"
            "c0 a8 0a 1e | 22 4e 00 00");
        {
            OpenReceiveChannel m = sample<OpenReceiveChannel>();
            m.requestedIpAddrType = 1;
            m.audioLevelAdjustment = 0xFFFFFFFA; // int32 -6
            add("OpenReceiveChannel v17", m, 17, // 100 ipv4or6, 120 port, 124 requestedIpAddrType, 128 level
                "88 00 00 00 | 00*4 | 05 01 00 00 | e9 03 00 00 | 16 fc ff ff | 14 00 00 00 | 04 00 00 00 |"
                "01 00 00 00 | 00 00 00 00 | e9 03 00 00 |"
                "02 00 00 00 | 10 00 | 0e 00 | a0 a1 a2 a3 a4 a5 a6 a7 a8 a9 aa ab ac ad ae af |"
                "b0 b1 b2 b3 b4 b5 b6 b7 b8 b9 ba bb bc bd 00 00 | 00 00 00 00 | 00 00 00 00 |"
                "00 00 00 00 | 00 00 00 00 | 65 00 00 00 | 0a 00 00 00 | 00 00 00 00 | 00 00 00 00 |"
                "00 00 00 00 c0 a8 0a 1e 00*12 | 22 4e 00 00 | 01 00 00 00 | fa ff ff ff");
        }
        add("CloseReceiveChannel", sample<CloseReceiveChannel>(), 11,
            "10 00 00 00 | 00*4 | 06 01 00 00 | e9 03 00 00 | 16 fc ff ff | e9 03 00 00");
        add("ConnectionStatisticsReq v11", sample<ConnectionStatisticsReq>(), 11, // §5.16
            "24 00 00 00 | 00*4 | 07 01 00 00 | '1001' 00*20 | e9 03 00 00 | 01 00 00 00");
        add("ConnectionStatisticsReq v18", sample<ConnectionStatisticsReq>(), 18,
            "28 00 00 00 | 00*4 | 07 01 00 00 | '1001' 00*24 | e9 03 00 00 | 01 00 00 00");
        add("SoftKeyTemplateRes", sample<SoftKeyTemplateRes>(), 11, // §3.7: 32 x (char[16], u32)
            "90 02 00 00 | 00*4 | 08 01 00 00 | 00 00 00 00 | 04 00 00 00 | 04 00 00 00 |"
            "80 01 00*14 01 00 00 00 | 80 02 00*14 02 00 00 00 | 80 03 00*14 03 00 00 00 |"
            "80 04 00*14 04 00 00 00 | 00*560");
        add("SoftKeySetRes", sample<SoftKeySetRes>(), 11, // §3.7: 16 x (u8[16], u16[16])
            "10 03 00 00 | 00*4 | 09 01 00 00 | 00 00 00 00 | 02 00 00 00 | 02 00 00 00 |"
            "01 02 00*14 | 2d 01 2e 01 00*28 | 03 04 00*14 | 2f 01 30 01 00*28 | 00*672");
        add("SelectSoftKeys", sample<SelectSoftKeys>(), 11,
            "14 00 00 00 | 00*4 | 10 01 00 00 | 01 00 00 00 | e9 03 00 00 | 01 00 00 00 | ff fd ff ff");
        add("CallState", sample<CallState>(), 11, // §5.12, 24 bytes
            "1c 00 00 00 | 00*4 | 11 01 00 00 | 05 00 00 00 | 01 00 00 00 | e9 03 00 00 | 01 00 00 00 |"
            "04 00 00 00 | 02 00 00 00");
        add("DisplayPromptStatus", sample<DisplayPromptStatus>(), 11, // §5.11
            "30 00 00 00 | 00*4 | 12 01 00 00 | 0a 00 00 00 | 80 17 ' 1003' 00*25 | 01 00 00 00 | ea 03 00 00");
        add("ClearPromptStatus", sample<ClearPromptStatus>(), 11,
            "0c 00 00 00 | 00*4 | 13 01 00 00 | 01 00 00 00 | ea 03 00 00");
        add("DisplayNotify", sample<DisplayNotify>(), 11,
            "28 00 00 00 | 00*4 | 14 01 00 00 | 05 00 00 00 | 'Transfer' 00*24");
        add("ClearNotify", sample<ClearNotify>(), 11, "04 00 00 00 | 00*4 | 15 01 00 00");
        add("ActivateCallPlane", sample<ActivateCallPlane>(), 11, "08 00 00 00 | 00*4 | 16 01 00 00 | 01 00 00 00");
        add("DeactivateCallPlane", sample<DeactivateCallPlane>(), 11, "04 00 00 00 | 00*4 | 17 01 00 00");
        add("UnregisterAck", sample<UnregisterAck>(), 11, "08 00 00 00 | 00*4 | 18 01 00 00 | 02 00 00 00");
        add("BackSpaceReq", sample<BackSpaceReq>(), 11,
            "0c 00 00 00 | 00*4 | 19 01 00 00 | 01 00 00 00 | e9 03 00 00");
        add("RegisterTokenAck", sample<RegisterTokenAck>(), 11, "04 00 00 00 | 00*4 | 1a 01 00 00");
        add("RegisterTokenReject", sample<RegisterTokenReject>(), 11,
            "08 00 00 00 | 00*4 | 1b 01 00 00 | 3c 00 00 00");
        add("DialedNumber v11", sample<DialedNumber>(), 11, // §5.15
            "24 00 00 00 | 00*4 | 1d 01 00 00 | '1002' 00*20 | 01 00 00 00 | e9 03 00 00");
        add("DialedNumber v18", sample<DialedNumber>(), 18, // char[25] packed: lineInstance at 25
            "25 00 00 00 | 00*4 | 1d 01 00 00 | '1002' 00*21 | 01 00 00 00 | e9 03 00 00");
        add("UserToDeviceData", sample<UserToDeviceData>(), 11,
            "3c 00 00 00 | 00*4 | 1e 01 00 00 | 02 00 00 00 | 01 00 00 00 | e9 03 00 00 | 07 00 00 00 |"
            "24 00 00 00 | '<setRingTone>ring1.raw</setRingTone>'");
        add("FeatureStat", sample<FeatureStat>(), 11,
            "38 00 00 00 | 00*4 | 1f 01 00 00 | 03 00 00 00 | 82 00 00 00 | 'DND' 00*37 | 01 00 00 00");
        add("DisplayPriNotify", sample<DisplayPriNotify>(), 11,
            "2c 00 00 00 | 00*4 | 20 01 00 00 | 0a 00 00 00 | 05 00 00 00 | 80 17 ' 1003' 00*25");
        add("ClearPriNotify", sample<ClearPriNotify>(), 11, "08 00 00 00 | 00*4 | 21 01 00 00 | 05 00 00 00");
        add("ServiceURLStat", sample<ServiceURLStat>(), 11,
            "30 01 00 00 | 00*4 | 2f 01 00 00 | 01 00 00 00 | 'http://10.0.0.1/services.xml' 00*228 |"
            "'Services' 00*32");
        // §1.5 dynamic messages: NUL-terminated strings, body padded to a multiple of 4.
        add("DisplayNotifyV2", sample<DisplayNotifyV2>(), 11,
            "18 00 00 00 | 00*4 | 43 01 00 00 | 05 00 00 00 | 'Call Forwarded' 00 | 00");
        add("DisplayPriNotifyV2", sample<DisplayPriNotifyV2>(), 11,
            "14 00 00 00 | 00*4 | 44 01 00 00 | 0a 00 00 00 | 05 00 00 00 | 80 17 ' 1003' 00");
        add("DisplayPromptStatusV2", sample<DisplayPromptStatusV2>(), 11,
            "14 00 00 00 | 00*4 | 45 01 00 00 | 00 00 00 00 | 01 00 00 00 | e9 03 00 00 | 80 18 00 | 00");
        add("FeatureStatV2", sample<FeatureStatV2>(), 11,
            "20 00 00 00 | 00*4 | 46 01 00 00 | 03 00 00 00 | 82 00 00 00 | 01 00 00 00 | 'Do Not Disturb' 00 | 00");
        add("LineStatV2", sample<LineStatV2>(), 11,
            "24 00 00 00 | 00*4 | 47 01 00 00 | 01 00 00 00 | 0c 00 00 00 | '1001' 00 'Alice Smith' 00 'Alice' 00 | 00");
        add("SpeedDialStatV2", sample<SpeedDialStatV2>(), 11,
            "14 00 00 00 | 00*4 | 49 01 00 00 | 02 00 00 00 | '1003' 00 'Carol' 00 | 00");
        // §5.10: 32 fixed bytes, then 12 strings up to v15 ...
        add("CallInfoV2 v11", sample<CallInfoV2>(), 11,
            "4c 00 00 00 | 00*4 | 4a 01 00 00 | 01 00 00 00 | e9 03 00 00 | 01 00 00 00 | 02 00 00 00 |"
            "04 00 00 00 | 01 00 00 00 | 01 00 00 00 | 10 00 00 00 |"
            "'1001' 00 '1002' 00 '1002' 00 00 00 '1002' 00 00 00 'Alice' 00 'Bob' 00 'Bob' 00 00 | 00");
        {
            CallInfoV2 m = sample<CallInfoV2>();
            m.alternateCallingParty = "2001";
            // ... 13 from v16 (AlternateCallingParty second) ...
            add("CallInfoV2 v17", m, 17,
                "50 00 00 00 | 00*4 | 4a 01 00 00 | 01 00 00 00 | e9 03 00 00 | 01 00 00 00 | 02 00 00 00 |"
                "04 00 00 00 | 01 00 00 00 | 01 00 00 00 | 10 00 00 00 |"
                "'1001' 00 '2001' 00 '1002' 00 '1002' 00 00 00 '1002' 00 00 00 'Alice' 00 'Bob' 00 'Bob' 00 00");
            m.huntPilotNumber = "600", m.huntPilotName = "Sales";
            // ... and 15 with the hunt pilot from v19.
            add("CallInfoV2 v19", m, 19,
                "5c 00 00 00 | 00*4 | 4a 01 00 00 | 01 00 00 00 | e9 03 00 00 | 01 00 00 00 | 02 00 00 00 |"
                "04 00 00 00 | 01 00 00 00 | 01 00 00 00 | 10 00 00 00 |"
                "'1001' 00 '2001' 00 '1002' 00 '1002' 00 00 00 '1002' 00 00 00 'Alice' 00 'Bob' 00 'Bob' 00 00 |"
                "'600' 00 'Sales' 00 | 00 00");
        }
        return r;
    }();
    return rows;
}

bool isPadded(const AnyMessage &m) {
    return std::visit([](const auto &msg) { return requires { std::decay_t<decltype(msg)>::padTo4; }; }, m);
}

// One whole frame out of `bytes`, which must hold exactly one.
bool singleFrame(FrameReader &reader, const std::string &bytes, Frame &frame) {
    reader.append(bytes);
    return reader.next(frame) == FrameReader::Status::Frame && reader.buffered() == 0;
}

template <size_t... I> std::vector<const char *> allTableNames(std::index_sequence<I...>) {
    return {std::variant_alternative_t<I + 1, AnyMessage>::name...}; // index 0 is UnknownMessage
}

} // namespace

class TestSccpLayout : public QObject {
    Q_OBJECT
  private slots:
    void everyMessageHasALayoutRow();
    void encodeMatchesReference_data();
    void encodeMatchesReference();
    void decodeShortBody_data();
    void decodeShortBody();
    void decodeLongBodyKeepsTail_data();
    void decodeLongBodyKeepsTail();
    void unknownMessageId_data();
    void unknownMessageId();
    void dynamicMessagePadding();
    void fixedStrings_data();
    void fixedStrings();
    void stringTooLongIsCut();
    void headerVersionRaisesLayout();
};

void TestSccpLayout::everyMessageHasALayoutRow() {
    static_assert(std::is_same_v<std::variant_alternative_t<0, AnyMessage>, UnknownMessage>);
    std::set<std::string> covered, sampled;
    for (const auto &row : layoutRows()) covered.insert(messageName(row.message));
    for (const auto &m : sampleMessages()) sampled.insert(messageName(m));
    auto names = allTableNames(std::make_index_sequence<std::variant_size_v<AnyMessage> - 1>{});
    QCOMPARE(int(names.size()), int(std::variant_size_v<AnyMessage>) - 1);
    for (const char *name : names) {
        QVERIFY2(covered.count(name), qPrintable(QStringLiteral("no layout row for %1").arg(name)));
        QVERIFY2(sampled.count(name), qPrintable(QStringLiteral("no sample message for %1").arg(name)));
    }
    QCOMPARE(sampled.size(), names.size());
}

void TestSccpLayout::encodeMatchesReference_data() {
    QTest::addColumn<int>("row");
    const auto &rows = layoutRows();
    for (size_t i = 0; i < rows.size(); ++i) QTest::newRow(rows[i].name) << int(i);
}

void TestSccpLayout::encodeMatchesReference() {
    QFETCH(int, row);
    const LayoutRow &r = layoutRows()[size_t(row)];
    const std::string expected = hexBytes(r.expected);

    EncodeOptions opt;
    opt.protocolVersion = r.version;
    const std::string encoded = encodeFrame(r.message, opt);
    QCOMPARE(spacedHex(encoded), spacedHex(expected));

    FrameReader reader;
    Frame frame;
    QVERIFY(singleFrame(reader, expected, frame));
    QCOMPARE(frame.messageId, messageId(r.message));
    QCOMPARE(messageName(frame.messageId), messageName(r.message));
    QVERIFY(isKnownMessageId(frame.messageId));
    const DecodedMessage d = decodeMessage(frame, r.version);
    QCOMPARE(messageName(d.message), messageName(r.message));
    QVERIFY2(d.message == r.message, "decoded struct differs from the encoded one");
    if (isPadded(r.message)) {
        QVERIFY(d.tail.size() < 4);
        QCOMPARE(d.tail, std::string(d.tail.size(), '\0'));
    } else {
        QCOMPARE(spacedHex(d.tail), QByteArray());
    }
    QCOMPARE(spacedHex(reencode(d, r.version)), spacedHex(expected));
}

namespace {
QByteArray qbytes(const std::string &s) { return QByteArray(s.data(), qsizetype(s.size())); }
void addFrameRow(const char *name, const char *hex, int version, AnyMessage expected, const char *tailHex = "") {
    QTest::newRow(name) << qbytes(hexBytes(hex)) << version << expected << qbytes(hexBytes(tailHex));
}
void addFrameColumns() {
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<int>("version");
    QTest::addColumn<AnyMessage>("expected");
    QTest::addColumn<QByteArray>("tail");
}
} // namespace

// Old call managers send shorter bodies (REFERENCE §0, §5): missing fields decode as zero, nothing fails.
void TestSccpLayout::decodeShortBody_data() {
    addFrameColumns();
    addFrameRow("CallState, 3 fields (old CM)",
                "10 00 00 00 | 00*4 | 11 01 00 00 | 04 00 00 00 | 01 00 00 00 | ea 03 00 00", 11,
                CallState{4, 1, 1002, 0, 0, 0});
    addFrameRow("SetRinger, CM 3.1 8 bytes", "0c 00 00 00 | 00*4 | 85 00 00 00 | 02 00 00 00 | 01 00 00 00", 11,
                SetRinger{2, 1, 0, 0});
    addFrameRow("OffHook, empty body (old phone)", "04 00 00 00 | 00*4 | 06 00 00 00", 11, OffHook{0, 0});
    addFrameRow("CloseReceiveChannel, CM 3.1 8 bytes",
                "0c 00 00 00 | 00*4 | 06 01 00 00 | 1a 00 00 00 | 1b 00 00 00", 11,
                CloseReceiveChannel{0x1a, 0x1b, 0, 0});
    addFrameRow("KeypadButton, half a field", "0a 00 00 00 | 00*4 | 03 00 00 00 | 05 00 00 00 | 01 00", 11,
                KeypadButton{5, 0, 0});
    addFrameRow("DisplayText, 5 of 32 bytes", "09 00 00 00 | 00*4 | 99 00 00 00 | 'Hello'", 11, DisplayText{"Hello"});
    {
        // CM 4.1's 84-byte StartMediaTransmission: the key info is cut after its salt.
        StartMediaTransmission m;
        m.conferenceId = 1001, m.passThruPartyId = 0x1a, m.remoteIpAddr = IpAddress::v4(ip4(10, 0, 0, 7));
        m.remotePortNumber = 0x4000, m.millisecondPacketSize = 20, m.compressionType = 4;
        m.precedenceValue = 0xb8, m.callReference = 1001;
        m.keyInfo.algorithmId = 1, m.keyInfo.keyLength = 16, m.keyInfo.saltLength = 14;
        m.keyInfo.key = byteRun<16>(0x40), m.keyInfo.salt = byteRun<16>(0x50, 14);
        addFrameRow("StartMediaTransmission, CM 4.1 84 bytes",
                    "58 00 00 00 | 00*4 | 8a 00 00 00 | e9 03 00 00 | 1a 00 00 00 | 0a 00 00 07 | 00 40 00 00 |"
                    "14 00 00 00 | 04 00 00 00 | b8 00 00 00 | 00 00 00 00 | 00 00 00 00 | 00 00 00 00 |"
                    "e9 03 00 00 | 01 00 00 00 10 00 0e 00 | 40 41 42 43 44 45 46 47 48 49 4a 4b 4c 4d 4e 4f |"
                    "50 51 52 53 54 55 56 57 58 59 5a 5b 5c 5d 00 00",
                    11, m);
    }
    {
        ButtonTemplate m; // only 2 slots sent
        m.buttonCount = 2, m.totalButtonCount = 2;
        m.definitions = {{1, ButtonType::Line}, {1, ButtonType::SpeedDial}};
        addFrameRow("ButtonTemplate, 2 slots",
                    "14 00 00 00 | 00*4 | 97 00 00 00 | 00*4 | 02 00 00 00 | 02 00 00 00 | 01 09 01 02", 11, m);
    }
    {
        CallInfoV2 m; // strings missing at the end
        m.lineInstance = 1, m.callReference = 5, m.callingParty = "1001", m.calledParty = "1002";
        addFrameRow("CallInfoV2, 2 of 12 strings",
                    "30 00 00 00 | 00*4 | 4a 01 00 00 | 01 00 00 00 | 05 00 00 00 | 00*24 | '1001' 00 '1002' 00 | 00 00", 11,
                    m);
    }
    {
        Register r; // blocks A+B only (48 bytes), as PY's client at protocol 5
        r.deviceName = "SEP000000000001", r.stationIpAddr = ip4(10, 0, 0, 5);
        r.deviceType = 7, r.maxStreams = 5, r.activeStreams = 1, r.protocolVersion = 5, r.phoneFeatures = 0x0560;
        r.maxConferences = 0;
        addFrameRow("Register, 48-byte form",
                    "34 00 00 00 | 00*4 | 01 00 00 00 | 'SEP000000000001' 00 | 00*4 | 00*4 | 0a 00 00 05 |"
                    "07 00 00 00 | 05 00 00 00 | 01 00 00 00 | 05 00 60 05 | 00 00 00 00",
                    5, r);
    }
}

void TestSccpLayout::decodeShortBody() {
    QFETCH(QByteArray, frame);
    QFETCH(int, version);
    QFETCH(AnyMessage, expected);
    FrameReader reader;
    Frame f;
    QVERIFY(singleFrame(reader, frame.toStdString(), f));
    const DecodedMessage d = decodeMessage(f, uint32_t(version));
    QCOMPARE(messageName(d.message), messageName(expected));
    QVERIFY2(d.message == expected, "missing fields must decode as zero");
    QCOMPARE(spacedHex(d.tail), QByteArray());
    QCOMPARE(d.bodySize, uint32_t(frame.size() - 12));
}

// Newer senders append fields we do not know: they are kept in `tail` and re-encoded as they came.
void TestSccpLayout::decodeLongBodyKeepsTail_data() {
    addFrameColumns();
    addFrameRow("CloseReceiveChannel, Asterisk 16 bytes at v11",
                "14 00 00 00 | 00*4 | 06 01 00 00 | 1a 00 00 00 | 1a 00 00 00 | 00 00 00 00 | 00 00 00 00", 11,
                CloseReceiveChannel{0x1a, 0x1a, 0, 0}, "00 00 00 00");
    addFrameRow("FeatureStatReq with capabilities", "0c 00 00 00 | 00*4 | 34 00 00 00 | 01 00 00 00 | 03 00 00 00",
                11, FeatureStatReq{1}, "03 00 00 00");
    addFrameRow("KeepAliveAck with 4 stray bytes", "08 00 00 00 | 00*4 | 00 01 00 00 | de ad be ef", 11,
                KeepAliveAck{}, "de ad be ef");
    {
        Register r = sample<Register>(); // the phone's 17 extra fields are not part of the v11 layout
        addFrameRow("Register v17 body read at v11",
                    "80 00 00 00 | 00 00 00 00 | 01 00 00 00 | 'SEP00112233AABB' 00 | 00 00 00 00 | 01 00 00 00 |"
                    "c0 a8 0a 14 | 07 00 00 00 | 05 00 00 00 | 00 00 00 00 | 0b 00 60 81 | 01 00 00 00 | 00*20 |"
                    "06 00 00 00 | 00*16 | 00*4 | 'SCCP41.8-5-3S' 00*19",
                    11, r, "06 00 00 00 | 00*16 | 00*4 | 'SCCP41.8-5-3S' 00*19");
    }
    addFrameRow("SetLamp, CS padding", "14 00 00 00 | 00*4 | 86 00 00 00 | 0f 00 00 00 | 00*4 | 02 00 00 00 | 00*4",
                11, SetLamp{0x0F, 0, 2}, "00 00 00 00");
}

void TestSccpLayout::decodeLongBodyKeepsTail() {
    QFETCH(QByteArray, frame);
    QFETCH(int, version);
    QFETCH(AnyMessage, expected);
    QFETCH(QByteArray, tail);
    FrameReader reader;
    Frame f;
    QVERIFY(singleFrame(reader, frame.toStdString(), f));
    const DecodedMessage d = decodeMessage(f, uint32_t(version));
    QVERIFY2(d.message == expected, messageName(d.message));
    QCOMPARE(spacedHex(d.tail), tail.toHex(' '));
    QCOMPARE(spacedHex(reencode(d, uint32_t(version))), frame.toHex(' '));
}

// An id outside the table is not an error (REFERENCE §2.2): UnknownMessage with the id, the body as tail.
void TestSccpLayout::unknownMessageId_data() {
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<uint>("id");
    QTest::newRow("0x0154 StartMediaTransmissionAck")
        << qbytes(hexBytes("10 00 00 00 | 00*4 | 54 01 00 00 | e9 03 00 00 | 1a 00 00 00 | e9 03 00 00")) << 0x154u;
    QTest::newRow("0x0011 gap in the table") << qbytes(hexBytes("04 00 00 00 | 00*4 | 11 00 00 00")) << 0x11u;
    QTest::newRow("0x8000 SPCP") << qbytes(hexBytes("08 00 00 00 | 00*4 | 00 80 00 00 | 01 02 03 04")) << 0x8000u;
    QTest::newRow("0xFFFFFFFF") << qbytes(hexBytes("05 00 00 00 | 11 00 00 00 | ff ff ff ff | 07")) << 0xFFFFFFFFu;
}

void TestSccpLayout::unknownMessageId() {
    QFETCH(QByteArray, frame);
    QFETCH(uint, id);
    FrameReader reader;
    Frame f;
    QVERIFY(singleFrame(reader, frame.toStdString(), f));
    QVERIFY(!isKnownMessageId(id));
    QCOMPARE(messageName(id), "Unknown");
    const DecodedMessage d = decodeMessage(f, 11);
    QVERIFY(std::holds_alternative<UnknownMessage>(d.message));
    QCOMPARE(std::get<UnknownMessage>(d.message).messageId, id);
    QCOMPARE(messageId(d.message), id);
    QCOMPARE(spacedHex(d.tail), frame.mid(12).toHex(' '));
    QCOMPARE(spacedHex(reencode(d, 11)), frame.toHex(' '));
}

// §1.5: V2 bodies are padded to 4 bytes; padding NULs after the last string are not fields.
void TestSccpLayout::dynamicMessagePadding() {
    // Encoding: every text length gives a body that is a multiple of 4, padded with NULs only.
    for (size_t len = 0; len < 9; ++len) {
        const std::string text(len, 'x');
        const std::string frame = encodeFrame(DisplayNotifyV2{7, text});
        const size_t body = frame.size() - kHeaderSize;
        QCOMPARE(body % 4, size_t(0));
        QCOMPARE(body, (4 + len + 1 + 3) / 4 * 4);
        QCOMPARE(frame.substr(kHeaderSize + 4 + len), std::string(body - 4 - len, '\0'));
        const uint32_t length = uint8_t(frame[0]) | uint32_t(uint8_t(frame[1])) << 8;
        QCOMPARE(length, uint32_t(body + 4));
    }
    // Decoding: chan-sccp's 8 padding bytes after the strings do not turn into strings.
    const std::string bytes = hexBytes("1c 00 00 00 | 0b 00 00 00 | 49 01 00 00 | 02 00 00 00 | '1003' 00 'Carol' 00 |"
                                       "00 | 00*8");
    FrameReader reader;
    Frame f;
    QVERIFY(singleFrame(reader, bytes, f));
    const DecodedMessage d = decodeMessage(f, 11);
    QVERIFY(std::holds_alternative<SpeedDialStatV2>(d.message));
    QVERIFY(std::get<SpeedDialStatV2>(d.message) == (SpeedDialStatV2{2, "1003", "Carol"}));
    QCOMPARE(d.tail, std::string(9, '\0'));
    QCOMPARE(spacedHex(reencode(d, 11)), spacedHex(bytes));
    // An unterminated last string ends at the body end.
    QVERIFY(singleFrame(reader, hexBytes("0b 00 00 00 | 00*4 | 43 01 00 00 | 05 00 00 00 | 'Hi!'"), f));
    const DecodedMessage n = decodeMessage(f, 11);
    QVERIFY(std::get<DisplayNotifyV2>(n.message) == (DisplayNotifyV2{5, "Hi!"}));
}

// §1.5: fixed strings stop at the first NUL (garbage after it is ignored); a full field has no NUL.
void TestSccpLayout::fixedStrings_data() {
    addFrameColumns();
    addFrameRow("garbage after the NUL (CM 3.1)",
                "24 00 00 00 | 00*4 | 99 00 00 00 | 'Hi' 00 'garbage!' ff ee 00 'more' 00*14", 11, DisplayText{"Hi"});
    addFrameRow("full 16-byte Version without NUL", "14 00 00 00 | 00*4 | 98 00 00 00 | 'ABCDEFGHIJKLMNOP'", 11,
                Version{"ABCDEFGHIJKLMNOP"});
    addFrameRow("full 16-byte device name without NUL",
                "74 00 00 00 | 00*4 | 93 00 00 00 | 'SEP00112233AABBX' | 00 00 00 00 | 01 00 00 00 |"
                "'alice' 00*35 | 'Asterisk' 00*32 | 01 00 00 00 | 02 00 00 00",
                11, ConfigStat{"SEP00112233AABBX", 0, 1, "alice", "Asterisk", 1, 2});
    addFrameRow("full 32-byte prompt", "30 00 00 00 | 00*4 | 12 01 00 00 | 00*4 | 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345' |"
                "01 00 00 00 | 02 00 00 00", 11, DisplayPromptStatus{0, "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", 1, 2});
    addFrameRow("Latin-1 bytes kept", "24 00 00 00 | 00*4 | 99 00 00 00 | 'Andr' e9 00*27", 11, DisplayText{"Andr\xe9"});
    addFrameRow("soft key label token", "28 00 00 00 | 00*4 | 14 01 00 00 | 0a 00 00 00 | 80 24 00*30", 11,
                DisplayNotify{10, "\x80\x24"});
}

void TestSccpLayout::fixedStrings() {
    QFETCH(QByteArray, frame);
    QFETCH(int, version);
    QFETCH(AnyMessage, expected);
    FrameReader reader;
    Frame f;
    QVERIFY(singleFrame(reader, frame.toStdString(), f));
    const DecodedMessage d = decodeMessage(f, uint32_t(version));
    QVERIFY2(d.message == expected, messageName(d.message));
    QCOMPARE(spacedHex(d.tail), QByteArray());
    // Re-encoding writes the text, then NULs: identical unless the sender left garbage after the NUL.
    const std::string again = encodeFrame(d.message);
    if (!QByteArray(QTest::currentDataTag()).startsWith("garbage"))
        QCOMPARE(spacedHex(again), frame.toHex(' '));
    else
        QCOMPARE(spacedHex(again), spacedHex(hexBytes("24 00 00 00 | 00*4 | 99 00 00 00 | 'Hi' 00*30")));
}

void TestSccpLayout::stringTooLongIsCut() {
    QCOMPARE(spacedHex(encodeFrame(Version{"ABCDEFGHIJKLMNOPQRSTUVWXYZ"})),
             spacedHex(hexBytes("14 00 00 00 | 00*4 | 98 00 00 00 | 'ABCDEFGHIJKLMNOP'")));
    QCOMPARE(spacedHex(encodeFrame(EnblocCall{std::string(30, '5'), 1})),
             spacedHex(hexBytes("20 00 00 00 | 00*4 | 04 00 00 00 | 35*24 | 01 00 00 00")));
}

// §1.3 / §7.2: a header version of 0x11 selects the v17 layout even when the negotiated version is 11;
// an unknown header value does not.
void TestSccpLayout::headerVersionRaisesLayout() {
    QCOMPARE(layoutVersion(11, 0), 11u);
    QCOMPARE(layoutVersion(11, 0x11), 17u);
    QCOMPARE(layoutVersion(17, 0x0B), 17u);
    QCOMPARE(layoutVersion(11, 0x0C), 11u);  // not a header version Wireshark knows
    QCOMPARE(layoutVersion(11, 0x1234), 11u);
    const std::string v17 = hexBytes("28 00 00 00 | 11 00 00 00 | 22 00 00 00 | 00 00 00 00 | 00 00 00 00 c0 a8 0a 14 00*12 |"
                                     "20 4e 00 00 | 16 fc ff ff | e9 03 00 00");
    FrameReader reader;
    Frame f;
    QVERIFY(singleFrame(reader, v17, f));
    const DecodedMessage d = decodeMessage(f, 11);
    QVERIFY(std::get<OpenReceiveChannelAck>(d.message) == sample<OpenReceiveChannelAck>());
    QCOMPARE(spacedHex(reencode(d, 11)), spacedHex(v17));
}

QTEST_APPLESS_MAIN(TestSccpLayout)
#include "tst_sccp_layout.moc"
