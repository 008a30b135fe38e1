// One realistic message of every type in the SCCP table (sccp::AnyMessage), with values chosen so that
// neighbouring fields differ: shared by the byte-layout test (which spells out the expected bytes of
// each), the tshark oracle test, and the fuzzer's seed corpus. Values are protocol-11 values: fields that
// exist only in later layouts are left at zero here and filled by the tests that need them.
#pragma once

#include "sccp/codec.h"
#include "sccp/enums.h"
#include "sccp/labels.h"

#include <vector>

namespace sccptest {

inline constexpr uint32_t kCallRef1 = 1001, kCallRef2 = 1002;
inline constexpr uint32_t kPassThru = 0xFFFFFFFFu - 1001; // chan-sccp style passThruPartyId

// IPv4 as the messages hold it (host-order number, first octet most significant).
inline constexpr uint32_t ip4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
    return uint32_t(a) << 24 | uint32_t(b) << 16 | uint32_t(c) << 8 | d;
}

template <size_t N> std::array<uint8_t, N> byteRun(uint8_t first, size_t count = N) {
    std::array<uint8_t, N> a{};
    for (size_t i = 0; i < count && i < N; ++i) a[i] = uint8_t(first + i);
    return a;
}

inline std::vector<sccp::AnyMessage> sampleMessages() {
    using namespace sccp;
    std::vector<AnyMessage> v;

    // ---- phone -> CallManager
    v.push_back(KeepAlive{});
    {
        Register m;
        m.deviceName = "SEP00112233AABB";
        m.instance = 1;
        m.stationIpAddr = ip4(192, 168, 10, 20);
        m.deviceType = DeviceType::Cisco7960;
        m.maxStreams = 5;
        m.protocolVersion = 11;
        m.phoneFeatures = 0x8160;
        m.maxConferences = 1;
        v.push_back(m);
    }
    v.push_back(IpPort{20000});
    v.push_back(KeypadButton{Keypad::Star, 1, kCallRef1});
    v.push_back(EnblocCall{"1002", 1});
    v.push_back(Stimulus{ButtonType::Line, 2, kCallRef1, 0});
    v.push_back(OffHook{1, kCallRef1});
    v.push_back(OnHook{1, kCallRef2});
    v.push_back(HookFlash{2, 1003});
    v.push_back(ForwardStatReq{1});
    v.push_back(SpeedDialStatReq{3});
    v.push_back(LineStatReq{2});
    v.push_back(ConfigStatReq{});
    v.push_back(TimeDateReq{});
    v.push_back(ButtonTemplateReq{});
    v.push_back(VersionReq{});
    {
        CapabilitiesRes m;
        m.capabilities.push_back({MediaPayload::G711Ulaw64k, 40, {}, {}});
        m.capabilities.push_back({MediaPayload::G711Alaw64k, 40, {}, {}});
        m.capabilities.push_back({MediaPayload::G729AnnexA, 60, {}, {}});
        m.capabilities.push_back({86 /* iLBC */, 30, {3, 98, 0, 0}, {}});
        v.push_back(m);
    }
    v.push_back(ServerReq{});
    v.push_back(Alarm{2, "Name=SEP00112233AABB Load= P00308010200 Last=Initialized", 1, 2});
    {
        OpenReceiveChannelAck m;
        m.status = 0;
        m.ipAddr = IpAddress::v4(ip4(192, 168, 10, 20));
        m.portNumber = 20000;
        m.passThruPartyId = kPassThru;
        m.callReference = kCallRef1;
        v.push_back(m);
    }
    {
        ConnectionStatisticsRes m;
        m.directoryNumber = "1001";
        m.callReference = kCallRef1;
        m.statsProcessingMode = 0;
        m.numberPacketsSent = 250, m.numberOctetsSent = 40000;
        m.numberPacketsReceived = 248, m.numberOctetsReceived = 39680;
        m.numberPacketsLost = 2, m.jitter = 3, m.latency = 20;
        m.qualityText = "MLQK=4.5000;CS=0;SCS=0";
        v.push_back(m);
    }
    v.push_back(SoftKeySetReq{});
    v.push_back(SoftKeyEvent{SoftKeyEventValue::Answer, 1, kCallRef2});
    v.push_back(Unregister{});
    v.push_back(SoftKeyTemplateReq{});
    v.push_back(RegisterTokenReq{"SEP00112233AABB", 0, 1, ip4(192, 168, 10, 20), DeviceType::Cisco7960});
    {
        MediaTransmissionFailure m;
        m.conferenceId = kCallRef1;
        m.passThruPartyId = kPassThru;
        m.remoteIpAddr = IpAddress::v4(ip4(192, 168, 10, 30));
        m.remotePortNumber = 20002;
        m.callReference = kCallRef1;
        v.push_back(m);
    }
    v.push_back(HeadsetStatus{OnOff::On});
    v.push_back(RegisterAvailableLines{2});
    v.push_back(DeviceToUserData{1, 1, kCallRef1, 5, "<Text>hi</Text>"});
    v.push_back(DeviceToUserDataResponse{1, 1, kCallRef1, 5, "<Ok/>"});
    v.push_back(ServiceURLStatReq{1});
    v.push_back(FeatureStatReq{1});

    // ---- CallManager -> phone
    {
        RegisterAck m;
        m.keepAliveInterval = 30;
        m.dateTemplate = "M/D/Y";
        m.secondaryKeepAliveInterval = 60;
        m.maxProtocolVersion = 11;
        m.unknown = 0x20;     // chan-sccp's v11 feature bytes 20 F1 FF
        m.features = 0xFFF1;
        v.push_back(m);
    }
    v.push_back(StartTone{Tone::InsideDial, 0, 1, kCallRef1});
    v.push_back(StopTone{1, kCallRef1, Tone::InsideDial});
    v.push_back(SetRinger{RingMode::Inside, 1, 1, kCallRef2});
    v.push_back(SetLamp{ButtonType::Line, 1, LampMode::Blink});
    v.push_back(SetHookFlashDetect{});
    v.push_back(SetSpeakerMode{OnOff::On});
    v.push_back(SetMicroMode{OnOff::Off});
    {
        StartMediaTransmission m;
        m.conferenceId = kCallRef1;
        m.passThruPartyId = kPassThru;
        m.remoteIpAddr = IpAddress::v4(ip4(192, 168, 10, 30));
        m.remotePortNumber = 20002;
        m.millisecondPacketSize = 20;
        m.compressionType = 86; // iLBC, 30 ms mode, dynamic payload 97
        m.precedenceValue = 184;
        m.ssValue = 1;
        m.maxFramesPerPacket = 1;
        m.codecParams = {30, 97, 0, 0};
        m.callReference = kCallRef1;
        m.keyInfo.algorithmId = 1; // AES_CM_128_HMAC_SHA1_32
        m.keyInfo.keyLength = 16, m.keyInfo.saltLength = 14;
        m.keyInfo.key = byteRun<16>(0x00);
        m.keyInfo.salt = byteRun<16>(0x10, 14);
        m.rfc2833PayloadType = 101;
        m.dtmfType = 10;
        v.push_back(m);
    }
    v.push_back(StopMediaTransmission{kCallRef1, kPassThru, kCallRef1, 0});
    {
        CallInfo m;
        m.callingPartyName = "Alice", m.callingParty = "1001";
        m.calledPartyName = "Bob", m.calledParty = "1002";
        m.lineInstance = 1, m.callReference = kCallRef1, m.callType = 2;
        m.originalCalledPartyName = "Bob", m.originalCalledParty = "1002";
        m.lastRedirectingPartyName = "Carol", m.lastRedirectingParty = "1003";
        m.originalCdpnRedirectReason = 2, m.lastRedirectingReason = 4;
        m.cgpnVoiceMailbox = "1001", m.cdpnVoiceMailbox = "1002";
        m.originalCdpnVoiceMailbox = "1002", m.lastRedirectingVoiceMailbox = "1003";
        m.callInstance = 1, m.callSecurityStatus = 1, m.partyPIRestrictionBits = 0x10;
        v.push_back(m);
    }
    v.push_back(ForwardStat{1, 1, 1, "1234", 0, "", 1, "5000"});
    v.push_back(SpeedDialStat{1, "1003", "Carol"});
    v.push_back(LineStat{1, "1001", "Alice Smith", "Alice", 0x0F});
    v.push_back(ConfigStat{"SEP00112233AABB", 0, 1, "alice", "Asterisk", 1, 2});
    v.push_back(DefineTimeDate{2024, 6, 3, 12, 14, 30, 15, 250, 1718202615});
    {
        ButtonTemplate m;
        m.buttonOffset = 0, m.buttonCount = 6, m.totalButtonCount = 6;
        m.definitions = {{1, ButtonType::Line},      {2, ButtonType::Line},      {1, ButtonType::SpeedDial},
                         {2, ButtonType::SpeedDial}, {3, ButtonType::SpeedDial}, {4, ButtonType::SpeedDial}};
        m.definitions.resize(42); // the 42 slots on the wire, unused ones (0, 0)
        v.push_back(m);
    }
    v.push_back(Version{"P00308010200"});
    v.push_back(DisplayText{"Hello"});
    v.push_back(ClearDisplay{});
    v.push_back(CapabilitiesReq{});
    v.push_back(RegisterReject{"No Authority: SEP00112233AABB"});
    {
        ServerRes m;
        m.serverName = {"Asterisk", "backup", "", "", ""};
        m.serverTcpListenPort = {2000, 2000, 0, 0, 0};
        m.serverIpAddr[0] = IpAddress::v4(ip4(192, 168, 10, 1));
        m.serverIpAddr[1] = IpAddress::v4(ip4(192, 168, 10, 2));
        v.push_back(m);
    }
    v.push_back(Reset{ResetType::Restart});
    v.push_back(KeepAliveAck{});
    {
        OpenReceiveChannel m;
        m.conferenceId = kCallRef1;
        m.passThruPartyId = kPassThru;
        m.millisecondPacketSize = 20;
        m.compressionType = MediaPayload::G711Ulaw64k;
        m.ecValue = 1;
        m.callReference = kCallRef1;
        m.keyInfo.algorithmId = 2; // AES_CM_128_HMAC_SHA1_80
        m.keyInfo.keyLength = 16, m.keyInfo.saltLength = 14;
        m.keyInfo.key = byteRun<16>(0xA0);
        m.keyInfo.salt = byteRun<16>(0xB0, 14);
        m.rfc2833PayloadType = 101;
        m.dtmfType = 10;
        m.sourceIpAddr = IpAddress::v4(ip4(192, 168, 10, 30));
        m.sourcePortNumber = 20002;
        v.push_back(m);
    }
    v.push_back(CloseReceiveChannel{kCallRef1, kPassThru, kCallRef1, 0});
    v.push_back(ConnectionStatisticsReq{"1001", kCallRef1, 1});
    {
        SoftKeyTemplateRes m;
        m.softKeyOffset = 0, m.softKeyCount = 4, m.totalSoftKeyCount = 4;
        m.softKeys = {{labelToken(0x01), 1}, {labelToken(0x02), 2}, {labelToken(0x03), 3}, {labelToken(0x04), 4}};
        m.softKeys.resize(32);
        v.push_back(m);
    }
    {
        SoftKeySetRes m;
        m.softKeySetOffset = 0, m.softKeySetCount = 2, m.totalSoftKeySetCount = 2;
        m.softKeySets.resize(16);
        m.softKeySets[0].softKeyTemplateIndex[0] = 1, m.softKeySets[0].softKeyTemplateIndex[1] = 2;
        m.softKeySets[0].softKeyInfoIndex[0] = 301, m.softKeySets[0].softKeyInfoIndex[1] = 302;
        m.softKeySets[1].softKeyTemplateIndex[0] = 3, m.softKeySets[1].softKeyTemplateIndex[1] = 4;
        m.softKeySets[1].softKeyInfoIndex[0] = 303, m.softKeySets[1].softKeyInfoIndex[1] = 304;
        v.push_back(m);
    }
    v.push_back(SelectSoftKeys{1, kCallRef1, SoftKeySetIndex::Connected, 0xFFFFFDFF});
    v.push_back(CallState{CallStateValue::Connected, 1, kCallRef1, 1, 4, 2});
    v.push_back(DisplayPromptStatus{10, labelToken(0x17) + " 1003", 1, kCallRef2});
    v.push_back(ClearPromptStatus{1, kCallRef2});
    v.push_back(DisplayNotify{5, "Transfer"});
    v.push_back(ClearNotify{});
    v.push_back(ActivateCallPlane{1});
    v.push_back(DeactivateCallPlane{});
    v.push_back(UnregisterAck{2});
    v.push_back(BackSpaceReq{1, kCallRef1});
    v.push_back(RegisterTokenAck{});
    v.push_back(RegisterTokenReject{60});
    v.push_back(DialedNumber{"1002", 1, kCallRef1});
    v.push_back(UserToDeviceData{2, 1, kCallRef1, 7, "<setRingTone>ring1.raw</setRingTone>"});
    v.push_back(FeatureStat{3, ButtonType::DoNotDisturb, "DND", 1});
    v.push_back(DisplayPriNotify{10, 5, labelToken(0x17) + " 1003"});
    v.push_back(ClearPriNotify{5});
    v.push_back(ServiceURLStat{1, "http://10.0.0.1/services.xml", "Services"});
    v.push_back(DisplayNotifyV2{5, "Call Forwarded"});
    v.push_back(DisplayPriNotifyV2{10, 5, labelToken(0x17) + " 1003"});
    v.push_back(DisplayPromptStatusV2{0, 1, kCallRef1, labelToken(0x18)});
    v.push_back(FeatureStatV2{3, ButtonType::DoNotDisturb, 1, "Do Not Disturb"});
    v.push_back(LineStatV2{1, 12, "1001", "Alice Smith", "Alice"});
    v.push_back(SpeedDialStatV2{2, "1003", "Carol"});
    {
        CallInfoV2 m;
        m.lineInstance = 1, m.callReference = kCallRef1, m.callType = 1;
        m.originalCdpnRedirectReason = 2, m.lastRedirectingReason = 4;
        m.callInstance = 1, m.callSecurityStatus = 1, m.partyPIRestrictionBits = 0x10;
        m.callingParty = "1001", m.calledParty = "1002", m.originalCalledParty = "1002";
        m.cdpnVoiceMailbox = "1002";
        m.callingPartyName = "Alice", m.calledPartyName = "Bob", m.originalCalledPartyName = "Bob";
        v.push_back(m);
    }
    return v;
}

// The sample of one message type.
template <class M> M sample() {
    for (const auto &m : sampleMessages())
        if (const auto *p = std::get_if<M>(&m)) return *p;
    return M{};
}

// The samples going one way: phone -> CallManager (ToCallManager) or CallManager -> phone.
inline std::vector<sccp::AnyMessage> sampleMessages(sccp::Direction direction) {
    std::vector<sccp::AnyMessage> out;
    for (auto &m : sampleMessages()) {
        bool match = std::visit(
            [&](const auto &msg) {
                using M = std::decay_t<decltype(msg)>;
                if constexpr (requires { M::direction; }) return M::direction == direction;
                else return false;
            },
            m);
        if (match) out.push_back(std::move(m));
    }
    return out;
}

} // namespace sccptest
