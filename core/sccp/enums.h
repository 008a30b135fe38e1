// SCCP enumerations the phone and the lab call agent act on (REFERENCE §3-§6). Values are the wire values.
#pragma once

#include <cstdint>

namespace sccp {

namespace DeviceType {
constexpr uint32_t Cisco7960 = 7, Cisco7940 = 8, IpCommunicator = 30016;
}

namespace ButtonType { // also DeviceStimulus
constexpr uint32_t Unused = 0x00, LastNumberRedial = 0x01, SpeedDial = 0x02, Hold = 0x03, Transfer = 0x04,
                   ForwardAll = 0x05, ForwardBusy = 0x06, ForwardNoAnswer = 0x07, Display = 0x08, Line = 0x09,
                   Voicemail = 0x0F, AnswerRelease = 0x10, AutoAnswer = 0x11, Feature = 0x13, ServiceURL = 0x14,
                   BlfSpeedDial = 0x15, Conference = 0x7D, CallPark = 0x7E, CallPickup = 0x7F,
                   GroupCallPickup = 0x80, DoNotDisturb = 0x82, Messages = 0xC2, Directory = 0xC3,
                   Application = 0xC5, Headset = 0xC6, Keypad = 0xF0, Undefined = 0xFF;
}

namespace CallStateValue {
constexpr uint32_t Idle = 0, OffHook = 1, OnHook = 2, RingOut = 3, RingIn = 4, Connected = 5, Busy = 6,
                   Congestion = 7, Hold = 8, CallWaiting = 9, CallTransfer = 10, CallPark = 11, Proceed = 12,
                   CallRemoteMultiline = 13, InvalidNumber = 14, HoldRevert = 15, Whisper = 16, RemoteHold = 17;
}

namespace Tone {
constexpr uint32_t Silence = 0x00, InsideDial = 0x21, OutsideDial = 0x22, LineBusy = 0x23, Alerting = 0x24,
                   Reorder = 0x25, MessageWaitingIndicator = 0x2A, CallWaiting = 0x2D, ZipZip = 0x31, Zip = 0x32,
                   Hold = 0x35, NoTone = 0x7F;
}

namespace RingMode {
constexpr uint32_t Off = 1, Inside = 2, Outside = 3, Feature = 4, FlashOnly = 5, Precedence = 6;
}

namespace LampMode {
constexpr uint32_t Off = 1, On = 2, Wink = 3, Flash = 4, Blink = 5;
}

namespace OnOff {
constexpr uint32_t On = 1, Off = 2;
}

namespace SoftKeyEventValue { // 1-18 agree everywhere; the phone echoes the template's value anyway
constexpr uint32_t Redial = 1, NewCall = 2, Hold = 3, Transfer = 4, CFwdAll = 5, CFwdBusy = 6,
                   CFwdNoAnswer = 7, BackSpace = 8, EndCall = 9, Resume = 10, Answer = 11, Info = 12,
                   Confrn = 13, Park = 14, Join = 15, MeetMe = 16, PickUp = 17, GPickUp = 18;
}

namespace SoftKeySetIndex {
constexpr uint32_t OnHook = 0, Connected = 1, OnHold = 2, RingIn = 3, OffHook = 4, ConnectedTransferable = 5,
                   DigitsFollowing = 6, ConnectedConference = 7, RingOut = 8, OffHookWithFeatures = 9;
}

namespace Keypad {
constexpr uint32_t Star = 0x0E, Pound = 0x0F;
}

namespace MediaPayload {
constexpr uint32_t G711Alaw64k = 2, G711Ulaw64k = 4, G722_64k = 6, G729 = 11, G729AnnexA = 12,
                   G729AnnexB = 15, G729AnnexAwAnnexB = 16, Opus = 90, Rfc2833DynPayload = 257;
}

namespace ResetType {
constexpr uint32_t Reset = 1, Restart = 2, ApplyConfig = 3;
}

} // namespace sccp
