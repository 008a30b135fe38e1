// Test helper: bytes written by hand in a readable hex notation, for expected wire images.
//   "0c 00 00 00"    bytes in hex
//   00*20            a byte repeated (here 20 zero bytes)
//   "SEP0011" 'x y'  text in double or single quotes, copied byte for byte (Latin-1)
//   |                a visual separator, ignored
#pragma once

#include <QByteArray>
#include <QtGlobal>

#include <cctype>
#include <cstdlib>
#include <string>
#include <string_view>

namespace sccptest {

inline std::string hexBytes(std::string_view spec) {
    std::string out;
    size_t i = 0;
    auto hexVal = [](char c) { return std::isdigit(uchar(c)) ? c - '0' : std::tolower(uchar(c)) - 'a' + 10; };
    while (i < spec.size()) {
        char c = spec[i];
        if (std::isspace(uchar(c)) || c == '|') {
            ++i;
        } else if (c == '"' || c == '\'') {
            size_t end = spec.find(c, i + 1);
            Q_ASSERT_X(end != std::string_view::npos, "hexBytes", "unterminated quote");
            out.append(spec.substr(i + 1, end - i - 1));
            i = end + 1;
        } else {
            Q_ASSERT_X(i + 1 < spec.size() && std::isxdigit(uchar(c)) && std::isxdigit(uchar(spec[i + 1])), "hexBytes",
                       "expected two hex digits");
            char byte = char(hexVal(c) << 4 | hexVal(spec[i + 1]));
            i += 2;
            size_t count = 1;
            if (i < spec.size() && spec[i] == '*') {
                size_t j = ++i;
                while (j < spec.size() && std::isdigit(uchar(spec[j]))) ++j;
                count = std::strtoul(std::string(spec.substr(i, j - i)).c_str(), nullptr, 10);
                i = j;
            }
            out.append(count, byte);
        }
    }
    return out;
}

// Spaced lower-case hex of some bytes, for readable QCOMPARE failures.
inline QByteArray spacedHex(std::string_view bytes) {
    return QByteArray(bytes.data(), qsizetype(bytes.size())).toHex(' ');
}

} // namespace sccptest
