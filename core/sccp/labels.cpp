// The 0x80 nn phrase table (DisplayLabels_200, REFERENCE §1.5.1) and the 0x1E nn entries we know.
#include "labels.h"

#include <array>

namespace sccp {

namespace {
// Index nn = 0x01..0x7F; entry 0 is unused.
const std::array<const char *, 0x80> kLabels200 = {
    "",
    "Redial", "NewCall", "Hold", "Transfer", "CFwdALL", "CFwdBusy", "CFwdNoAnswer", "BackSpace",          // 01-08
    "EndCall", "Resume", "Answer", "Info", "Confrn", "Park", "Join", "MeetMe",                          // 09-10
    "PickUp", "GPickUp", "Your current options", "Off Hook", "On Hook", "Ring out", "From", "Connected", // 11-18
    "Busy", "Line In Use", "Call Waiting", "Call Transfer", "Call Park", "Call Proceed", "In Use Remote",// 19-1F
    "Enter Number", "Call Park At", "Primary Only", "Temp Fail", "You Have VoiceMail", "Forwarded To",  // 20-25
    "Can Not Complete Conference", "No Conference Bridge", "Can Not Hold Primary Control",               // 26-28
    "Invalid Conference Participant", "In Conference Already", "No Participant Info",                   // 29-2B
    "Exceed Maximum Parties", "Key Is Not Active", "Error No License", "Error DBConfig",                 // 2C-2F
    "Error Database", "Error Pass Limit", "Error Unknown", "Error Mismatch", "Conference", "Park Number",// 30-35
    "Private", "Not Enough Bandwidth", "Unknown Number", "RmLstC", "Voicemail", "ImmDiv", "Intrcpt",     // 36-3C
    "SetWtch", "TrnsfVM", "DND", "DivAll", "Callback", "Network Congestion Rerouting", "Barge",          // 3D-43
    "Failed To Setup Barge", "Another Barge Exists", "Incompatible Device Type",                        // 44-46
    "No Park Number Available", "CallPark Reversion", "Service Is Not Active",                           // 47-49
    "High Traffic Try Again Later", "QRT", "MCID", "DirTrfr", "Select", "ConfList", "iDivert", "cBarge", // 4A-51
    "Can Not Complete Transfer", "Can Not Join Calls", "Mcid Successful", "Number Not Configured",       // 52-55
    "Security Error", "Video Bandwidth Unavailable", "VidMode", "Max Call Duration Timeout",             // 56-59
    "Max Hold Duration Timeout", "OPickUp", "HLog", "Logged Out Of Hunt Group", "Park Slot Unavailable",// 5A-5E
    "No Call Available For Pickup", "", "External Transfer Restricted", "No Line Available For Pickup", // 5F-62
    "Path Replacement In Progress", "Unknown 2", "MAC Address", "Host Name", "Domain Name", "IP Address",// 63-68
    "Subnet Mask", "TFTP Server 1", "Default Router 1", "Default Router 2", "Default Router 3",          // 69-6D
    "Default Router 4", "Default Router 5", "DNS Server 1", "DNS Server 2", "DNS Server 3",             // 6E-72
    "DNS Server 4", "DNS Server 5", "Operational VLAN Id", "Admin. VLAN Id", "CallManager 1",            // 73-77
    "CallManager 2", "CallManager 3", "CallManager 4", "CallManager 5", "Information URL",               // 78-7C
    "Directories URL", "Messages URL", "Services URL"};                                                 // 7D-7F

// The few DisplayLabels_36 entries the sources name (REFERENCE §1.5, §9.2).
const char *label36(uint8_t nn) {
    switch (nn) {
    case 0x0C: return "Waiting To Rehome";
    case 0x2D: return "Forward All";
    case 0x51: return "Connecting";
    default: return nullptr;
    }
}
} // namespace

QString displayLabel200(uint8_t nn) {
    if (nn == 0 || nn >= kLabels200.size()) return {};
    return QString::fromLatin1(kLabels200[nn]);
}

QString displayText(const std::string &field) {
    QString out;
    out.reserve(int(field.size()));
    for (size_t i = 0; i < field.size(); ++i) {
        auto c = uint8_t(field[i]);
        if ((c == 0x80 || c == 0x1E) && i + 1 < field.size()) {
            auto nn = uint8_t(field[++i]);
            QString phrase = c == 0x80 ? displayLabel200(nn) : QString::fromLatin1(label36(nn));
            if (phrase.isEmpty()) phrase = QStringLiteral("[label %1]").arg(nn, 2, 16, QLatin1Char('0'));
            out += phrase;
        } else {
            out += QChar(c); // Latin-1
        }
    }
    return out;
}

std::string labelToken(uint8_t nn) { return std::string{char(0x80), char(nn)}; }

} // namespace sccp
