// Display text of SCCP string fields: Latin-1 text with embedded label tokens (REFERENCE §1.5).
// `\200\NN` (0x80 nn) stands for an entry of the phone's DisplayLabels_200 phrase table, `\036\NN`
// (0x1E nn) for one of DisplayLabels_36; the phone replaces them with its own words.
#pragma once

#include <QString>
#include <string>

namespace sccp {

// The phrase for label 0x80 nn, or an empty string when nn is not in the table.
QString displayLabel200(uint8_t nn);
// Text of a field with the tokens replaced; unknown tokens become "[label NN]" so nothing is hidden.
QString displayText(const std::string &field);
// Builds the token for label nn (for the lab call agent, which sends tokens as real call managers do).
std::string labelToken(uint8_t nn);

} // namespace sccp
